package org.normlab.nn;

import java.util.Arrays;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * Inverted dropout, as PyTorch's {@code nn.Dropout(p)}.
 *
 * <pre>
 * TRAIN:    m_i ~ Bernoulli(1 − p) drawn afresh on every forward,   y = x ⊙ m / (1 − p)
 *           backward:  dx = dy ⊙ m / (1 − p)
 * EVAL:     y = x                     (also in TRAIN when p = 0, with dx = dy; no random numbers are drawn then)
 * </pre>
 * Scaling the kept values by 1/(1 − p) keeps E[y] = x, so nothing changes at inference. The mask comes from the
 * {@link Rng} given at construction (the model builder splits it from the run's seed), so a rerun drops the same
 * units: the i-th value is dropped when the i-th draw of {@code nextDouble()} is below p. Like every layer, it keeps
 * nothing for backward after an EVAL forward, and a backward then fails.
 */
public final class Dropout implements Layer {
    private final double p;
    private final float keptScale;
    private final Rng rng;
    private float[] mask;   // m/(1−p) per value (0 or keptScale) for the last TRAIN forward; null after EVAL
    private final Saved<int[]> savedShape = new Saved<>();  // the last TRAIN forward's input shape

    /**
     * @param p   probability of zeroing each value, in [0, 1)
     * @param rng the source of the masks (its own stream; nothing else should draw from it)
     */
    public Dropout(double p, Rng rng) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout: p must be in [0,1), got " + p);
        if (rng == null) throw new IllegalArgumentException("Dropout(p=" + p + "): needs an Rng for its masks, got null");
        this.p = p;
        this.keptScale = (float) (1 / (1 - p));
        this.rng = rng;
    }

    public double p() { return p; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        savedShape.keep(mode, x.shape());
        if (mode == Mode.EVAL || p == 0) {
            mask = null;
            return x;  // identity: shares storage, like Flatten (layers never write into their input)
        }
        float[] in = x.data();
        mask = new float[in.length];
        Tensor y = Tensor.zeros(x.shape());
        float[] out = y.data();
        for (int i = 0; i < in.length; i++) {
            mask[i] = rng.nextDouble() < p ? 0f : keptScale;
            out[i] = in[i] * mask[i];
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        int[] inputShape = savedShape.get(this);
        if (!Arrays.equals(dy.shape(), inputShape)) {
            throw new IllegalArgumentException(describe() + ": expected gradient " + Arrays.toString(inputShape) + ", got " + dy.shapeString());
        }
        if (mask == null) return dy;
        Tensor dx = Tensor.zeros(dy.shape());
        float[] g = dy.data(), out = dx.data();
        for (int i = 0; i < g.length; i++) out[i] = g[i] * mask[i];
        return dx;
    }

    @Override
    public String describe() { return "Dropout(p=" + p + ")"; }
}
