package org.normlab.kernels;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * BatchNorm's kernels: statistics per channel c of an (outer, channels, inner) layout over its m = outer·inner
 * values, the per-channel affine map, and the normalization input gradient.
 *
 * <pre>
 * normalize:      μ_c, σ²_c (biased), invStd_c = 1/√(σ²_c + ε);   y = a_c·x + b_c,  a_c = γ_c·invStd_c,  b_c = β_c − a_c·μ_c
 * normalizeWith:  the same map with given μ_c, invStd_c (e.g. running statistics), checking x for NaN/Inf
 * inputGradient:  dγ_c += Σ dy·x̂,  dβ_c += Σ dy,   x̂ = (x − μ_c)·invStd_c
 *                 dx = γ_c·invStd_c·(dy − mean(dy) − x̂·mean(dy·x̂))    (statistics of x), or γ_c·invStd_c·dy (constants)
 * </pre>
 * Memory order: channel c's runs (one per sample) lie a whole sample apart, so a per-channel loop would jump through
 * memory and restart the hardware prefetcher at every run. Instead each pass walks the samples in memory order:
 * pass 1 stores every run's sums, the per-channel step adds them in sample order (the additions a per-channel loop
 * would make, so the same bits), and pass 2 applies each channel's map. When the data overflow the cores' caches
 * and one channel fits in a core's cache, both passes run channel by channel instead, the second reading the
 * channel from cache; the additions are the same. For (N, C) input (inner = 1) a channel is a column: pass 1 takes
 * blocks of columns, each walking the rows in order, and pass 2 goes by rows. Sums are in double, each channel's
 * added in a fixed order, so the results depend neither on the thread count nor on the walk.
 */
public final class ChannelNorm {
    private ChannelNorm() {}

    /** Null: {@link #channelsInCache} decides; true or false: tests compare the two orders on the same input. */
    public static volatile Boolean channelPassesForTests;

    /** A core's share of cache assumed by {@link #channelsInCache}: 2 MB of L2 on the machines measured. */
    private static final long CORE_CACHE_BYTES = 2L << 20;

    /**
     * Whether to run both passes channel by channel (each channel's values, {@code arrays} floats per element, read
     * from memory once and again from the core's cache) rather than each pass over all samples in memory order: that
     * pays only when the data overflow the cores' caches and one channel fits in a core's cache.
     */
    private static boolean channelsInCache(long elements, int arrays, int channels) {
        if (channelPassesForTests != null) return channelPassesForTests;
        long bytes = 4L * arrays * elements;
        return bytes > (long) Parallelism.threads() * CORE_CACHE_BYTES && bytes / channels <= CORE_CACHE_BYTES / 2;
    }

    /** Channels per block of the column passes: a thread's share (at most 256), a multiple of 16. */
    private static int columnBlock(int channels) {
        int threads = Parallelism.threads();
        return Math.min(256, ((channels + threads - 1) / threads + 15) / 16 * 16);
    }

    /**
     * Batch statistics of every channel into {@code stats} and y = a_c·x + b_c (γ, β null: 1, 0). False when x holds
     * NaN or Inf (then y and {@code stats} are partly written).
     */
    public static boolean normalize(float[] x, float[] y, Layout layout, double eps, float[] gamma, float[] beta, Statistics stats, Scratch scratch) {
        Forward f = new Forward(x, y, layout, eps, gamma, beta, stats, scratch);
        int n = layout.outer(), channels = layout.channels(), size = layout.size();
        if (layout.inner() == 1) {
            int width = columnBlock(channels);
            Parallelism.forEach((channels + width - 1) / width, size, block -> f.columnMoments(block, width));
            if (!f.nonFinite) Parallelism.forEach(n, 2L * size, f::sampleAffine);
        } else {
            f.runSums = scratch.doubles(0, 2 * n * channels);
            for (int c = 0; c < channels; c++) f.firstValue[c] = x[c * layout.inner()];
            if (channelsInCache(size, 1, channels)) {
                Parallelism.forEach(channels, 2L * size, f::channelForward);
            } else {
                Parallelism.forEach(n, size, f::sampleMoments);
                for (int c = 0; c < channels && !f.nonFinite; c++) f.batchStatistics(c);
                if (!f.nonFinite) Parallelism.forEach(n, 2L * size, f::sampleAffine);
            }
        }
        return !f.nonFinite;
    }

