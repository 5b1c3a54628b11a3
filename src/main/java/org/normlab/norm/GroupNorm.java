package org.normlab.norm;

import java.util.List;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.tensor.Tensor;

/**
 * Group normalization (Wu &amp; He 2018) with PyTorch's conventions ({@code torch.nn.GroupNorm}), for inputs
 * (N,C), (N,C,L), (N,C,H,W) or any (N,C,*). The C channels are split into G consecutive groups of C/G; each
 * sample's group is normalized over its m = (C/G)·(spatial size) values. In NCHW storage a group of one
 * sample is one contiguous block.
 *
 * <pre>
 * forward (the same in TRAIN and EVAL; there are no running statistics):
 *   μ_ng = (1/m) Σ x                         σ²_ng = (1/m) Σ (x − μ_ng)²          (biased, over the group's values)
 *   x̂    = (x − μ_ng) / √(σ²_ng + ε)        y     = γ_c·x̂ + β_c                  (per-channel γ, β)
 *
 * backward:
 *   dβ_c += Σ_{n,spatial} dy                 dγ_c += Σ_{n,spatial} dy·x̂
 *   g     = γ_c·dy
 *   dx    = 1/√(σ²_ng + ε) · (g − mean(g) − x̂·mean(g·x̂))                       (means over the group's m values)
 * </pre>
 * G = 1 normalizes each sample over (C, spatial), as the GroupNorm paper's LayerNorm does; G = C normalizes each
 * channel of each sample alone, as InstanceNorm does. Sums accumulate in double.
 *
 * <p>Unlike PyTorch, which raises "Expected more than 1 value per channel when training" only when N·C/G·(spatial)
 * is 1, a group with a single value is accepted here; it normalizes to x̂ = 0 (y = β), which is what PyTorch
 * computes for such a group when its check lets it through (e.g. N = 2).
 */
public final class GroupNorm implements Layer {
    private final int numGroups, numChannels;
    private final double eps;
    private final boolean affine;
    private final Param gamma, beta;

    // What backward needs from the last forward: per (sample, group) statistics.
    private Tensor input;
    private double[] mean, invStd;

    /** PyTorch defaults: eps 1e-5, affine (γ = 1, β = 0). */
    public GroupNorm(int numGroups, int numChannels) { this(numGroups, numChannels, 1e-5, true); }

    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        if (numGroups <= 0 || numChannels <= 0) {
            throw new IllegalArgumentException("GroupNorm: numbers of groups and channels must be positive, got G=" + numGroups + ", C=" + numChannels);
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        if (numChannels % numGroups != 0) {
            throw new IllegalArgumentException(describe() + ": number of groups " + numGroups + " must divide number of channels " + numChannels);
        }
        if (!(eps > 0) || !Double.isFinite(eps)) throw new IllegalArgumentException(describe() + ": eps must be positive and finite, got " + eps);
        this.eps = eps;
        this.affine = affine;
        this.gamma = affine ? Param.normAffine("gamma", Tensor.full(1f, numChannels)) : null;
        this.beta = affine ? Param.normAffine("beta", Tensor.zeros(numChannels)) : null;
    }

