package org.normlab.norm;

import java.util.List;
import java.util.function.IntConsumer;
import org.normlab.kernels.BlockNorm;
import org.normlab.kernels.BlockNorm.Affine;
import org.normlab.kernels.Layout;
import org.normlab.kernels.Moments;
import org.normlab.kernels.Parallelism;
import org.normlab.kernels.Statistics;
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
 * Kernels: {@link BlockNorm}, one block per (sample, channel); no result depends on the thread count.
 */
public final class InstanceNorm implements Layer {
    private final int numFeatures;
    private final double eps, momentum;
    private final boolean affine, trackRunningStats;
    private final Param gamma, beta;
    private final Tensor runningMean, runningVar;

    private final BlockNormalizer instances = new BlockNormalizer(this);  // one block per (sample, channel); keeps the input and μ, 1/σ
    private boolean usedInstanceStats;  // whether the last forward's μ, σ depend on its input

    /** PyTorch InstanceNorm2d defaults: eps 1e-5, momentum 0.1, no affine, no running statistics. */
    public InstanceNorm(int numFeatures) { this(numFeatures, 1e-5, 0.1, false, false); }
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
    /** γ, β (null when not affine). */
    public Param gamma() { return gamma; }
    public Param beta() { return beta; }
    /** Running mean and unbiased variance (null when running statistics are off). */
    public Tensor runningMean() { return runningMean; }
    public Tensor runningVar() { return runningVar; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.rank() < 3 || x.rank() > 4 || x.dim(1) != numFeatures) throw new IllegalArgumentException(describe() + ": expected input [N,"
                + numFeatures + ",L] or [N," + numFeatures + ",H,W], got " + x.shapeString());
        if (x.size() == 0) throw new IllegalArgumentException(describe() + ": got an empty input " + x.shapeString());
        Layout layout = Layout.of(x.shape());
        int n = layout.outer(), inner = layout.inner();
        boolean useInstanceStats = mode == Mode.TRAIN || !trackRunningStats;
        if (useInstanceStats && inner < 2) throw new IllegalArgumentException(describe()
                + ": expected more than 1 spatial element when using instance statistics, got input " + x.shapeString());
        Affine.PerChannel perChannel = new Affine.PerChannel(affine ? gamma.value().data() : null, affine ? beta.value().data() : null);
        Tensor y = useInstanceStats
                ? instances.normalize(x, mode, layout, numFeatures, eps, perChannel)  // μ_nc, σ²_nc, x̂, y = γ_c·x̂ + β_c
                : instances.normalizeWithRunning(x, mode, layout, eps, perChannel, runningMean.data(), runningVar.data());
        Statistics stats = instances.stats();
        if (mode == Mode.TRAIN && trackRunningStats) {  // PyTorch: a BN update per (n, c), averaged over n
            float[] rm = runningMean.data(), rv = runningVar.data();
            for (int c = 0; c < numFeatures; c++) {
                double batchMean = 0, batchUnbiasedVar = 0;
                for (int s = 0; s < n; s++) {
                    batchMean += stats.mean()[s * numFeatures + c] / n;
                    batchUnbiasedVar += stats.variance()[s * numFeatures + c] * inner / (inner - 1) / n;
                }
                rm[c] = (float) ((1 - momentum) * rm[c] + momentum * batchMean);
                rv[c] = (float) ((1 - momentum) * rv[c] + momentum * batchUnbiasedVar);
            }
        }
        usedInstanceStats = useInstanceStats;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor gradInput = instances.gradientBuffer(dy), input = instances.input();
        Layout layout = Layout.of(input.shape());
        int n = layout.outer(), inner = layout.inner();
        float[] x = input.data(), g = affine ? gamma.value().data() : null, grad = dy.data(), dx = gradInput.data();
        double[] sums = instances.scratch().doubles(2 * n * numFeatures), mean = instances.stats().mean(), invStd = instances.stats().invStd();
        // sums: per (sample, channel) Σ dy, then Σ dy·x̂; dx per block
        Parallelism.forEach(n * numFeatures, 3L * input.size(), new InstanceGradient(grad, x, dx, g, sums, mean, invStd, numFeatures, inner, usedInstanceStats));
        if (affine) BlockNorm.addChannelSums(sums, n, numFeatures, gamma.grad().data(), beta.grad().data());  // dβ_c, dγ_c
        return gradInput;
    }

    /** dx of one (sample, channel) block and its Σ dy, Σ dy·x̂ (γ null: 1). */
    private record InstanceGradient(float[] dy, float[] x, float[] dx, float[] gamma, double[] sums, double[] mean, double[] invStd,
            int channels, int inner, boolean instanceStats) implements IntConsumer {
        @Override public void accept(int block) {
            int off = block * inner, c = block % channels;
            double mu = mean[block], is = invStd[block];
            BlockNorm.gradientSums(dy, x, off, 1, inner, mu, sums, 2 * block);
            sums[2 * block + 1] *= is;
            double scale = (gamma != null ? gamma[c] : 1) * is;
            if (instanceStats) {  // dx = γ_c/σ·(dy − mean(dy) − x̂·mean(dy·x̂))
                float kx = (float) (scale * is * sums[2 * block + 1] / inner), c0 = (float) (-scale * sums[2 * block] / inner);
                Moments.inputGradient(dy, x, dx, off, inner, (float) scale, kx, (float) mu, c0);
            } else {  // dx = γ_c/√(running_var_c + ε)·dy
                Moments.scale(dy, dx, off, inner, (float) scale);
            }
        }
    }

    @Override public List<Param> params() { return affine ? List.of(gamma, beta) : List.of(); }
    @Override public String describe() { return "InstanceNorm(C=" + numFeatures + ")"; }
}
