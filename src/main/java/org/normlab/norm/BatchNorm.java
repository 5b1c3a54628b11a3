package org.normlab.norm;

import java.util.Arrays;
import java.util.List;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.tensor.Tensor;

/**
 * Batch normalization (Ioffe &amp; Szegedy 2015, Alg. 1) with PyTorch's conventions, for inputs (N,C), (N,C,L)
 * and (N,C,H,W). Statistics are per channel c over the m = N·(spatial size) values of that channel.
 *
 * <pre>
 * TRAIN forward (batch statistics):
 *   μ_c  = (1/m) Σ x                         σ²_c = (1/m) Σ (x − μ_c)²          (biased)
 *   x̂    = (x − μ_c) / √(σ²_c + ε)          y    = γ_c·x̂ + β_c
 *   running_mean ← (1 − f)·running_mean + f·μ_c
 *   running_var  ← (1 − f)·running_var  + f·σ²_c·m/(m − 1)                      (unbiased)
 *   f = momentum, or 1/(batches seen) when momentum is null (cumulative average)
 *
 * TRAIN backward (μ, σ² depend on x):
 *   dβ_c += Σ dy                             dγ_c += Σ dy·x̂
 *   dx    = γ_c/√(σ²_c + ε) · (dy − mean(dy) − x̂·mean(dy·x̂))                   (means over the m values)
 *
 * EVAL (running statistics; one affine map per channel):
 *   y  = a_c·x + b_c,   a_c = γ_c/√(running_var_c + ε),   b_c = β_c − a_c·running_mean_c
 *   dx = a_c·dy,        dγ_c += Σ dy·(x − running_mean_c)/√(running_var_c + ε),   dβ_c += Σ dy
 * </pre>
 * Without running statistics ({@code trackRunningStats = false}) EVAL uses batch statistics, as PyTorch does.
 * Sums accumulate in double (two passes: mean, then centred squares). An input holding NaN or Inf is an error
 * (it would otherwise poison the running statistics for good).
 */
public final class BatchNorm implements Layer {
    private final int channels;
    private final double eps;
    private Double momentum;
    private final boolean affine, trackRunningStats;
    private final Param gamma, beta;
    private final Tensor runningMean, runningVar;
    private long batchesTracked;

    // What backward needs from the last forward.
    private Tensor input;
    private int[] inputShape;
    private boolean usedBatchStats;
    private final double[] mean, invStd;

    /** PyTorch defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm(int channels) { this(channels, 1e-5, 0.1, true, true); }

    /**
     * @param momentum weight of the newest batch in the running statistics, in [0,1]; null for a cumulative average
     */
    public BatchNorm(int channels, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        if (channels <= 0) throw new IllegalArgumentException("BatchNorm: number of channels must be positive, got " + channels);
        if (!(eps > 0) || !Double.isFinite(eps)) throw new IllegalArgumentException("BatchNorm(C=" + channels + "): eps must be positive and finite, got " + eps);
        if (momentum != null && !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm(C=" + channels + "): momentum must be in [0,1] or null (cumulative), got " + momentum);
        }
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        this.gamma = affine ? Param.normAffine("gamma", Tensor.full(1f, channels)) : null;
        this.beta = affine ? Param.normAffine("beta", Tensor.zeros(channels)) : null;
        this.runningMean = trackRunningStats ? Tensor.zeros(channels) : null;
        this.runningVar = trackRunningStats ? Tensor.full(1f, channels) : null;
        this.mean = new double[channels];
        this.invStd = new double[channels];
    }

    public int channels() { return channels; }
    public double eps() { return eps; }
    public Double momentum() { return momentum; }
    /** γ (null when not affine). */
    public Param gamma() { return gamma; }
    /** β (null when not affine). */
    public Param beta() { return beta; }
    /** Running mean (null when running statistics are off). */
    public Tensor runningMean() { return runningMean; }
    /** Running unbiased variance (null when running statistics are off). */
    public Tensor runningVar() { return runningVar; }
    public long batchesTracked() { return batchesTracked; }

    /** What {@link #backward} needs from one forward; lets {@link GhostBatchNorm} run several forwards per step. */
    record State(Tensor input, int[] inputShape, boolean usedBatchStats, double[] mean, double[] invStd) {}

    State state() { return new State(input, inputShape, usedBatchStats, mean.clone(), invStd.clone()); }

    void restore(State s) {
        input = s.input();
        inputShape = s.inputShape();
        usedBatchStats = s.usedBatchStats();
        System.arraycopy(s.mean(), 0, mean, 0, channels);
        System.arraycopy(s.invStd(), 0, invStd, 0, channels);
    }

    /** Running mean 0, running variance 1, no batches seen (PyTorch's {@code reset_running_stats}). */
    public void resetRunningStats() {
        if (!trackRunningStats) return;
        java.util.Arrays.fill(runningMean.data(), 0f);
        java.util.Arrays.fill(runningVar.data(), 1f);
        batchesTracked = 0;
    }

