package org.normlab.norm;

import java.util.List;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.nn.Saved;
import org.normlab.tensor.Tensor;

/**
 * Batch Renormalization (Ioffe 2017) for (N,C), (N,C,L), (N,C,H,W): training normalizes with the batch statistics
 * but corrects them towards the running statistics, so training and inference compute the same function when the
 * correction is within bounds.
 *
 * <pre>
 * TRAIN:  σ_B = √(σ²_B + ε),  σ = √(running_var + ε)
 *         r = clip(σ_B / σ, 1/r_max, r_max),   d = clip((μ_B − running_mean) / σ, −d_max, d_max)   (no gradient)
 *         x̂ = (x − μ_B)/σ_B · r + d,   y = γ·x̂ + β
 *         running_mean ← (1 − m)·running_mean + m·μ_B,  running_var ← (1 − m)·running_var + m·σ²_B·n/(n − 1)
 * backward (r, d constants):  with x̂_B = (x − μ_B)/σ_B
 *         dx = γ·r/σ_B · (dy − mean(dy) − x̂_B·mean(dy·x̂_B)),   dγ += Σ dy·x̂,   dβ += Σ dy
 * EVAL:   y = γ·(x − running_mean)/σ + β     (as BatchNorm)
 * </pre>
 * Schedule (the paper's): plain BN (r_max = 1, d_max = 0) for the first {@code warmupSteps} training steps, then
 * r_max rises linearly to {@code rMaxFinal} and d_max to {@code dMaxFinal} over {@code rampSteps} steps. The layer
 * counts its own TRAIN forwards, so no trainer support is needed.
 */
public final class BatchRenorm implements Layer {
    private final int channels;
    private final double eps, momentum, rMaxFinal, dMaxFinal;
    private final long warmupSteps, rampSteps;
    private final Param gamma, beta;
    private final Tensor runningMean, runningVar;
    private long steps;

    private final Saved<Tensor> savedInput = new Saved<>();  // of the last TRAIN forward
    private boolean usedBatchStats;
    private final double[] mean, invStd, r;
    private double[] lastD;  // d of the last forward (0 in EVAL), for dγ

    /** Defaults scaled to NormLab's short runs: r_max → 3, d_max → 5, 100 warm-up steps, 500-step ramp. */
    public BatchRenorm(int channels) { this(channels, 1e-5, 0.1, 3, 5, 100, 500); }

    public BatchRenorm(int channels, double eps, double momentum, double rMaxFinal, double dMaxFinal, long warmupSteps, long rampSteps) {
        if (channels <= 0) throw new IllegalArgumentException("BatchRenorm: number of channels must be positive, got " + channels);
        this.channels = channels;
        if (!(eps > 0) || !Double.isFinite(eps)) throw new IllegalArgumentException(describe() + ": eps must be positive and finite, got " + eps);
        if (!(rMaxFinal >= 1) || !(dMaxFinal >= 0)) {
            throw new IllegalArgumentException(describe() + ": r_max must be ≥ 1 and d_max ≥ 0, got " + rMaxFinal + ", " + dMaxFinal);
        }
        if (!(momentum > 0 && momentum <= 1)) throw new IllegalArgumentException(describe() + ": momentum must be in (0,1], got " + momentum);
        if (warmupSteps < 0 || rampSteps < 0) throw new IllegalArgumentException(describe() + ": warm-up and ramp steps must be ≥ 0");
        this.eps = eps;
        this.momentum = momentum;
        this.rMaxFinal = rMaxFinal;
        this.dMaxFinal = dMaxFinal;
        this.warmupSteps = warmupSteps;
        this.rampSteps = rampSteps;
        this.gamma = Param.normAffine("gamma", Tensor.full(1f, channels));
        this.beta = Param.normAffine("beta", Tensor.zeros(channels));
        this.runningMean = Tensor.zeros(channels);
        this.runningVar = Tensor.full(1f, channels);
        this.mean = new double[channels];
        this.invStd = new double[channels];
        this.r = new double[channels];
    }

    public Param gamma() { return gamma; }
    public Param beta() { return beta; }
    public Tensor runningMean() { return runningMean; }
    public Tensor runningVar() { return runningVar; }

    /** r_max after {@code step} training steps (1 during warm-up, then a linear ramp). */
    public double rMax(long step) { return 1 + (rMaxFinal - 1) * ramp(step); }

    /** d_max after {@code step} training steps (0 during warm-up, then a linear ramp). */
    public double dMax(long step) { return dMaxFinal * ramp(step); }

