package org.normlab.norm;

import java.util.List;
import java.util.function.IntConsumer;
import org.normlab.kernels.Moments;
import org.normlab.kernels.Parallelism;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.tensor.Tensor;

/**
 * Instance normalization (Ulyanov et al. 2016) with PyTorch's conventions ({@code torch.nn.InstanceNorm1d/2d}),
 * for batched inputs (N,C,L) or (N,C,H,W). Each channel of each sample is normalized over its m spatial values.
 *
 * <pre>
 * with instance statistics (TRAIN, or EVAL without running statistics):
 *   μ_nc = (1/m) Σ x                        σ²_nc = (1/m) Σ (x − μ_nc)²            (biased, over spatial positions)
 *   x̂    = (x − μ_nc) / √(σ²_nc + ε)       y     = γ_c·x̂ + β_c                    (γ = 1, β = 0 when not affine)
 *   TRAIN with trackRunningStats:
 *     running_mean_c ← (1 − f)·running_mean_c + f·mean_n(μ_nc)
 *     running_var_c  ← (1 − f)·running_var_c  + f·mean_n(σ²_nc·m/(m − 1))           (unbiased per instance)
 *   backward:
 *     dβ_c += Σ_{n,spatial} dy               dγ_c += Σ_{n,spatial} dy·x̂
 *     dx    = γ_c/√(σ²_nc + ε) · (dy − mean(dy) − x̂·mean(dy·x̂))                  (means over the m values)
 *
 * EVAL with trackRunningStats (running statistics; one affine map per channel):
 *   y  = γ_c·(x − running_mean_c)/√(running_var_c + ε) + β_c
 *   dx = γ_c/√(running_var_c + ε)·dy,   dγ_c += Σ dy·x̂,   dβ_c += Σ dy
 * </pre>
 * PyTorch's {@code InstanceNorm2d} defaults are affine = false and trackRunningStats = false, so by default TRAIN and
 * EVAL are identical. The running-statistics update is what PyTorch's {@code instance_norm} does: a batch-norm
 * update per (n, c), then the average over n. The momentum f is a number in [0,1] (PyTorch 1.13's InstanceNorm
 * does not accept None). Instance statistics need more than one spatial value ("expected more than 1 spatial
 * element"), as in PyTorch. Unlike PyTorch, which only warns when the channel count differs and affine is off,
 * a wrong channel count is always an error here; unbatched (C,H,W) input is not accepted.
 * (Sample, channel) blocks run on {@link Parallelism#threads()} threads through the shared {@link Moments} kernel
 * (two passes over memory each way, sums in double); per-channel sums are added over samples in order, so results
 * do not depend on the thread count.
 */
public final class InstanceNorm implements Layer {
    private final int numFeatures;
    private final double eps, momentum;
    private final boolean affine, trackRunningStats;
    private final Param gamma, beta;
    private final Tensor runningMean, runningVar;

    // What backward needs from the last forward: per (sample, channel) mean and 1/σ.
    private Tensor input;
    private boolean usedInstanceStats;
    private double[] mean, invStd, blockVar;

    // Buffers reused while the shape repeats (a returned tensor is valid until this layer's next forward/backward),
    // and the kernel arguments Parallelism.forEach hands to the per-block kernels.
    private Tensor output, gradInput;
    private double[] sums;
    private float[] kIn, kOut, kDy;
    private int kInner;
    private volatile boolean nonFinite;
    private final IntConsumer instanceStatsForward = this::instanceStatsForward, runningStatsForward = this::runningStatsForward,
            backwardBlock = this::backwardBlock;

    /** PyTorch InstanceNorm2d defaults: eps 1e-5, momentum 0.1, no affine, no running statistics. */
    public InstanceNorm(int numFeatures) { this(numFeatures, 1e-5, 0.1, false, false); }