    /** Changes the momentum of the running statistics (null: cumulative average), e.g. for {@link PreciseBn}. */
    public void setMomentum(Double newMomentum) {
        if (newMomentum != null && !(newMomentum >= 0 && newMomentum <= 1)) {
            throw new IllegalArgumentException(describe() + ": momentum must be in [0,1] or null (cumulative), got " + newMomentum);
        }
        momentum = newMomentum;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        checkInput(x);
        int n = x.dim(0), inner = x.size() / (n * channels);
        int m = n * inner;
        usedBatchStats = mode == Mode.TRAIN || !trackRunningStats;
        if (usedBatchStats && m < 2 && mode == Mode.TRAIN) {
            throw new IllegalArgumentException(describe() + ": expected more than 1 value per channel when training, got input "
                    + x.shapeString());
        }
        float[] in = x.data();
        if (usedBatchStats) {
            for (int c = 0; c < channels; c++) {
                double sum = 0;
                for (int s = 0; s < n; s++) {
                    int off = (s * channels + c) * inner;
                    for (int i = 0; i < inner; i++) sum += in[off + i];
                }
                double mu = sum / m, sq = 0;
                for (int s = 0; s < n; s++) {
                    int off = (s * channels + c) * inner;
                    for (int i = 0; i < inner; i++) { double d = in[off + i] - mu; sq += d * d; }
                }
                double var = sq / m;
                mean[c] = mu;
                invStd[c] = 1 / Math.sqrt(var + eps);
                if (mode == Mode.TRAIN && trackRunningStats) updateRunning(c, mu, var, m);
            }
            if (mode == Mode.TRAIN && trackRunningStats) batchesTracked++;
        } else {
            float[] rm = runningMean.data(), rv = runningVar.data();
            for (int c = 0; c < channels; c++) {
                mean[c] = rm[c];
                invStd[c] = 1 / Math.sqrt(rv[c] + eps);
            }
        }
        Tensor y = Tensor.zeros(x.shape());
        float[] out = y.data();
        for (int c = 0; c < channels; c++) {
            double g = affine ? gamma.value().data()[c] : 1, b = affine ? beta.value().data()[c] : 0;
            // y = a·x + shift with a = γ/σ, shift = β − a·μ: the same affine map in train and eval.
            float a = (float) (g * invStd[c]), shift = (float) (b - g * invStd[c] * mean[c]);
            for (int s = 0; s < n; s++) {
                int off = (s * channels + c) * inner;
                for (int i = 0; i < inner; i++) out[off + i] = a * in[off + i] + shift;
            }
        }
        input = x;
        inputShape = x.shape();
        return y;
    }

    private void updateRunning(int c, double mu, double biasedVar, int m) {
        // batchesTracked is incremented after all channels, so +1 counts the current batch.
        double f = momentum != null ? momentum : 1.0 / (batchesTracked + 1);
        float[] rm = runningMean.data(), rv = runningVar.data();
        rm[c] = (float) ((1 - f) * rm[c] + f * mu);
        rv[c] = (float) ((1 - f) * rv[c] + f * biasedVar * m / (m - 1));
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (input == null) throw new IllegalStateException(describe() + ": backward called before forward");
        if (!Arrays.equals(dy.shape(), inputShape)) {
            throw new IllegalArgumentException(describe() + ": expected gradient " + Arrays.toString(inputShape) + ", got " + dy.shapeString());
        }
        int n = inputShape[0], inner = input.size() / (n * channels), m = n * inner;
        float[] in = input.data(), g = dy.data();
        Tensor dx = Tensor.zeros(inputShape);
        float[] out = dx.data();
        for (int c = 0; c < channels; c++) {
            double mu = mean[c], is = invStd[c];
            double sumDy = 0, sumDyXhat = 0;
            for (int s = 0; s < n; s++) {
                int off = (s * channels + c) * inner;
                for (int i = 0; i < inner; i++) {
                    sumDy += g[off + i];
                    sumDyXhat += g[off + i] * (in[off + i] - mu) * is;
                }
            }
            double gammaC = affine ? gamma.value().data()[c] : 1;
            if (affine) {
                gamma.grad().data()[c] += (float) sumDyXhat;
                beta.grad().data()[c] += (float) sumDy;
            }
            if (usedBatchStats) {
                double meanDy = sumDy / m, meanDyXhat = sumDyXhat / m, scale = gammaC * is;
                for (int s = 0; s < n; s++) {
                    int off = (s * channels + c) * inner;
                    for (int i = 0; i < inner; i++) {
                        double xhat = (in[off + i] - mu) * is;
                        out[off + i] = (float) (scale * (g[off + i] - meanDy - xhat * meanDyXhat));
                    }
                }
            } else {
                float a = (float) (gammaC * is);
                for (int s = 0; s < n; s++) {
                    int off = (s * channels + c) * inner;
                    for (int i = 0; i < inner; i++) out[off + i] = a * g[off + i];
                }
            }
        }
        return dx;
    }

    private void checkInput(Tensor x) {
        int r = x.rank();
        if (r < 2 || r > 4 || x.dim(1) != channels) {
            throw new IllegalArgumentException(describe() + ": expected input [N," + channels + "], [N," + channels + ",L] or [N,"
                    + channels + ",H,W], got " + x.shapeString());
        }
        if (x.dim(0) == 0) throw new IllegalArgumentException(describe() + ": got an empty batch " + x.shapeString());
        if (!x.isFinite()) throw new IllegalArgumentException(describe() + ": input contains NaN or Inf");
    }

    @Override
    public List<Param> params() { return affine ? List.of(gamma, beta) : List.of(); }

    @Override
    public String describe() { return "BatchNorm(C=" + channels + ")"; }
}