    /** The forward's arguments and its per-channel results, for the passes below. */
    private static final class Forward {
        final float[] x, y, gamma, beta;
        final int n, channels, inner;
        final double eps;
        final Statistics stats;
        /** x₀: each channel's first value, the shift of its sums. */
        final float[] firstValue;
        /** a_c and b_c of y = a_c·x + b_c. */
        final float[] scale, offset;
        /** Per run (sample, channel): Σ(x − x₀), Σ(x − x₀)² (scratch doubles, slot 0). */
        double[] runSums;
        /** (N, C) input: per column Σ(x − x₀), Σ(x − x₀)² (scratch doubles, slots 0 and 1). */
        final double[] columnSum, columnSquares;
        volatile boolean nonFinite;

        Forward(float[] x, float[] y, Layout l, double eps, float[] gamma, float[] beta, Statistics stats, Scratch scratch) {
            this.x = x;
            this.y = y;
            this.n = l.outer();
            this.channels = l.channels();
            this.inner = l.inner();
            this.eps = eps;
            this.gamma = gamma;
            this.beta = beta;
            this.stats = stats;
            this.firstValue = scratch.floats(0, channels);
            this.scale = scratch.floats(1, channels);
            this.offset = scratch.floats(2, channels);
            this.columnSum = inner == 1 ? scratch.doubles(0, channels) : null;
            this.columnSquares = inner == 1 ? scratch.doubles(1, channels) : null;
        }

        /**
         * Pass 1 over sample s: each run's shifted sums (also the finiteness check). Channels c and c + ⌈C/2⌉ are
         * read together: two streams from one core read faster than one.
         */
        void sampleMoments(int s) {
            double[] acc = runSums;
            int half = (channels + 1) / 2, first = s * channels;
            for (int run = first; run < first + channels; run++) {
                acc[2 * run] = 0;
                acc[2 * run + 1] = 0;
            }
            for (int c = 0; c + half < channels; c++) {
                int runA = first + c, runB = runA + half;
                Moments.addShiftedPair(x, runA * inner, runB * inner, inner, firstValue[c], firstValue[c + half], acc, 2 * runA, 2 * runB);
            }
            if (channels % 2 == 1) Moments.addShifted(x, (first + half - 1) * inner, inner, firstValue[half - 1], acc, 2 * (first + half - 1));
        }

        /**
         * Channel c's forward, both passes: its runs' shifted sums (samples s and s + ⌊N/2⌋ together, two streams per
         * core), added in sample order, then y = a_c·x + b_c over its runs, now in cache.
         */
        void channelForward(int c) {
            double[] acc = runSums;
            int half = n / 2;
            for (int s = 0; s < n; s++) {
                int run = s * channels + c;
                acc[2 * run] = 0;
                acc[2 * run + 1] = 0;
            }
            for (int s = 0; s < half; s++) {
                int runA = s * channels + c, runB = (s + half) * channels + c;
                Moments.addShiftedPair(x, runA * inner, runB * inner, inner, firstValue[c], firstValue[c], acc, 2 * runA, 2 * runB);
            }
            if (n % 2 == 1) {
                int run = (n - 1) * channels + c;
                Moments.addShifted(x, run * inner, inner, firstValue[c], acc, 2 * run);
            }
            batchStatistics(c);
            if (nonFinite) return;
            for (int s = 0, off = c * inner; s < n; s++, off += channels * inner) Moments.affine(x, y, off, inner, scale[c], offset[c]);
        }

