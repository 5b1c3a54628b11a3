package org.normlab.norm;

import java.util.Arrays;
import java.util.List;
import org.normlab.kernels.ChannelNorm;
import org.normlab.kernels.Layout;
import org.normlab.kernels.ReusedTensor;
import org.normlab.kernels.Scratch;
import org.normlab.kernels.Statistics;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.nn.Saved;
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
 * </pre>
 * Without running statistics EVAL uses batch statistics, as PyTorch does. An EVAL forward saves nothing for backward
 * (a backward after it is an error); its output is held softly until the next TRAIN step; a TRAIN forward's output and the input gradient are
 * buffers reused while the shape repeats, valid until the next forward (backward). {@link ChannelNorm} picks memory
 * order and threads (no result depends on them); {@link ReferenceBatchNorm} is the same in plain loops. NaN or Inf
 * input is an error (it would poison the running statistics for good).
 */
public final class BatchNorm implements Layer {
    private final int channels;
    private final double eps;
    private Double momentum;
    private final boolean affine, trackRunningStats;
    private final Param gamma, beta;
    private final Tensor runningMean, runningVar;
    private long batchesTracked;

    // What backward needs from the last TRAIN forward: its input, and its batch's μ_c, σ²_c, 1/√(σ²_c + ε).
    private final Saved<Tensor> input = new Saved<>();
    private Statistics stats;
    private final ReusedTensor output = new ReusedTensor(), gradInput = new ReusedTensor();
    private final Scratch scratch = new Scratch();

    /** PyTorch defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm(int channels) { this(channels, 1e-5, 0.1, true, true); }
    /** @param momentum weight of the newest batch in the running statistics, in [0,1]; null for a cumulative average */
    public BatchNorm(int channels, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        if (channels <= 0) throw new IllegalArgumentException("BatchNorm: number of channels must be positive, got " + channels);
        if (!(eps > 0) || !Double.isFinite(eps)) throw new IllegalArgumentException("BatchNorm(C=" + channels + "): eps must be positive and finite, got " + eps);
        this.channels = channels;
        setMomentum(momentum);
        this.eps = eps;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        this.gamma = affine ? Param.normAffine("gamma", Tensor.full(1f, channels)) : null;
        this.beta = affine ? Param.normAffine("beta", Tensor.zeros(channels)) : null;
        this.runningMean = trackRunningStats ? Tensor.zeros(channels) : null;
        this.runningVar = trackRunningStats ? Tensor.full(1f, channels) : null;
        this.stats = new Statistics(channels);
    }

    public int channels() { return channels; }
    public double eps() { return eps; }
    public Double momentum() { return momentum; }
    /** γ, β (null when not affine). */
    public Param gamma() { return gamma; }
    public Param beta() { return beta; }
    /** Running mean and unbiased variance (null when running statistics are off), and the count of batches seen. */
    public Tensor runningMean() { return runningMean; }
    public Tensor runningVar() { return runningVar; }
    public long batchesTracked() { return batchesTracked; }
    void setBatchesTracked(long batches) { batchesTracked = batches; }  // RunningStatistics puts back the count it saved

    /** What {@link #backward} needs from one forward; lets {@link GhostBatchNorm} run several forwards per step. */
    record State(Tensor input, Statistics stats) {}
    State state() { return new State(input.get(this), stats.copy()); }
    void restore(State s) { input.keep(Mode.TRAIN, s.input()); stats = s.stats().copy(); }

    /** Running mean 0, running variance 1, no batches seen (PyTorch's {@code reset_running_stats}). */
    public void resetRunningStats() {
        if (!trackRunningStats) return;
        Arrays.fill(runningMean.data(), 0f);
        Arrays.fill(runningVar.data(), 1f);
        batchesTracked = 0;
    }

    /** Changes the momentum of the running statistics (null: cumulative average), e.g. for precise BN statistics. */
    public void setMomentum(Double newMomentum) {
        if (newMomentum != null && !(newMomentum >= 0 && newMomentum <= 1)) throw new IllegalArgumentException(
                describe() + ": momentum must be in [0,1] or null (cumulative), got " + newMomentum);
        momentum = newMomentum;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.rank() < 2 || x.rank() > 4 || x.dim(1) != channels) throw new IllegalArgumentException(describe() + ": expected input [N,"
                + channels + "], [N," + channels + ",L] or [N," + channels + ",H,W], got " + x.shapeString());
        if (x.dim(0) == 0) throw new IllegalArgumentException(describe() + ": got an empty batch " + x.shapeString());
        Layout layout = Layout.of(x.shape());
        int m = layout.outer() * layout.inner();
        boolean usedBatchStats = mode == Mode.TRAIN || !trackRunningStats;
        if (usedBatchStats && m < 2) throw new IllegalArgumentException(describe() + ": expected more than 1 value per channel when "
                + (mode == Mode.TRAIN ? "training" : "using batch statistics (EVAL without running statistics)") + ", got input " + x.shapeString());
        Tensor y = output.take(mode == Mode.TRAIN, x.shape());
        float[] g = affine ? gamma.value().data() : null, b = affine ? beta.value().data() : null;
        // EVAL: a_c = γ_c/√(running_var_c + ε), b_c = β_c − a_c·running_mean_c, then y = a_c·x + b_c
        if (!usedBatchStats) stats.setFromRunning(runningMean.data(), runningVar.data(), eps, channels);
        boolean finite = usedBatchStats ? ChannelNorm.normalize(x.data(), y.data(), layout, eps, g, b, stats, scratch)  // μ_c, σ²_c, x̂, y
                : ChannelNorm.normalizeWith(x.data(), y.data(), layout, g, b, stats);
        if (!finite) throw new IllegalArgumentException(describe() + ": input contains NaN or Inf");
        if (mode == Mode.TRAIN && trackRunningStats) {  // running_mean, running_var ← …, once the input passed the check
            double f = momentum != null ? momentum : 1.0 / (batchesTracked + 1);
            float[] rm = runningMean.data(), rv = runningVar.data();
            for (int c = 0; c < channels; c++) {
                rm[c] = (float) ((1 - f) * rm[c] + f * stats.mean()[c]);
                rv[c] = (float) ((1 - f) * rv[c] + f * stats.variance()[c] * m / (m - 1));
            }
            batchesTracked++;
        }
        input.keep(mode, x);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor x = input.get(this);
        Layer.checkGradient(this, x, dy);
        Tensor dx = gradInput.reuse(x.shape());  // dβ_c, dγ_c, dx: the full gradient through the batch statistics
        ChannelNorm.inputGradient(dy.data(), x.data(), dx.data(), Layout.of(x.shape()), affine ? gamma.value().data() : null,
                stats.mean(), stats.invStd(), true, affine ? gamma.grad().data() : null, affine ? beta.grad().data() : null, scratch);
        return dx;
    }

    @Override public List<Param> params() { return affine ? List.of(gamma, beta) : List.of(); }
    @Override public String describe() { return "BatchNorm(C=" + channels + ")"; }
}