    /**
     * @param momentum weight of the newest batch in the running statistics, in [0,1] (used only with trackRunningStats)
     */
    public InstanceNorm(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) throw new IllegalArgumentException("InstanceNorm: number of channels must be positive, got " + numFeatures);
        this.numFeatures = numFeatures;
        if (!(eps > 0) || !Double.isFinite(eps)) throw new IllegalArgumentException(describe() + ": eps must be positive and finite, got " + eps);
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException(describe() + ": momentum must be in [0,1], got " + momentum);
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        this.gamma = affine ? Param.normAffine("gamma", Tensor.full(1f, numFeatures)) : null;
        this.beta = affine ? Param.normAffine("beta", Tensor.zeros(numFeatures)) : null;
        this.runningMean = trackRunningStats ? Tensor.zeros(numFeatures) : null;
        this.runningVar = trackRunningStats ? Tensor.full(1f, numFeatures) : null;
    }

    public int numFeatures() { return numFeatures; }
    public double eps() { return eps; }
    public double momentum() { return momentum; }
    /** γ (null when not affine). */
    public Param gamma() { return gamma; }
    /** β (null when not affine). */
    public Param beta() { return beta; }
    /** Running mean (null when running statistics are off). */
    public Tensor runningMean() { return runningMean; }
    /** Running unbiased variance (null when running statistics are off). */
    public Tensor runningVar() { return runningVar; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        checkInput(x);
        int n = x.dim(0), inner = x.size() / (n * numFeatures);
        boolean useInstanceStats = mode == Mode.TRAIN || !trackRunningStats;
        if (useInstanceStats && inner < 2) {
            throw new IllegalArgumentException(describe() + ": expected more than 1 spatial element when using instance statistics, got input "
                    + x.shapeString());
        }
        int blocks = n * numFeatures;
        if (mean == null || mean.length != blocks) {
            mean = new double[blocks];
            invStd = new double[blocks];
            blockVar = new double[blocks];
        }
        sums = Moments.scratch(sums, 2 * blocks);
        output = Tensor.reuse(output, x.shape());
        kIn = x.data();
        kOut = output.data();
        kInner = inner;
        nonFinite = false;
        Parallelism.forEach(blocks, 2L * x.size(), useInstanceStats ? instanceStatsForward : runningStatsForward);
        kIn = kOut = null;
        if (nonFinite) throw new IllegalArgumentException(describe() + ": input contains NaN or Inf");
        if (mode == Mode.TRAIN && trackRunningStats) {  // PyTorch: a BN update per (n, c), averaged over n
            float[] rm = runningMean.data(), rv = runningVar.data();
            for (int c = 0; c < numFeatures; c++) {
                double batchMean = 0, batchUnbiasedVar = 0;
                for (int s = 0; s < n; s++) {
                    batchMean += mean[s * numFeatures + c] / n;
                    batchUnbiasedVar += blockVar[s * numFeatures + c] * inner / (inner - 1) / n;
                }
                rm[c] = (float) ((1 - momentum) * rm[c] + momentum * batchMean);
                rv[c] = (float) ((1 - momentum) * rv[c] + momentum * batchUnbiasedVar);
            }
        }
        input = x;
        usedInstanceStats = useInstanceStats;
        return output;
    }

    /** Block = (sample, channel), contiguous: moments (pass 1, also the finiteness check), then y = a·x + b. */
    private void instanceStatsForward(int block) {
        int inner = kInner, off = block * inner;
        double shift = kIn[off];
        sums[2 * block] = 0;
        sums[2 * block + 1] = 0;
        Moments.addShifted(kIn, off, inner, shift, sums, 2 * block);
        if (!Double.isFinite(sums[2 * block]) || !Double.isFinite(sums[2 * block + 1])) { nonFinite = true; return; }
        mean[block] = Moments.mean(shift, sums[2 * block], inner);
        blockVar[block] = Moments.variance(sums[2 * block], sums[2 * block + 1], inner);
        invStd[block] = 1 / Math.sqrt(blockVar[block] + eps);
        normalizeBlock(block);
    }

    /** Block with running statistics: one pass, checking the block for NaN/Inf as it goes. */
    private void runningStatsForward(int block) {
        int c = block % numFeatures;
        double mu = runningMean.data()[c], is = 1 / Math.sqrt(runningVar.data()[c] + eps);
        mean[block] = mu;
        invStd[block] = is;
        double g = affine ? gamma.value().data()[c] : 1, b = affine ? beta.value().data()[c] : 0;
        if (!Moments.affineChecked(kIn, kOut, block * kInner, kInner, (float) (g * is), (float) (b - g * is * mu))) nonFinite = true;
    }

    private void normalizeBlock(int block) {
        int c = block % numFeatures;
        double g = affine ? gamma.value().data()[c] : 1, b = affine ? beta.value().data()[c] : 0;
        double mu = mean[block], is = invStd[block];
        Moments.affine(kIn, kOut, block * kInner, kInner, (float) (g * is), (float) (b - g * is * mu));
    }

    @Override
    public Tensor backward(Tensor dy) {
        Layer.checkGradient(this, input, dy);
        int n = input.dim(0);
        kInner = input.size() / (n * numFeatures);
        gradInput = Tensor.reuse(gradInput, input.shape());
        kIn = input.data();
        kDy = dy.data();
        kOut = gradInput.data();
        Parallelism.forEach(n * numFeatures, 3L * input.size(), backwardBlock);
        kIn = kDy = kOut = null;
        if (affine) {  // the blocks' sums added over samples in order
            float[] dg = gamma.grad().data(), db = beta.grad().data();
            for (int c = 0; c < numFeatures; c++) {
                double sumDy = 0, sumDyXhat = 0;
                for (int s = 0; s < n; s++) {
                    sumDy += sums[2 * (s * numFeatures + c)];
                    sumDyXhat += sums[2 * (s * numFeatures + c) + 1];
                }
                dg[c] += (float) sumDyXhat;
                db[c] += (float) sumDy;
            }
        }
        return gradInput;
    }

    /** Block (sample, channel): Σdy, Σdy·x̂ (kept for dγ, dβ), then dx (see {@link Moments}). */
    private void backwardBlock(int block) {
        int inner = kInner, off = block * inner, c = block % numFeatures;
        double mu = mean[block], is = invStd[block];
        sums[2 * block] = 0;
        sums[2 * block + 1] = 0;
        Moments.addGradientSums(kDy, kIn, off, inner, mu, sums, 2 * block);
        sums[2 * block + 1] *= is;
        double scale = (affine ? gamma.value().data()[c] : 1) * is;
        if (usedInstanceStats) {
            float kx = (float) (scale * is * sums[2 * block + 1] / inner), c0 = (float) (-scale * sums[2 * block] / inner);
            Moments.inputGradient(kDy, kIn, kOut, off, inner, (float) scale, kx, (float) mu, c0);
        } else {
            Moments.scale(kDy, kOut, off, inner, (float) scale);
        }
    }

    private void checkInput(Tensor x) {
        int r = x.rank();
        if (r < 3 || r > 4 || x.dim(1) != numFeatures) {
            throw new IllegalArgumentException(describe() + ": expected input [N," + numFeatures + ",L] or [N," + numFeatures + ",H,W], got "
                    + x.shapeString());
        }
        if (x.size() == 0) throw new IllegalArgumentException(describe() + ": got an empty input " + x.shapeString());
    }

    @Override
    public List<Param> params() { return affine ? List.of(gamma, beta) : List.of(); }

    @Override
    public String describe() { return "InstanceNorm(C=" + numFeatures + ")"; }
}