    private double ramp(long step) {
        if (step < warmupSteps) return 0;
        return rampSteps == 0 ? 1 : Math.min(1, (double) (step - warmupSteps) / rampSteps);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.rank() < 2 || x.rank() > 4 || x.dim(1) != channels) {
            throw new IllegalArgumentException(describe() + ": expected input [N," + channels + "], [N," + channels + ",L] or [N," + channels
                    + ",H,W], got " + x.shapeString());
        }
        if (x.dim(0) == 0) throw new IllegalArgumentException(describe() + ": got an empty batch " + x.shapeString());
        if (!x.isFinite()) throw new IllegalArgumentException(describe() + ": input contains NaN or Inf");
        int n = x.dim(0), inner = x.size() / (n * channels), m = n * inner;
        usedBatchStats = mode == Mode.TRAIN;
        if (usedBatchStats && m < 2) {
            throw new IllegalArgumentException(describe() + ": expected more than 1 value per channel when training, got input " + x.shapeString());
        }
        float[] in = x.data(), rm = runningMean.data(), rv = runningVar.data();
        double rMax = rMax(steps), dMax = dMax(steps);
        double[] shiftD = new double[channels];
        for (int c = 0; c < channels; c++) {
            if (usedBatchStats) {
                double sum = 0, sq = 0;
                for (int s = 0; s < n; s++) for (int i = 0; i < inner; i++) sum += in[(s * channels + c) * inner + i];
                double mu = sum / m;
                for (int s = 0; s < n; s++) for (int i = 0; i < inner; i++) { double d = in[(s * channels + c) * inner + i] - mu; sq += d * d; }
                double var = sq / m, sigmaB = Math.sqrt(var + eps), sigma = Math.sqrt(rv[c] + eps);
                mean[c] = mu;
                invStd[c] = 1 / sigmaB;
                r[c] = Math.max(1 / rMax, Math.min(rMax, sigmaB / sigma));
                shiftD[c] = Math.max(-dMax, Math.min(dMax, (mu - rm[c]) / sigma));
                rm[c] = (float) ((1 - momentum) * rm[c] + momentum * mu);
                rv[c] = (float) ((1 - momentum) * rv[c] + momentum * var * m / (m - 1));
            } else {
                mean[c] = rm[c];
                invStd[c] = 1 / Math.sqrt(rv[c] + eps);
                r[c] = 1;
                shiftD[c] = 0;
            }
        }
        if (usedBatchStats) steps++;
        Tensor y = Tensor.zeros(x.shape());
        float[] out = y.data();
        for (int c = 0; c < channels; c++) {
            double g = gamma.value().data()[c], b = beta.value().data()[c];
            // y = γ·(r·(x − μ)/σ + d) + β = a·x + shift
            float a = (float) (g * r[c] * invStd[c]), shift = (float) (g * (shiftD[c] - r[c] * invStd[c] * mean[c]) + b);
            for (int s = 0; s < n; s++) for (int i = 0; i < inner; i++) out[(s * channels + c) * inner + i] = a * in[(s * channels + c) * inner + i] + shift;
        }
        savedInput.keep(mode, x);
        lastD = shiftD;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor input = savedInput.get(this);
        if (!dy.sameShape(input)) throw new IllegalArgumentException(describe() + ": expected gradient " + input.shapeString() + ", got " + dy.shapeString());
        int n = input.dim(0), inner = input.size() / (n * channels), m = n * inner;
        float[] in = input.data(), g = dy.data();
        Tensor dx = Tensor.zeros(input.shape());
        float[] out = dx.data();
        for (int c = 0; c < channels; c++) {
            double sumDy = 0, sumDyXhatB = 0;
            for (int s = 0; s < n; s++) for (int i = 0; i < inner; i++) {
                int k = (s * channels + c) * inner + i;
                sumDy += g[k];
                sumDyXhatB += g[k] * (in[k] - mean[c]) * invStd[c];
            }
            gamma.grad().data()[c] += (float) (r[c] * sumDyXhatB + lastD[c] * sumDy);  // Σ dy·x̂ with x̂ = r·x̂_B + d
            beta.grad().data()[c] += (float) sumDy;
            double gammaC = gamma.value().data()[c];
            if (usedBatchStats) {
                double scale = gammaC * r[c] * invStd[c], meanDy = sumDy / m, meanDyXhat = sumDyXhatB / m;
                for (int s = 0; s < n; s++) for (int i = 0; i < inner; i++) {
                    int k = (s * channels + c) * inner + i;
                    out[k] = (float) (scale * (g[k] - meanDy - (in[k] - mean[c]) * invStd[c] * meanDyXhat));
                }
            } else {
                float a = (float) (gammaC * invStd[c]);
                for (int s = 0; s < n; s++) for (int i = 0; i < inner; i++) out[(s * channels + c) * inner + i] = a * g[(s * channels + c) * inner + i];
            }
        }
        return dx;
    }

    @Override
    public List<Param> params() { return List.of(gamma, beta); }

    @Override
    public String describe() { return "BatchRenorm(C=" + channels + ")"; }
}
