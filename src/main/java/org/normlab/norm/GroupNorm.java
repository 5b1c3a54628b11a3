package org.normlab.norm;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
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
 * channel of each sample alone, as InstanceNorm does. (Sample, group) blocks run on {@link Parallelism#threads()}
 * threads through the shared {@link Moments} kernel (two passes over memory each way, sums in double); dγ, dβ add
 * the blocks' per-channel sums over samples in order, so results do not depend on the thread count.
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

    // Buffers reused while the shape repeats (a returned tensor is valid until this layer's next forward/backward),
    // and the kernel arguments Parallelism.forEach hands to the per-block kernels.
    private Tensor output, gradInput;
    private double[] sums;
    private float[] kIn, kOut, kDy;
    private int kInner;
    private volatile boolean nonFinite;
    private final IntConsumer forwardBlock = this::forwardBlock, backwardBlock = this::backwardBlock;

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
        int n = x.dim(0), blocks = n * numGroups;
        kInner = x.size() / (n * numChannels);
        if (mean == null || mean.length != blocks) {
            mean = new double[blocks];
            invStd = new double[blocks];
        }
        sums = Moments.scratch(sums, 2 * n * numChannels);
        output = Tensor.reuse(output, x.shape());
        kIn = x.data();
        kOut = output.data();
        nonFinite = false;
        Parallelism.forEach(blocks, 2L * x.size(), forwardBlock);
        kIn = kOut = null;
        if (nonFinite) throw new IllegalArgumentException(describe() + ": input contains NaN or Inf");
        input = x;
        return output;
    }

    /** Block = (sample, group), contiguous: moments (pass 1, also the finiteness check), then y = a_c·x + b_c. */
    private void forwardBlock(int block) {
        int inner = kInner, channelsPerGroup = numChannels / numGroups, groupSize = channelsPerGroup * inner;
        int off = block * groupSize, grp = block % numGroups;
        double shift = kIn[off];
        sums[2 * block] = 0;
        sums[2 * block + 1] = 0;
        Moments.addShifted(kIn, off, groupSize, shift, sums, 2 * block);
        if (!Double.isFinite(sums[2 * block]) || !Double.isFinite(sums[2 * block + 1])) { nonFinite = true; return; }
        double mu = Moments.mean(shift, sums[2 * block], groupSize);
        double is = 1 / Math.sqrt(Moments.variance(sums[2 * block], sums[2 * block + 1], groupSize) + eps);
        mean[block] = mu;
        invStd[block] = is;
        for (int cg = 0; cg < channelsPerGroup; cg++) {
            int c = grp * channelsPerGroup + cg;
            double g = affine ? gamma.value().data()[c] : 1, b = affine ? beta.value().data()[c] : 0;
            Moments.affine(kIn, kOut, off + cg * inner, inner, (float) (g * is), (float) (b - g * is * mu));
        }
    }

    @Override
    public Tensor backward(Tensor dy) {
        Layer.checkGradient(this, input, dy);
        int n = input.dim(0);
        kInner = input.size() / (n * numChannels);
        gradInput = Tensor.reuse(gradInput, input.shape());
        kIn = input.data();
        kDy = dy.data();
        kOut = gradInput.data();
        Parallelism.forEach(n * numGroups, 3L * input.size(), backwardBlock);
        kIn = kDy = kOut = null;
        if (affine) {  // per (sample, channel) sums from the blocks, added over samples in order
            float[] dg = gamma.grad().data(), db = beta.grad().data();
            for (int c = 0; c < numChannels; c++) {
                double sumDy = 0, sumDyXhat = 0;
                for (int s = 0; s < n; s++) {
                    sumDy += sums[2 * (s * numChannels + c)];
                    sumDyXhat += sums[2 * (s * numChannels + c) + 1];
                }
                dg[c] += (float) sumDyXhat;
                db[c] += (float) sumDy;
            }
        }
        return gradInput;
    }

    /**
     * Block (sample s, group): per channel Σdy and Σdy·x̂ (kept for dγ, dβ), the group's Σg and Σg·(x − μ) with
     * g = γ_c·dy, then dx = γ_c/σ·dy − (Σg·(x − μ)/(m·σ³))·(x − μ) − Σg/(m·σ).
     */
    private void backwardBlock(int block) {
        int inner = kInner, channelsPerGroup = numChannels / numGroups, groupSize = channelsPerGroup * inner;
        int off = block * groupSize, s = block / numGroups, grp = block % numGroups;
        double mu = mean[block], is = invStd[block];
        int firstSlot = 2 * (s * numChannels + grp * channelsPerGroup);
        Arrays.fill(sums, firstSlot, firstSlot + 2 * channelsPerGroup, 0);
        // Channels two at a time: a run of a small map (100 values at (256,16,10,10)) costs about as much in its
        // lane totals as in its loads, and a pair's totals overlap; each channel's sums are those of a call of its own.
        int cg = 0;
        for (; cg + 1 < channelsPerGroup; cg += 2) {
            Moments.addGradientSumsPair(kDy, kIn, off + cg * inner, off + (cg + 1) * inner, inner, mu, mu, sums, firstSlot + 2 * cg, firstSlot + 2 * cg + 2);
        }
        if (cg < channelsPerGroup) Moments.addGradientSums(kDy, kIn, off + cg * inner, inner, mu, sums, firstSlot + 2 * cg);
        double sumG = 0, sumGXmu = 0;
        for (cg = 0; cg < channelsPerGroup; cg++) {
            int c = grp * channelsPerGroup + cg, slot = firstSlot + 2 * cg;
            double g = affine ? gamma.value().data()[c] : 1;
            sumG += g * sums[slot];
            sumGXmu += g * sums[slot + 1];
            sums[slot + 1] *= is;  // Σ dy·x̂ for dγ
        }
        float kx = (float) (is * is * is * sumGXmu / groupSize), c0 = (float) (-is * sumG / groupSize), muF = (float) mu;
        for (cg = 0; cg < channelsPerGroup; cg++) {
            int c = grp * channelsPerGroup + cg;
            double g = affine ? gamma.value().data()[c] : 1;
            Moments.inputGradient(kDy, kIn, kOut, off + cg * inner, inner, (float) (g * is), kx, muF, c0);
        }
    }

    private void checkInput(Tensor x) {
        if (x.rank() < 2 || x.dim(1) != numChannels) {
            throw new IllegalArgumentException(describe() + ": expected input [N," + numChannels + ",*], got " + x.shapeString());
        }
        if (x.size() == 0) throw new IllegalArgumentException(describe() + ": got an empty input " + x.shapeString());
    }

    @Override
    public List<Param> params() { return affine ? List.of(gamma, beta) : List.of(); }

    @Override
    public String describe() { return "GroupNorm(G=" + numGroups + ", C=" + numChannels + ")"; }
}