    public int numGroups() { return numGroups; }
    public int numChannels() { return numChannels; }
    public double eps() { return eps; }
    /** γ, one per channel (null when not affine). */
    public Param gamma() { return gamma; }
    /** β, one per channel (null when not affine). */
    public Param beta() { return beta; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        checkInput(x);
        int n = x.dim(0), inner = x.size() / (n * numChannels);
        int channelsPerGroup = numChannels / numGroups, groupSize = channelsPerGroup * inner;
        float[] in = x.data();
        mean = new double[n * numGroups];
        invStd = new double[n * numGroups];
        Tensor y = Tensor.zeros(x.shape());
        float[] out = y.data();
        for (int s = 0; s < n; s++) {
            for (int grp = 0; grp < numGroups; grp++) {
                int block = s * numGroups + grp, off = block * groupSize;
                double sum = 0;
                for (int i = 0; i < groupSize; i++) sum += in[off + i];
                double mu = sum / groupSize, sq = 0;
                for (int i = 0; i < groupSize; i++) { double d = in[off + i] - mu; sq += d * d; }
                double is = 1 / Math.sqrt(sq / groupSize + eps);
                mean[block] = mu;
                invStd[block] = is;
                for (int cg = 0; cg < channelsPerGroup; cg++) {
                    int c = grp * channelsPerGroup + cg, cOff = off + cg * inner;
                    double g = affine ? gamma.value().data()[c] : 1, b = affine ? beta.value().data()[c] : 0;
                    for (int i = 0; i < inner; i++) out[cOff + i] = (float) (g * (in[cOff + i] - mu) * is + b);
                }
            }
        }
        input = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (input == null) throw new IllegalStateException(describe() + ": backward called before forward");
        if (!dy.sameShape(input)) {
            throw new IllegalArgumentException(describe() + ": expected gradient " + input.shapeString() + ", got " + dy.shapeString());
        }
        int n = input.dim(0), inner = input.size() / (n * numChannels);
        int channelsPerGroup = numChannels / numGroups, groupSize = channelsPerGroup * inner;
        float[] in = input.data(), grad = dy.data();
        double[] dGamma = new double[numChannels], dBeta = new double[numChannels];
        Tensor dx = Tensor.zeros(input.shape());
        float[] out = dx.data();
        for (int s = 0; s < n; s++) {
            for (int grp = 0; grp < numGroups; grp++) {
                int block = s * numGroups + grp, off = block * groupSize;
                double mu = mean[block], is = invStd[block];
                double sumG = 0, sumGXhat = 0;
                for (int cg = 0; cg < channelsPerGroup; cg++) {
                    int c = grp * channelsPerGroup + cg, cOff = off + cg * inner;
                    double g = affine ? gamma.value().data()[c] : 1;
                    double sumDy = 0, sumDyXhat = 0;
                    for (int i = 0; i < inner; i++) {
                        double xhat = (in[cOff + i] - mu) * is;
                        sumDy += grad[cOff + i];
                        sumDyXhat += grad[cOff + i] * xhat;
                    }
                    dBeta[c] += sumDy;
                    dGamma[c] += sumDyXhat;
                    sumG += g * sumDy;
                    sumGXhat += g * sumDyXhat;
                }
                double meanG = sumG / groupSize, meanGXhat = sumGXhat / groupSize;
                for (int cg = 0; cg < channelsPerGroup; cg++) {
                    int c = grp * channelsPerGroup + cg, cOff = off + cg * inner;
                    double g = affine ? gamma.value().data()[c] : 1;
                    for (int i = 0; i < inner; i++) {
                        double xhat = (in[cOff + i] - mu) * is;
                        out[cOff + i] = (float) (is * (g * grad[cOff + i] - meanG - xhat * meanGXhat));
                    }
                }
            }
        }
        if (affine) {
            float[] dg = gamma.grad().data(), db = beta.grad().data();
            for (int c = 0; c < numChannels; c++) {
                dg[c] += (float) dGamma[c];
                db[c] += (float) dBeta[c];
            }
        }
        return dx;
    }

    private void checkInput(Tensor x) {
        if (x.rank() < 2 || x.dim(1) != numChannels) {
            throw new IllegalArgumentException(describe() + ": expected input [N," + numChannels + ",*], got " + x.shapeString());
        }
        if (x.size() == 0) throw new IllegalArgumentException(describe() + ": got an empty input " + x.shapeString());
        if (!x.isFinite()) throw new IllegalArgumentException(describe() + ": input contains NaN or Inf");
    }

    @Override
    public List<Param> params() { return affine ? List.of(gamma, beta) : List.of(); }

    @Override
    public String describe() { return "GroupNorm(G=" + numGroups + ", C=" + numChannels + ")"; }
}
