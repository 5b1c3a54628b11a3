package org.normlab.diagnostics;

import java.util.ArrayList;
import java.util.List;
import org.normlab.kernels.Layout;
import org.normlab.nn.Dropout;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Sequential;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.RunningStatistics;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * What each BatchNorm of a network receives: the per-channel moments of its input over one batch, in training or in
 * inference mode. For the k-th BatchNorm among the top-level layers of a {@link Sequential}, over the m = N·(H·W)
 * values x_i of channel c:
 * <pre>
 * mean_c = (1/m) Σ x_i          var_c = (1/m) Σ (x_i − mean_c)²   (biased: what BN normalizes with)
 * m4_c   = (1/m) Σ (x_i − mean_c)⁴
 * </pre>
 * The layers run one after the other in {@code mode}. A Dropout layer is applied with masks from the {@code masks}
 * stream given here (y = x·m/(1 − p), m ~ Bernoulli(1 − p), the layer's own math) instead of its own stream, so a
 * measurement does not change the masks training draws next; in EVAL it passes its input. Running statistics are
 * put back afterwards ({@link RunningStatistics#frozen}), so the model does in EVAL what it did before.
 */
public final class BnInputs {
    private BnInputs() {}

    /** One BatchNorm's input over a batch: per-channel mean, biased variance and fourth central moment, and its values per channel m. */
    public record Moments(double[] mean, double[] var, double[] m4, int valuesPerChannel) {}

    /** The moments of every top-level BatchNorm's input for the batch {@code x}, in forward order. */
    @SuppressWarnings("try")  // the resource is not named in the body: closing it restores the running statistics
    public static List<Moments> of(Layer model, Tensor x, Mode mode, Rng masks) {
        if (!(model instanceof Sequential seq)) throw new IllegalArgumentException("BnInputs: expected a Sequential model, got " + model.describe());
        int topLevel = (int) seq.layers().stream().filter(l -> l instanceof BatchNorm).count();
        if (topLevel != PreciseBn.batchNorms(model).size()) {
            throw new IllegalArgumentException("BnInputs: every BatchNorm must be a top-level layer of " + model.describe() + "; "
                    + topLevel + " of " + PreciseBn.batchNorms(model).size() + " are");
        }
        List<Moments> found = new ArrayList<>();
        try (RunningStatistics frozen = RunningStatistics.frozen(model)) {
            for (Layer layer : seq.layers()) {
                if (layer instanceof BatchNorm) found.add(moments(x));
                x = layer instanceof Dropout d ? dropout(x, d.p(), mode, masks) : layer.forward(x, mode);
            }
        }
        return found;
    }

    /** Per-channel moments of a tensor [N, C], [N, C, L] or [N, C, H, W], in double. */
    public static Moments moments(Tensor x) {
        Layout layout = Layout.of(x.shape());
        int c = x.dim(1), inner = layout.inner(), n = layout.outer();
        double[] mean = new double[c], var = new double[c], m4 = new double[c];
        float[] d = x.data();
        int m = n * inner;
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int i = 0; i < n; i++) for (int j = 0; j < inner; j++) s += d[(i * c + ch) * inner + j];
            double mu = s / m, s2 = 0, s4 = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < inner; j++) {
                    double e = d[(i * c + ch) * inner + j] - mu, e2 = e * e;
                    s2 += e2;
                    s4 += e2 * e2;
                }
            }
            mean[ch] = mu;
            var[ch] = s2 / m;
            m4[ch] = s4 / m;
        }
        return new Moments(mean, var, m4, m);
    }

    private static Tensor dropout(Tensor x, double p, Mode mode, Rng masks) {
        if (mode == Mode.EVAL || p == 0) return x;
        if (masks == null) throw new IllegalArgumentException("BnInputs: a Dropout(p=" + p + ") in TRAIN mode needs a mask stream, got null");
        Tensor y = Tensor.zeros(x.shape());
        float kept = (float) (1 / (1 - p));
        float[] in = x.data(), out = y.data();
        for (int i = 0; i < in.length; i++) out[i] = masks.nextDouble() < p ? 0f : in[i] * kept;
        return y;
    }
}