        /** Channel c: its runs' sums added in sample order, then {@link #channelStatistics}. */
        void batchStatistics(int c) {
            double sum = 0, squares = 0;
            for (int s = 0, run = c; s < n; s++, run += channels) {
                sum += runSums[2 * run];
                squares += runSums[2 * run + 1];
            }
            channelStatistics(c, sum, squares);
        }

        /** Channel c from its shifted sums: μ, σ², 1/σ and a_c, b_c; false (and nonFinite set) for NaN/Inf input. */
        boolean channelStatistics(int c, double sum, double squares) {
            if (!Double.isFinite(sum) || !Double.isFinite(squares)) {
                nonFinite = true;
                return false;
            }
            int m = n * inner;
            double[] mean = stats.mean(), variance = stats.variance(), invStd = stats.invStd();
            mean[c] = Moments.mean(firstValue[c], sum, m);
            variance[c] = Moments.variance(sum, squares, m);
            invStd[c] = 1 / Math.sqrt(variance[c] + eps);
            double g = gamma != null ? gamma[c] : 1, b = beta != null ? beta[c] : 0;
            scale[c] = (float) (g * invStd[c]);
            offset[c] = (float) (b - g * invStd[c] * mean[c]);
            return true;
        }

        /** Pass 2 over sample s: y = a_c·x + b_c (for (N, C) input the sample is one row). */
        void sampleAffine(int s) {
            if (inner == 1) {
                Moments.affineColumns(x, y, s * channels, 0, channels, scale, offset);
                return;
            }
            for (int c = 0, off = s * channels * inner; c < channels; c++, off += inner) Moments.affine(x, y, off, inner, scale[c], offset[c]);
        }

        /** Pass 1 over a block of columns: Σ(x − x₀), Σ(x − x₀)² down the rows, then {@link #channelStatistics}. */
        void columnMoments(int block, int width) {
            int from = block * width, to = Math.min(channels, from + width);
            double[] sum = columnSum, squares = columnSquares;
            Arrays.fill(sum, from, to, 0);
            Arrays.fill(squares, from, to, 0);
            for (int c = from; c < to; c++) firstValue[c] = x[c];
            Moments.addColumnMoments(x, n, channels, from, to, firstValue, sum, squares);
            for (int c = from; c < to; c++) {
                if (!channelStatistics(c, sum[c], squares[c])) return;
            }
        }
    }

    /**
     * y = γ_c·(x − μ_c)·invStd_c + β_c with the given {@code stats} (γ, β null: 1, 0), one map a_c·x + b_c per
     * channel, checking x for NaN/Inf in the same pass; false when a value is not finite.
     */
    public static boolean normalizeWith(float[] x, float[] y, Layout layout, float[] gamma, float[] beta, Statistics stats) {
        int channels = layout.channels(), inner = layout.inner();
        float[] scale = new float[channels], offset = new float[channels];
        for (int c = 0; c < channels; c++) {
            double g = gamma != null ? gamma[c] : 1, b = beta != null ? beta[c] : 0, is = stats.invStd()[c];
            scale[c] = (float) (g * is);
            offset[c] = (float) (b - g * is * stats.mean()[c]);
        }
        NormalizeWith job = new NormalizeWith(x, y, channels, inner, scale, offset, new AtomicBoolean());
        Parallelism.forEach(layout.outer(), 2L * layout.size(), job);
        return !job.nonFinite().get();
    }

    /** One sample of {@link #normalizeWith} (a record, not a capturing lambda: docs/decisions/kernel-jobs.md). */
    private record NormalizeWith(float[] x, float[] y, int channels, int inner, float[] scale, float[] offset, AtomicBoolean nonFinite)
            implements IntConsumer {
        @Override public void accept(int s) {
            boolean finite = true;
            if (inner == 1) {
                finite = Moments.affineColumnsChecked(x, y, s * channels, 0, channels, scale, offset);
            } else {
                for (int c = 0, off = s * channels * inner; c < channels; c++, off += inner) {
                    finite &= Moments.affineChecked(x, y, off, inner, scale[c], offset[c]);
                }
            }
            if (!finite) nonFinite.set(true);
        }
    }

