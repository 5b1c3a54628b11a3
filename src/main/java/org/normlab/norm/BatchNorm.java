package org.normlab.norm;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.tensor.Parallelism;
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
 * Kernels: forward and backward each make two passes over memory (statistics, then the elementwise map), sums
 * in double, channels split over {@link Parallelism#threads()} threads; each channel is reduced by one thread in a
 * fixed order, so results do not depend on the thread count. Output and input-gradient buffers are reused while
 * the shape repeats: a returned tensor stays valid until this layer's next forward (backward).
 * An input holding NaN or Inf is an error (it would otherwise poison the running statistics for good).
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
    private final double[] batchVar;

    // Buffers reused across steps while the shape repeats: the returned output (and input gradient) belongs to
    // the layer and stays valid until its next forward (backward).
    private Tensor output, gradInput;
    // Kernel arguments, set before Parallelism.forEach calls the per-channel kernels below.
    private float[] kIn, kOut, kDy;
    private int kN, kInner;
    private boolean kUpdateRunning;
    private volatile boolean nonFinite;
    private final IntConsumer batchStatsForward = this::batchStatsForward, runningStatsForward = this::runningStatsForward,
            backwardChannel = this::backwardChannel;

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
        this.batchVar = new double[channels];
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
        checkShape(x);
        int n = x.dim(0), inner = x.size() / (n * channels);
        int m = n * inner;
        usedBatchStats = mode == Mode.TRAIN || !trackRunningStats;
        if (usedBatchStats && m < 2 && mode == Mode.TRAIN) {
            throw new IllegalArgumentException(describe() + ": expected more than 1 value per channel when training, got input "
                    + x.shapeString());
        }
        if (!usedBatchStats && !x.isFinite()) throw new IllegalArgumentException(describe() + ": input contains NaN or Inf");
        output = reuse(output, x);
        kIn = x.data();
        kOut = output.data();
        kN = n;
        kInner = inner;
        kUpdateRunning = mode == Mode.TRAIN && trackRunningStats;
        nonFinite = false;
        Parallelism.forEach(channels, 2L * x.size(), usedBatchStats ? batchStatsForward : runningStatsForward);
        kIn = kOut = null;
        if (nonFinite) throw new IllegalArgumentException(describe() + ": input contains NaN or Inf");
        if (kUpdateRunning) {  // after the whole input passed the finiteness check
            for (int c = 0; c < channels; c++) updateRunning(c, mean[c], batchVar[c], n * inner);
            batchesTracked++;
        }
        input = x;
        inputShape = x.shape();
        return output;
    }

    /**
     * Channel c with batch statistics, two passes over its values: (1) Σd and Σd² of d = x − x₀ (x₀ the channel's
     * first value; shifting keeps Σd² − (Σd)²/m accurate when |μ| ≫ σ), in double; (2) y = a·x + shift.
     * A NaN or Inf anywhere in the channel makes the sums non-finite, so pass 1 also checks the input.
     */
    private void batchStatsForward(int c) {
        float[] in = kIn;
        int n = kN, inner = kInner, m = n * inner;
        double shiftValue = in[c * inner], s0 = 0, s1 = 0, s2 = 0, s3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
        for (int s = 0; s < n; s++) {
            int off = (s * channels + c) * inner, i = 0;
            for (; i + 3 < inner; i += 4) {
                double d0 = in[off + i] - shiftValue, d1 = in[off + i + 1] - shiftValue;
                double d2 = in[off + i + 2] - shiftValue, d3 = in[off + i + 3] - shiftValue;
                s0 += d0; s1 += d1; s2 += d2; s3 += d3;
                q0 += d0 * d0; q1 += d1 * d1; q2 += d2 * d2; q3 += d3 * d3;
            }
            for (; i < inner; i++) { double d = in[off + i] - shiftValue; s0 += d; q0 += d * d; }
        }
        double sum = (s0 + s1) + (s2 + s3), sq = (q0 + q1) + (q2 + q3);
        if (!Double.isFinite(sum) || !Double.isFinite(sq)) { nonFinite = true; return; }
        double var = Math.max(0, (sq - sum * sum / m) / m);
        double mu = shiftValue + sum / m;
        mean[c] = mu;
        invStd[c] = 1 / Math.sqrt(var + eps);
        batchVar[c] = var;
        normalizeChannel(c);
    }

    private void runningStatsForward(int c) {
        mean[c] = runningMean.data()[c];
        invStd[c] = 1 / Math.sqrt(runningVar.data()[c] + eps);
        normalizeChannel(c);
    }

    /** y = a·x + shift with a = γ/σ, shift = β − a·μ: the same affine map in train and eval. */
    private void normalizeChannel(int c) {
        float[] in = kIn, out = kOut;
        int n = kN, inner = kInner;
        double g = affine ? gamma.value().data()[c] : 1, b = affine ? beta.value().data()[c] : 0;
        float a = (float) (g * invStd[c]), shift = (float) (b - g * invStd[c] * mean[c]);
        for (int s = 0; s < n; s++) {
            int off = (s * channels + c) * inner;
            for (int i = 0; i < inner; i++) out[off + i] = a * in[off + i] + shift;
        }
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
        gradInput = reuse(gradInput, input);
        kIn = input.data();
        kDy = dy.data();
        kOut = gradInput.data();
        kN = inputShape[0];
        kInner = input.size() / (kN * channels);
        Parallelism.forEach(channels, 3L * input.size(), backwardChannel);
        kIn = kDy = kOut = null;
        return gradInput;
    }

    /**
     * Channel c, two passes: (1) Σdy and Σdy·(x − μ) in double; (2) dx = k·(dy − mean(dy)) − k·x̂_scale·(x − μ)
     * with k = γ/σ and x̂_scale = mean(dy·x̂)/σ, in float (the JIT vectorizes it).
     */
    private void backwardChannel(int c) {
        float[] in = kIn, g = kDy, out = kOut;
        int n = kN, inner = kInner, m = n * inner;
        double mu = mean[c], is = invStd[c];
        double a0 = 0, a1 = 0, b0 = 0, b1 = 0;
        for (int s = 0; s < n; s++) {
            int off = (s * channels + c) * inner, i = 0;
            for (; i + 1 < inner; i += 2) {
                double g0 = g[off + i], g1 = g[off + i + 1];
                a0 += g0; a1 += g1;
                b0 += g0 * (in[off + i] - mu); b1 += g1 * (in[off + i + 1] - mu);
            }
            if (i < inner) { double g0 = g[off + i]; a0 += g0; b0 += g0 * (in[off + i] - mu); }
        }
        double sumDy = a0 + a1, sumDyXhat = (b0 + b1) * is;
        double gammaC = affine ? gamma.value().data()[c] : 1;
        if (affine) {
            gamma.grad().data()[c] += (float) sumDyXhat;
            beta.grad().data()[c] += (float) sumDy;
        }
        if (usedBatchStats) {
            float k = (float) (gammaC * is), meanDy = (float) (sumDy / m), kx = (float) (gammaC * is * is * sumDyXhat / m);
            float muF = (float) mu;
            for (int s = 0; s < n; s++) {
                int off = (s * channels + c) * inner;
                for (int i = 0; i < inner; i++) out[off + i] = k * (g[off + i] - meanDy) - kx * (in[off + i] - muF);
            }
        } else {
            float a = (float) (gammaC * is);
            for (int s = 0; s < n; s++) {
                int off = (s * channels + c) * inner;
                for (int i = 0; i < inner; i++) out[off + i] = a * g[off + i];
            }
        }
    }

    /** The layer's own buffer when its shape still fits, else a new one: no allocation in steady state. */
    private static Tensor reuse(Tensor buffer, Tensor like) {
        return buffer != null && buffer.sameShape(like) ? buffer : Tensor.zeros(like.shape());
    }

    private void checkShape(Tensor x) {
        int r = x.rank();
        if (r < 2 || r > 4 || x.dim(1) != channels) {
            throw new IllegalArgumentException(describe() + ": expected input [N," + channels + "], [N," + channels + ",L] or [N,"
                    + channels + ",H,W], got " + x.shapeString());
        }
        if (x.dim(0) == 0) throw new IllegalArgumentException(describe() + ": got an empty batch " + x.shapeString());
    }

    @Override
    public List<Param> params() { return affine ? List.of(gamma, beta) : List.of(); }

    @Override
    public String describe() { return "BatchNorm(C=" + channels + ")"; }
}
