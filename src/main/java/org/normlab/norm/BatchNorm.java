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
 * Kernels ({@link Moments}): forward and backward each make two passes (statistics, then the elementwise map),
 * walking the samples in memory order split over {@link Parallelism#threads()} threads, or, for inputs larger than
 * the cores' caches, channel by channel so that the second pass reads the channel from cache; sums in double, each
 * channel's added in a fixed order, so results depend neither on the thread count nor on the walk. EVAL with running
 * statistics is one pass. Output and input-gradient buffers are reused while the shape repeats: a returned tensor
 * stays valid until this layer's next forward (backward).
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
    private final double[] batchVar, columnSum, columnSquares;
    private double[] runSums;
    private final float[] shiftValue, columnScale, columnShift, columnOffset;

    // Buffers reused across steps while the shape repeats: the returned output (and input gradient) belongs to
    // the layer and stays valid until its next forward (backward).
    private Tensor output, gradInput;
    // Kernel arguments, set before Parallelism.forEach calls the per-channel kernels below.
    private float[] kIn, kOut, kDy;
    private int kN, kInner;
    private boolean kUpdateRunning;
    private volatile boolean nonFinite;
    private final IntConsumer sampleMoments = this::sampleMoments, sampleAffine = this::sampleAffine,
            runningStatsForward = this::runningStatsForward, sampleGradientSums = this::sampleGradientSums,
            sampleInputGradient = this::sampleInputGradient, columnMoments = this::columnMoments,
            columnGradientSums = this::columnGradientSums, channelForward = this::channelForward,
            channelBackward = this::channelBackward;

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
        this.columnSum = new double[channels];
        this.columnSquares = new double[channels];
        this.shiftValue = new float[channels];
        this.columnScale = new float[channels];
        this.columnShift = new float[channels];
        this.columnOffset = new float[channels];
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
        output = Tensor.reuse(output, x.shape());
        kIn = x.data();
        kOut = output.data();
        kN = n;
        kInner = inner;
        kUpdateRunning = mode == Mode.TRAIN && trackRunningStats;
        nonFinite = false;
        if (!usedBatchStats) {  // one affine map per channel, known before the pass: split by samples, in memory order
            runningStatsAffine();
            Parallelism.forEach(n, 2L * x.size(), runningStatsForward);
        } else if (inner == 1) {  // (N, C): channels are columns; blocks of columns walk the rows in order, then by rows
            Parallelism.forEach(columnBlocks(), x.size(), columnMoments);
            if (!nonFinite) Parallelism.forEach(n, 2L * x.size(), sampleAffine);
        } else {
            runSums = Moments.scratch(runSums, 2 * n * channels);
            for (int c = 0; c < channels; c++) shiftValue[c] = kIn[c * inner];
            if (channelsInCache(x.size(), 1)) {  // each channel's two passes while its values sit in the core's cache
                Parallelism.forEach(channels, 2L * x.size(), channelForward);
            } else {  // samples in memory order: each run's moments, then per channel, then y = a_c·x + b_c
                Parallelism.forEach(n, x.size(), sampleMoments);
                for (int c = 0; c < channels && !nonFinite; c++) batchStatistics(c);
                if (!nonFinite) Parallelism.forEach(n, 2L * x.size(), sampleAffine);
            }
        }
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

    // ---- (N, C, …) input with batch statistics. Channel c's runs (one per sample, `inner` values each) lie a
    // whole sample apart, so a per-channel loop would jump through memory and restart the hardware prefetcher at every
    // run. Instead the passes walk the samples in memory order: pass 1 stores every run's shifted sums, the
    // per-channel step adds them in sample order (the additions a per-channel loop would make, so the same bits),
    // and pass 2 applies each channel's affine map. Each thread keeps the same samples in both passes.

    /**
     * Pass 1 over sample s: each run's Σ(x − x₀), Σ(x − x₀)² (x₀ = the channel's first value; also the finiteness
     * check). Channels c and c + ⌈C/2⌉ are read together: two streams from one core read faster than one.
     */
    private void sampleMoments(int s) {
        float[] in = kIn;
        double[] acc = runSums;
        int inner = kInner, half = (channels + 1) / 2, first = s * channels;
        for (int run = first; run < first + channels; run++) {
            acc[2 * run] = 0;
            acc[2 * run + 1] = 0;
        }
        for (int c = 0; c + half < channels; c++) {
            int runA = first + c, runB = runA + half;
            Moments.addShiftedPair(in, runA * inner, runB * inner, inner, shiftValue[c], shiftValue[c + half], acc, 2 * runA, 2 * runB);
        }
        if (channels % 2 == 1) Moments.addShifted(in, (first + half - 1) * inner, inner, shiftValue[half - 1], acc, 2 * (first + half - 1));
    }

    /**
     * Whether to run both passes channel by channel (each channel's values, {@code arrays} floats per element,
     * read from memory once and again from the core's cache) rather than each pass over all samples in memory
     * order. A channel's runs are a sample apart, so walking one channel restarts the prefetchers at every run: that
     * pays only when the data overflow the cores' caches and one channel fits in a core's cache.
     */
    private boolean channelsInCache(long elements, int arrays) {
        if (channelPassesForTests != null) return channelPassesForTests;
        long bytes = 4L * arrays * elements;
        return bytes > (long) Parallelism.threads() * CORE_CACHE_BYTES && bytes / channels <= CORE_CACHE_BYTES / 2;
    }

    /** Null: {@link #channelsInCache} decides; true or false: tests compare the two orders on the same input. */
    static volatile Boolean channelPassesForTests;

    /** A core's share of cache assumed by {@link #channelsInCache}: 2 MB of L2 on the machines measured. */
    private static final long CORE_CACHE_BYTES = 2L << 20;

    /**
     * Channel c's forward, both passes: its runs' shifted sums (two runs at a time: samples s and s + ⌊N/2⌋, two
     * streams per core), added in sample order, then y = a_c·x + b_c over its runs, now in cache. The same
     * additions as the sample-order passes, so the same bits.
     */
    private void channelForward(int c) {
        float[] in = kIn;
        double[] acc = runSums;
        int inner = kInner, n = kN, half = n / 2;
        for (int s = 0; s < n; s++) {
            int run = s * channels + c;
            acc[2 * run] = 0;
            acc[2 * run + 1] = 0;
        }
        for (int s = 0; s < half; s++) {
            int runA = s * channels + c, runB = (s + half) * channels + c;
            Moments.addShiftedPair(in, runA * inner, runB * inner, inner, shiftValue[c], shiftValue[c], acc, 2 * runA, 2 * runB);
        }
        if (n % 2 == 1) {
            int run = (n - 1) * channels + c;
            Moments.addShifted(in, run * inner, inner, shiftValue[c], acc, 2 * run);
        }
        batchStatistics(c);
        if (nonFinite) return;
        for (int s = 0, off = c * inner; s < n; s++, off += channels * inner) {
            Moments.affine(in, kOut, off, inner, columnScale[c], columnShift[c]);
        }
    }

    /** Channel c: its runs' sums added in sample order, then {@link #channelStatistics}. */
    private void batchStatistics(int c) {
        double sum = 0, squares = 0;
        for (int s = 0, run = c; s < kN; s++, run += channels) {
            sum += runSums[2 * run];
            squares += runSums[2 * run + 1];
        }
        channelStatistics(c, sum, squares);
    }

    /**
     * Channel c from its shifted sums Σ(x − x₀), Σ(x − x₀)²: μ, σ², 1/σ and the affine map a = γ/σ, b = β − a·μ;
     * false (and {@code nonFinite} set) when the input held NaN or Inf.
     */
    private boolean channelStatistics(int c, double sum, double squares) {
        if (!Double.isFinite(sum) || !Double.isFinite(squares)) {
            nonFinite = true;
            return false;
        }
        int m = kN * kInner;
        mean[c] = Moments.mean(shiftValue[c], sum, m);
        batchVar[c] = Moments.variance(sum, squares, m);
        invStd[c] = 1 / Math.sqrt(batchVar[c] + eps);
        double g = affine ? gamma.value().data()[c] : 1, b = affine ? beta.value().data()[c] : 0;
        columnScale[c] = (float) (g * invStd[c]);
        columnShift[c] = (float) (b - g * invStd[c] * mean[c]);
        return true;
    }

    /** Pass 2 over sample s: y = a_c·x + b_c (for (N, C) input the sample is one row). */
    private void sampleAffine(int s) {
        int inner = kInner;
        if (inner == 1) {
            Moments.affineColumns(kIn, kOut, s * channels, 0, channels, columnScale, columnShift);
            return;
        }
        for (int c = 0, off = s * channels * inner; c < channels; c++, off += inner) {
            Moments.affine(kIn, kOut, off, inner, columnScale[c], columnShift[c]);
        }
    }

    // ---- (N, C) input: a channel is a column with stride C, so per-channel loops would jump through memory.
    // Instead pass 1 takes blocks of channels, each walking the rows in order, so every channel still sums its values
    // in row order and the results equal the per-channel kernels' whatever the thread count. Pass 2, elementwise,
    // goes by rows: contiguous streams the prefetcher follows (at (256,1024) the column blocks' pass 2 took 0.08 ms,
    // rows 0.027 ms).

    /** Channels per block of pass 1: a thread's share (blocks of 256 measured best at (256, 1024)), a multiple of 16. */
    private int columnBlock() { return Math.min(256, ((channels + Parallelism.threads() - 1) / Parallelism.threads() + 15) / 16 * 16); }

    private int columnBlocks() { return (channels + columnBlock() - 1) / columnBlock(); }

    /** Pass 1 over a block of channels: Σ(x − x₀), Σ(x − x₀)² down the rows, then {@link #channelStatistics}. */
    private void columnMoments(int block) {
        float[] in = kIn;
        int width = columnBlock(), from = block * width, to = Math.min(channels, from + width);
        double[] s1 = columnSum, s2 = columnSquares;
        float[] shift = shiftValue;
        for (int c = from; c < to; c++) { s1[c] = 0; s2[c] = 0; shift[c] = in[c]; }
        Moments.addColumnMoments(in, kN, channels, from, to, shift, s1, s2);
        for (int c = from; c < to; c++) {
            if (!channelStatistics(c, s1[c], s2[c])) return;
        }
    }

    /** Backward pass 1 over a block of channels: Σdy, Σdy·(x − μ) down the rows, then {@link #channelCoefficients}. */
    private void columnGradientSums(int block) {
        int width = columnBlock(), from = block * width, to = Math.min(channels, from + width);
        double[] sumDy = columnSum, sumDyXmu = columnSquares;
        for (int c = from; c < to; c++) { sumDy[c] = 0; sumDyXmu[c] = 0; }
        Moments.addColumnGradientSums(kDy, kIn, kN, channels, from, to, mean, sumDy, sumDyXmu);
        for (int c = from; c < to; c++) channelCoefficients(c, sumDy[c], sumDyXmu[c]);
    }

    /** a_c = γ_c/√(running_var_c + ε), b_c = β_c − a_c·running_mean_c for every channel (and μ, 1/σ for backward). */
    private void runningStatsAffine() {
        for (int c = 0; c < channels; c++) {
            mean[c] = runningMean.data()[c];
            invStd[c] = 1 / Math.sqrt(runningVar.data()[c] + eps);
            double g = affine ? gamma.value().data()[c] : 1, b = affine ? beta.value().data()[c] : 0;
            columnScale[c] = (float) (g * invStd[c]);
            columnShift[c] = (float) (b - g * invStd[c] * mean[c]);
        }
    }

    /** Sample s with running statistics: y = a_c·x + b_c, checking the input for NaN/Inf in the same pass. */
    private void runningStatsForward(int s) {
        float[] a = columnScale, b = columnShift;
        int inner = kInner;
        boolean finite = true;
        if (inner == 1) {
            finite = Moments.affineColumnsChecked(kIn, kOut, s * channels, 0, channels, a, b);
        } else {
            for (int c = 0, off = s * channels * inner; c < channels; c++, off += inner) {
                finite &= Moments.affineChecked(kIn, kOut, off, inner, a[c], b[c]);
            }
        }
        if (!finite) nonFinite = true;
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
        gradInput = Tensor.reuse(gradInput, input.shape());
        kIn = input.data();
        kDy = dy.data();
        kOut = gradInput.data();
        kN = inputShape[0];
        kInner = input.size() / (kN * channels);
        if (kInner == 1) {  // (N, C): blocks of columns down the rows, then dx by rows
            Parallelism.forEach(columnBlocks(), 2L * input.size(), columnGradientSums);
            Parallelism.forEach(kN, 3L * input.size(), sampleInputGradient);
        } else {  // as forward: samples in memory order, per-channel sums in sample order, then dx
            runSums = Moments.scratch(runSums, 2 * kN * channels);
            if (channelsInCache(input.size(), 2)) {
                Parallelism.forEach(channels, 3L * input.size(), channelBackward);
            } else {
                Parallelism.forEach(kN, 2L * input.size(), sampleGradientSums);
                for (int c = 0; c < channels; c++) gradientCoefficients(c);
                Parallelism.forEach(kN, 3L * input.size(), sampleInputGradient);
            }
        }
        kIn = kDy = kOut = null;
        return gradInput;
    }

    /** Pass 1 over sample s: each run's Σdy, Σdy·(x − μ_c). */
    private void sampleGradientSums(int s) {
        double[] acc = runSums;
        int inner = kInner;
        for (int c = 0, run = s * channels; c < channels; c++, run++) {
            acc[2 * run] = 0;
            acc[2 * run + 1] = 0;
            Moments.addGradientSums(kDy, kIn, run * inner, inner, mean[c], acc, 2 * run);
        }
    }

    /**
     * Channel c's backward, both passes (see {@link #channelsInCache}): each run's Σdy, Σdy·(x − μ_c) (samples s and
     * s + ⌊N/2⌋ together), added in sample order, then dx over its runs, now in cache. The same additions as the
     * sample-order passes.
     */
    private void channelBackward(int c) {
        double[] acc = runSums;
        int inner = kInner, n = kN, half = n / 2, stride = channels * inner;
        for (int s = 0, run = c; s < n; s++, run += channels) {
            acc[2 * run] = 0;
            acc[2 * run + 1] = 0;
        }
        for (int s = 0; s < half; s++) {
            int runA = s * channels + c, runB = (s + half) * channels + c;
            Moments.addGradientSumsPair(kDy, kIn, runA * inner, runB * inner, inner, mean[c], mean[c], acc, 2 * runA, 2 * runB);
        }
        if (n % 2 == 1) {
            int run = (n - 1) * channels + c;
            Moments.addGradientSums(kDy, kIn, run * inner, inner, mean[c], acc, 2 * run);
        }
        gradientCoefficients(c);
        for (int s = 0, off = c * inner; s < n; s++, off += stride) inputGradient(c, off, inner);
    }

    /** Channel c: Σdy and Σdy·(x − μ), its runs' sums added in sample order, then {@link #channelCoefficients}. */
    private void gradientCoefficients(int c) {
        double sumDy = 0, sumDyXmu = 0;
        for (int s = 0, run = c; s < kN; s++, run += channels) {
            sumDy += runSums[2 * run];
            sumDyXmu += runSums[2 * run + 1];
        }
        channelCoefficients(c, sumDy, sumDyXmu);
    }

    /**
     * Channel c from Σdy and Σdy·(x − μ): dγ_c, dβ_c, and dx's coefficients k = γ/σ, k_x = γ·Σdy·x̂/(m·σ²),
     * c₀ = −γ·Σdy/(m·σ) (k_x = c₀ = 0 with running statistics).
     */
    private void channelCoefficients(int c, double sumDy, double sumDyXmu) {
        int m = kN * kInner;
        double is = invStd[c], sumDyXhat = sumDyXmu * is, gammaC = affine ? gamma.value().data()[c] : 1;
        if (affine) {
            gamma.grad().data()[c] += (float) sumDyXhat;
            beta.grad().data()[c] += (float) sumDy;
        }
        columnScale[c] = (float) (gammaC * is);
        columnShift[c] = usedBatchStats ? (float) (gammaC * is * is * sumDyXhat / m) : 0f;
        columnOffset[c] = usedBatchStats ? (float) (-gammaC * is * sumDy / m) : 0f;
        shiftValue[c] = (float) mean[c];
    }

    /**
     * Pass 2 over sample s: dx = k·dy − k_x·(x − μ) + c₀ (batch statistics) or dx = k·dy (running statistics); an
     * (N, C) row always takes the first form (k_x = c₀ = 0 with running statistics).
     */
    private void sampleInputGradient(int s) {
        int inner = kInner;
        if (inner == 1) {
            Moments.inputGradientColumns(kDy, kIn, kOut, s * channels, 0, channels, columnScale, columnShift, shiftValue, columnOffset);
            return;
        }
        for (int c = 0, off = s * channels * inner; c < channels; c++, off += inner) inputGradient(c, off, inner);
    }

    private void inputGradient(int c, int off, int len) {
        if (usedBatchStats) Moments.inputGradient(kDy, kIn, kOut, off, len, columnScale[c], columnShift[c], shiftValue[c], columnOffset[c]);
        else Moments.scale(kDy, kOut, off, len, columnScale[c]);
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