    /**
     * dγ_c += Σ dy·x̂ and dβ_c += Σ dy (when {@code dGamma}, {@code dBeta} are not null), and dx: the full gradient
     * when {@code statisticsOfInput} (μ, σ² are the batch's), else γ_c·invStd_c·dy (γ null: 1).
     */
    public static void inputGradient(float[] dy, float[] x, float[] dx, Layout layout, float[] gamma, double[] mean, double[] invStd,
            boolean statisticsOfInput, float[] dGamma, float[] dBeta, Scratch scratch) {
        Backward b = new Backward(dy, x, dx, layout, gamma, mean, invStd, statisticsOfInput, dGamma, dBeta, scratch);
        int n = layout.outer(), channels = layout.channels(), size = layout.size();
        if (layout.inner() == 1) {  // (N, C): blocks of columns down the rows, then dx by rows
            int width = columnBlock(channels);
            Parallelism.forEach((channels + width - 1) / width, 2L * size, block -> b.columnGradientSums(block, width));
            Parallelism.forEach(n, 3L * size, b::sampleInputGradient);
        } else {  // as forward: samples in memory order, per-channel sums in sample order, then dx
            b.runSums = scratch.doubles(0, 2 * n * channels);
            if (channelsInCache(size, 2, channels)) {
                Parallelism.forEach(channels, 3L * size, b::channelBackward);
            } else {
                Parallelism.forEach(n, 2L * size, b::sampleGradientSums);
                for (int c = 0; c < channels; c++) b.gradientCoefficients(c);
                Parallelism.forEach(n, 3L * size, b::sampleInputGradient);
            }
        }
    }

    /** The backward's arguments and dx's per-channel coefficients dx = k·dy − k_x·(x − μ) + c₀. */
    private static final class Backward {
        final float[] dy, x, dx, gamma, dGamma, dBeta;
        final double[] mean, invStd;
        final boolean statisticsOfInput;
        final int n, channels, inner;
        final float[] k, kx, c0, meanFloat;
        /** Per run (sample, channel): Σ dy, Σ dy·(x − μ_c) (scratch doubles, slot 0). */
        double[] runSums;
        /** (N, C) input: per column Σ dy, Σ dy·(x − μ_c) (scratch doubles, slots 0 and 1). */
        final double[] columnSumDy, columnSumDyXmu;

        Backward(float[] dy, float[] x, float[] dx, Layout l, float[] gamma, double[] mean, double[] invStd, boolean statisticsOfInput,
                float[] dGamma, float[] dBeta, Scratch scratch) {
            this.dy = dy;
            this.x = x;
            this.dx = dx;
            this.gamma = gamma;
            this.dGamma = dGamma;
            this.dBeta = dBeta;
            this.mean = mean;
            this.invStd = invStd;
            this.statisticsOfInput = statisticsOfInput;
            this.n = l.outer();
            this.channels = l.channels();
            this.inner = l.inner();
            this.k = scratch.floats(0, channels);
            this.kx = scratch.floats(1, channels);
            this.c0 = scratch.floats(2, channels);
            this.meanFloat = scratch.floats(3, channels);
            this.columnSumDy = inner == 1 ? scratch.doubles(0, channels) : null;
            this.columnSumDyXmu = inner == 1 ? scratch.doubles(1, channels) : null;
        }

        /** Pass 1 over sample s: each run's Σdy, Σdy·(x − μ_c). */
        void sampleGradientSums(int s) {
            double[] acc = runSums;
            for (int c = 0, run = s * channels; c < channels; c++, run++) {
                acc[2 * run] = 0;
                acc[2 * run + 1] = 0;
                Moments.addGradientSums(dy, x, run * inner, inner, mean[c], acc, 2 * run);
            }
        }

