package org.normlab.norm;

import java.util.List;
import java.util.function.IntConsumer;
import org.normlab.kernels.BlockNorm;
import org.normlab.kernels.BlockNorm.Affine;
import org.normlab.kernels.Layout;
import org.normlab.kernels.Moments;
import org.normlab.kernels.Parallelism;
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
 * channel of each sample alone, as InstanceNorm does. Kernels: {@link BlockNorm} with one block per (sample, group),
 * contiguous in NCHW; dγ, dβ add the blocks' per-channel sums over samples in order, so results do not depend on the
 * thread count.
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

    private final BlockNormalizer groups = new BlockNormalizer(this);  // one block per (sample, group); keeps the input and μ, 1/σ

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
    /** γ, β, one per channel (null when not affine). */
    public Param gamma() { return gamma; }
    public Param beta() { return beta; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        checkInput(x);
        Affine perChannel = new Affine.PerChannel(affine ? gamma.value().data() : null, affine ? beta.value().data() : null);
        return groups.normalize(x, mode, Layout.of(x.shape()), numGroups, eps, perChannel);  // μ_ng, σ²_ng, x̂, y = γ_c·x̂ + β_c
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor gradInput = groups.gradientBuffer(dy), input = groups.input();
        Layout layout = Layout.of(input.shape());
        int n = layout.outer(), inner = layout.inner(), perGroup = numChannels / numGroups;
        float[] x = input.data(), g = affine ? gamma.value().data() : null, grad = dy.data(), dx = gradInput.data();
        double[] sums = groups.scratch().doubles(2 * n * numChannels), mean = groups.stats().mean(), invStd = groups.stats().invStd();
        // sums: per (sample, channel) Σ dy, then Σ dy·x̂; dx per block
        Parallelism.forEach(n * numGroups, 3L * input.size(), new GroupGradient(grad, x, dx, g, sums, mean, invStd, numGroups, perGroup, inner));
        if (affine) BlockNorm.addChannelSums(sums, n, numChannels, gamma.grad().data(), beta.grad().data());  // dβ_c, dγ_c
        return gradInput;
    }

    /** dx of one (sample, group) block and its channels' Σ dy, Σ dy·x̂ (γ null: 1). */
    private record GroupGradient(float[] dy, float[] x, float[] dx, float[] gamma, double[] sums, double[] mean, double[] invStd,
            int groups, int perGroup, int inner) implements IntConsumer {
        @Override public void accept(int block) {
            int m = perGroup * inner, off = block * m, first = block % groups * perGroup, slot = 2 * (block / groups * groups * perGroup + first);
            double mu = mean[block], is = invStd[block], sumG = 0, sumGXmu = 0;
            BlockNorm.gradientSums(dy, x, off, perGroup, inner, mu, sums, slot);
            for (int cg = 0; cg < perGroup; cg++) {  // Σ g and Σ g·(x − μ) over the group, g = γ_c·dy
                double gc = gamma != null ? gamma[first + cg] : 1;
                sumG += gc * sums[slot + 2 * cg];
                sumGXmu += gc * sums[slot + 2 * cg + 1];
                sums[slot + 2 * cg + 1] *= is;
            }
            // dx = γ_c/σ·dy − (Σg·(x − μ)/(m·σ³))·(x − μ) − Σg/(m·σ) = (g − mean(g) − x̂·mean(g·x̂))/σ
            float kx = (float) (is * is * is * sumGXmu / m), c0 = (float) (-is * sumG / m), muF = (float) mu;
            for (int cg = 0; cg < perGroup; cg++) {
                double gc = gamma != null ? gamma[first + cg] : 1;
                Moments.inputGradient(dy, x, dx, off + cg * inner, inner, (float) (gc * is), kx, muF, c0);
            }
        }
    }

    private void checkInput(Tensor x) {
        if (x.rank() < 2 || x.dim(1) != numChannels) {
            throw new IllegalArgumentException(describe() + ": expected input [N," + numChannels + ",*], got " + x.shapeString());
        }
        if (x.size() == 0) throw new IllegalArgumentException(describe() + ": got an empty input " + x.shapeString());
    }

    @Override public List<Param> params() { return affine ? List.of(gamma, beta) : List.of(); }
    @Override public String describe() { return "GroupNorm(G=" + numGroups + ", C=" + numChannels + ")"; }
}
