package org.normlab.norm;

import java.util.List;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Saved;
import org.normlab.nn.Param;
import org.normlab.tensor.Tensor;

/**
 * Local response normalization across channels, with PyTorch's conventions ({@code torch.nn.LocalResponseNorm}),
 * for inputs (N,C,*). Each value is divided by a power of the energy of its neighbouring channels at the same
 * sample and position. No parameters, no statistics: TRAIN and EVAL are identical.
 *
 * <pre>
 * forward:
 *   S_c = k + (α/n) · Σ_{c' = c − ⌊n/2⌋ … c + ⌊(n−1)/2⌋} a_{c'}²       (channels outside 0…C−1 count as 0)
 *   b_c = a_c / S_c^β
 *
 * backward (channel c's window contains j exactly when j − ⌊(n−1)/2⌋ ≤ c ≤ j + ⌊n/2⌋):
 *   da_j = dy_j·S_j^(−β) − (2αβ/n)·a_j · Σ_{c = j − ⌊(n−1)/2⌋ … j + ⌊n/2⌋} dy_c·a_c·S_c^(−β−1)
 * </pre>
 * The window and the zero padding are PyTorch's: {@code F.local_response_norm} pads ⌊n/2⌋ channels before and
 * ⌊(n−1)/2⌋ after, then averages n squares (padding included), so α is divided by n. For even n the window is not
 * symmetric (n = 4 takes c−2 … c+1).
 *
 * <p><b>AlexNet differs:</b> Krizhevsky et al. (2012) write b_c = a_c / (k + α·Σ a²)^β, without dividing α by n.
 * Their k = 2, n = 5, α = 1e-4, β = 0.75 correspond here to alpha = 5e-4 (= n·1e-4). PyTorch's defaults are
 * alpha = 1e-4, beta = 0.75, k = 1.
 *
 * <p>Differences from PyTorch, all stricter or wider and none changing a result: k must be positive and α
 * non-negative (so S_c ≥ k &gt; 0 and the output stays finite), and a 2-D input (N,C) is accepted (PyTorch wants
 * at least 3 dims; (N,C) is the same as (N,C,1)). Sums accumulate in double.
 */
public final class LocalResponseNorm implements Layer {
    private final int size;
    private final double alpha, beta, k;

    // What backward needs from the last TRAIN forward: x and S for every input value.
    private record Forward(Tensor input, double[] denominatorBase) {}
    private final Saved<Forward> saved = new Saved<>();

    /** PyTorch defaults: alpha 1e-4, beta 0.75, k 1. */
    public LocalResponseNorm(int size) { this(size, 1e-4, 0.75, 1.0); }

    /**
     * @param size  n, the number of neighbouring channels summed over (the channel itself included)
     * @param alpha α, the multiplicative factor (divided by n, as in PyTorch)
     * @param beta  β, the exponent
     * @param k     the additive constant
     */
    public LocalResponseNorm(int size, double alpha, double beta, double k) {
        this.size = size;
        this.alpha = alpha;
        this.beta = beta;
        this.k = k;
        if (size <= 0) throw new IllegalArgumentException(describe() + ": size must be positive, got " + size);
        if (!(alpha >= 0) || !Double.isFinite(alpha)) throw new IllegalArgumentException(describe() + ": alpha must be non-negative and finite, got " + alpha);
        if (!Double.isFinite(beta)) throw new IllegalArgumentException(describe() + ": beta must be finite, got " + beta);
        if (!(k > 0) || !Double.isFinite(k)) throw new IllegalArgumentException(describe() + ": k must be positive and finite, got " + k);
    }

    public int size() { return size; }
    public double alpha() { return alpha; }
    public double beta() { return beta; }
    public double k() { return k; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        checkInput(x);
        int n = x.dim(0), channels = x.dim(1), inner = x.size() / (n * channels);
        int before = size / 2, after = (size - 1) / 2;
        double alphaOverN = alpha / size;
        float[] in = x.data();
        double[] denominatorBase = new double[in.length];
        Tensor y = Tensor.zeros(x.shape());
        float[] out = y.data();
        for (int s = 0; s < n; s++) {
            int sampleOff = s * channels * inner;
            for (int i = 0; i < inner; i++) {
                for (int c = 0; c < channels; c++) {
                    double energy = 0;
                    for (int cw = Math.max(0, c - before); cw <= Math.min(channels - 1, c + after); cw++) {
                        double a = in[sampleOff + cw * inner + i];
                        energy += a * a;
                    }
                    int at = sampleOff + c * inner + i;
                    double base = k + alphaOverN * energy;
                    denominatorBase[at] = base;
                    out[at] = (float) (in[at] * Math.pow(base, -beta));
                }
            }
        }
        saved.keep(mode, new Forward(x, denominatorBase));
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Forward forward = saved.get(this);
        Tensor input = forward.input();
        double[] denominatorBase = forward.denominatorBase();
        Layer.checkGradient(this, input, dy);
        int n = input.dim(0), channels = input.dim(1), inner = input.size() / (n * channels);
        int before = size / 2, after = (size - 1) / 2;
        double coefficient = 2 * alpha * beta / size;
        float[] in = input.data(), grad = dy.data();
        Tensor dx = Tensor.zeros(input.shape());
        float[] out = dx.data();
        double[] crossTerm = new double[channels];   // dy_c·a_c·S_c^(−β−1) at one (sample, position)
        for (int s = 0; s < n; s++) {
            int sampleOff = s * channels * inner;
            for (int i = 0; i < inner; i++) {
                for (int c = 0; c < channels; c++) {
                    int at = sampleOff + c * inner + i;
                    crossTerm[c] = grad[at] * (double) in[at] * Math.pow(denominatorBase[at], -beta - 1);
                }
                for (int j = 0; j < channels; j++) {
                    double windowSum = 0;
                    for (int c = Math.max(0, j - after); c <= Math.min(channels - 1, j + before); c++) windowSum += crossTerm[c];
                    int at = sampleOff + j * inner + i;
                    out[at] = (float) (grad[at] * Math.pow(denominatorBase[at], -beta) - coefficient * in[at] * windowSum);
                }
            }
        }
        return dx;
    }

    private void checkInput(Tensor x) {
        if (x.rank() < 2) throw new IllegalArgumentException(describe() + ": expected input [N,C,*], got " + x.shapeString());
        if (x.size() == 0) throw new IllegalArgumentException(describe() + ": got an empty input " + x.shapeString());
        if (!x.isFinite()) throw new IllegalArgumentException(describe() + ": input contains NaN or Inf");
    }

    @Override
    public List<Param> params() { return List.of(); }

    @Override
    public String describe() { return "LocalResponseNorm(size=" + size + ", alpha=" + alpha + ", beta=" + beta + ", k=" + k + ")"; }
}