        /** Channel c's backward, both passes: its runs' sums (samples s and s + ⌊N/2⌋ together), then dx from cache. */
        void channelBackward(int c) {
            double[] acc = runSums;
            int half = n / 2, stride = channels * inner;
            for (int s = 0, run = c; s < n; s++, run += channels) {
                acc[2 * run] = 0;
                acc[2 * run + 1] = 0;
            }
            for (int s = 0; s < half; s++) {
                int runA = s * channels + c, runB = (s + half) * channels + c;
                Moments.addGradientSumsPair(dy, x, runA * inner, runB * inner, inner, mean[c], mean[c], acc, 2 * runA, 2 * runB);
            }
            if (n % 2 == 1) {
                int run = (n - 1) * channels + c;
                Moments.addGradientSums(dy, x, run * inner, inner, mean[c], acc, 2 * run);
            }
            gradientCoefficients(c);
            for (int s = 0, off = c * inner; s < n; s++, off += stride) runInputGradient(c, off);
        }

        /** Channel c: Σdy and Σdy·(x − μ), its runs' sums added in sample order, then {@link #channelCoefficients}. */
        void gradientCoefficients(int c) {
            double sumDy = 0, sumDyXmu = 0;
            for (int s = 0, run = c; s < n; s++, run += channels) {
                sumDy += runSums[2 * run];
                sumDyXmu += runSums[2 * run + 1];
            }
            channelCoefficients(c, sumDy, sumDyXmu);
        }

        /** Backward pass 1 over a block of columns: Σdy, Σdy·(x − μ) down the rows, then {@link #channelCoefficients}. */
        void columnGradientSums(int block, int width) {
            int from = block * width, to = Math.min(channels, from + width);
            double[] sumDy = columnSumDy, sumDyXmu = columnSumDyXmu;
            Arrays.fill(sumDy, from, to, 0);
            Arrays.fill(sumDyXmu, from, to, 0);
            Moments.addColumnGradientSums(dy, x, n, channels, from, to, mean, sumDy, sumDyXmu);
            for (int c = from; c < to; c++) channelCoefficients(c, sumDy[c], sumDyXmu[c]);
        }

        /**
         * Channel c from Σdy and Σdy·(x − μ): dγ_c, dβ_c, and k = γ/σ, k_x = γ·Σdy·x̂/(m·σ²), c₀ = −γ·Σdy/(m·σ)
         * (k_x = c₀ = 0 with constant statistics).
         */
        void channelCoefficients(int c, double sumDy, double sumDyXmu) {
            int m = n * inner;
            double is = invStd[c], sumDyXhat = sumDyXmu * is, gammaC = gamma != null ? gamma[c] : 1;
            if (dGamma != null) {
                dGamma[c] += (float) sumDyXhat;
                dBeta[c] += (float) sumDy;
            }
            k[c] = (float) (gammaC * is);
            kx[c] = statisticsOfInput ? (float) (gammaC * is * is * sumDyXhat / m) : 0f;
            c0[c] = statisticsOfInput ? (float) (-gammaC * is * sumDy / m) : 0f;
            meanFloat[c] = (float) mean[c];
        }

        /** Pass 2 over sample s (an (N, C) row always takes the full form, k_x = c₀ = 0 with constant statistics). */
        void sampleInputGradient(int s) {
            if (inner == 1) {
                Moments.inputGradientColumns(dy, x, dx, s * channels, 0, channels, k, kx, meanFloat, c0);
                return;
            }
            for (int c = 0, off = s * channels * inner; c < channels; c++, off += inner) runInputGradient(c, off);
        }

        private void runInputGradient(int c, int off) {
            if (statisticsOfInput) Moments.inputGradient(dy, x, dx, off, inner, k[c], kx[c], meanFloat[c], c0[c]);
            else Moments.scale(dy, dx, off, inner, k[c]);
        }
    }
}
