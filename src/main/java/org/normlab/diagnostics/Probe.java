package org.normlab.diagnostics;

import java.util.Arrays;
import org.normlab.nn.Mode;
import org.normlab.tensor.Tensor;
import org.normlab.train.RecordingLayer;

/**
 * An identity layer that watches one unit: when asked ({@link #arm()}), the next forward pass records that unit's
 * values across the batch, so the trainer can log their percentiles over training (Ioffe &amp; Szegedy's Fig. 1
 * plots the 15th, 50th and 85th percentiles of one sigmoid's input); the trainer finds it as a {@link RecordingLayer}.
 *
 * <pre>forward: y = x   backward: dx = dy</pre>
 */
public final class Probe implements RecordingLayer {
    private final String name;
    private final int unit;
    private boolean armed;
    private float[] recorded;

    /** @param unit the feature index (dimension 1) to watch */
    public Probe(String name, int unit) {
        if (unit < 0) throw new IllegalArgumentException("Probe " + name + ": unit must be ≥ 0, got " + unit);
        this.name = name;
        this.unit = unit;
    }

    @Override
    public String name() { return name; }

    /** The next forward records the unit's values. */
    @Override
    public void arm() { armed = true; recorded = null; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (armed) {
            if (x.rank() < 2 || unit >= x.dim(1)) {
                throw new IllegalArgumentException(describe() + ": expected input [N,>" + unit + ",...], got " + x.shapeString());
            }
            int n = x.dim(0), per = x.sampleSize(), inner = per / x.dim(1);
            recorded = new float[n * inner];
            for (int s = 0; s < n; s++) System.arraycopy(x.data(), s * per + unit * inner, recorded, s * inner, inner);
            armed = false;
        }
        return x;
    }

    @Override
    public Tensor backward(Tensor dy) { return dy; }

    /** The q-th percentile (0–100, linear interpolation as numpy's default) of the recorded values. */
    @Override
    public double percentile(double q) {
        if (recorded == null || recorded.length == 0) throw new IllegalStateException(describe() + ": nothing recorded yet");
        float[] sorted = recorded.clone();
        Arrays.sort(sorted);
        double pos = q / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(pos), hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    @Override
    public String describe() { return "Probe(" + name + ", unit " + unit + ")"; }
}
