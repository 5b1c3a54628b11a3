package org.normlab.norm;

import java.util.List;
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
 * Sums accumulate in double.
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
    private double[] mean, invStd;

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
        float[] in = x.data();
        mean = new double[n * numFeatures];
        invStd = new double[n * numFeatures];
        if (useInstanceStats) {
            double[] batchMean = new double[numFeatures], batchUnbiasedVar = new double[numFeatures];
            for (int s = 0; s < n; s++) {
                for (int c = 0; c < numFeatures; c++) {
                    int block = s * numFeatures + c, off = block * inner;
                    double sum = 0;
                    for (int i = 0; i < inner; i++) sum += in[off + i];
                    double mu = sum / inner, sq = 0;
                    for (int i = 0; i < inner; i++) { double d = in[off + i] - mu; sq += d * d; }
                    mean[block] = mu;
                    invStd[block] = 1 / Math.sqrt(sq / inner + eps);
                    batchMean[c] += mu / n;
                    batchUnbiasedVar[c] += sq / (inner - 1) / n;
                }
            }
            if (mode == Mode.TRAIN && trackRunningStats) {
                float[] rm = runningMean.data(), rv = runningVar.data();
                for (int c = 0; c < numFeatures; c++) {
                    rm[c] = (float) ((1 - momentum) * rm[c] + momentum * batchMean[c]);
                    rv[c] = (float) ((1 - momentum) * rv[c] + momentum * batchUnbiasedVar[c]);
                }
            }
        } else {
            float[] rm = runningMean.data(), rv = runningVar.data();
            for (int s = 0; s < n; s++) {
                for (int c = 0; c < numFeatures; c++) {
                    mean[s * numFeatures + c] = rm[c];
                    invStd[s * numFeatures + c] = 1 / Math.sqrt(rv[c] + eps);
                }
            }
        }
        Tensor y = Tensor.zeros(x.shape());
        float[] out = y.data();
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < numFeatures; c++) {
                int block = s * numFeatures + c, off = block * inner;
                double g = affine ? gamma.value().data()[c] : 1, b = affine ? beta.value().data()[c] : 0;
                double mu = mean[block], is = invStd[block];
                for (int i = 0; i < inner; i++) out[off + i] = (float) (g * (in[off + i] - mu) * is + b);
            }
        }
        input = x;
        usedInstanceStats = useInstanceStats;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (input == null) throw new IllegalStateException(describe() + ": backward called before forward");
        if (!dy.sameShape(input)) {
            throw new IllegalArgumentException(describe() + ": expected gradient " + input.shapeString() + ", got " + dy.shapeString());
        }
        int n = input.dim(0), inner = input.size() / (n * numFeatures);
        float[] in = input.data(), grad = dy.data();
        double[] dGamma = new double[numFeatures], dBeta = new double[numFeatures];
        Tensor dx = Tensor.zeros(input.shape());
        float[] out = dx.data();
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < numFeatures; c++) {
                int block = s * numFeatures + c, off = block * inner;
                double mu = mean[block], is = invStd[block];
                double sumDy = 0, sumDyXhat = 0;
                for (int i = 0; i < inner; i++) {
                    sumDy += grad[off + i];
                    sumDyXhat += grad[off + i] * (in[off + i] - mu) * is;
                }
                dBeta[c] += sumDy;
                dGamma[c] += sumDyXhat;
                double scale = (affine ? gamma.value().data()[c] : 1) * is;
                if (usedInstanceStats) {
                    double meanDy = sumDy / inner, meanDyXhat = sumDyXhat / inner;
                    for (int i = 0; i < inner; i++) {
                        double xhat = (in[off + i] - mu) * is;
                        out[off + i] = (float) (scale * (grad[off + i] - meanDy - xhat * meanDyXhat));
                    }
                } else {
                    for (int i = 0; i < inner; i++) out[off + i] = (float) (scale * grad[off + i]);
                }
            }
        }
        if (affine) {
            float[] dg = gamma.grad().data(), db = beta.grad().data();
            for (int c = 0; c < numFeatures; c++) {
                dg[c] += (float) dGamma[c];
                db[c] += (float) dBeta[c];
            }
        }
        return dx;
    }

    private void checkInput(Tensor x) {
        int r = x.rank();
        if (r < 3 || r > 4 || x.dim(1) != numFeatures) {
            throw new IllegalArgumentException(describe() + ": expected input [N," + numFeatures + ",L] or [N," + numFeatures + ",H,W], got "
                    + x.shapeString());
        }
        if (x.size() == 0) throw new IllegalArgumentException(describe() + ": got an empty input " + x.shapeString());
        if (!x.isFinite()) throw new IllegalArgumentException(describe() + ": input contains NaN or Inf");
    }

    @Override
    public List<Param> params() { return affine ? List.of(gamma, beta) : List.of(); }

    @Override
    public String describe() { return "InstanceNorm(C=" + numFeatures + ")"; }
}
