package org.normlab.kernels;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * Normalization over blocks, the primitive of LayerNorm, GroupNorm and InstanceNorm. An (outer, channels, inner)
 * layout split into {@code groups} groups of consecutive channels has outer·groups contiguous blocks of
 * m = (channels/groups)·inner values: LayerNorm's block is a row (rows, 1, D), GroupNorm's a (sample, group),
 * InstanceNorm's a (sample, channel).
 *
 * <pre>
 * normalize:      μ_b = (1/m) Σ x,  σ²_b = (1/m) Σ (x − μ_b)²,  invStd_b = 1/√(σ²_b + ε),  x̂ = (x − μ_b)·invStd_b
 *                 y = x̂ (STANDARDIZE),  γ_i·x̂ + β_i (ELEMENTWISE, i within the block),  γ_c·x̂ + β_c (PER_CHANNEL)
 * normalizeWith:  the same with given μ_b, invStd_b (PER_CHANNEL), checking x for NaN/Inf
 * gradientSums:   G_c = Σ dy,  H_c = Σ dy·(x − μ_b) over each channel's run of a block
 * channelSums:    dγ_c += Σ_n H_nc·invStd,  dβ_c += Σ_n G_nc   (samples in order)
 * elementwiseInputGradient (LayerNorm):  g = γ_i·dy,  dx = invStd·(g − mean(g) − x̂·mean(g·x̂)),
 *                 dγ_i += Σ_rows dy·x̂,  dβ_i += Σ_rows dy
 * </pre>
 * Blocks run on {@link Parallelism#threads()} threads, each block start to finish on one thread through the
 * {@link Moments} kernels (two passes over memory, sums in double), so the results do not depend on the thread count.
 */
public final class BlockNorm {
    private BlockNorm() {}

    /** The affine map after x̂; γ, β null in PER_CHANNEL stand for 1 and 0. */
    public sealed interface Affine {
        /** y = x̂. */
        record Standardize() implements Affine {}
        /** y = γ_i·x̂ + β_i, γ and β of one block's length. */
        record Elementwise(float[] gamma, float[] beta) implements Affine {}
        /** y = γ_c·x̂ + β_c with c the value's channel. */
        record PerChannel(float[] gamma, float[] beta) implements Affine {}
    }

    /**
     * Statistics of every block of {@code layout} into {@code stats} (one entry per block), and y = affine(x̂).
     * False when x holds NaN or Inf (then y and stats are partly written).
     */
    public static boolean normalize(float[] x, float[] y, Layout layout, int groups, double eps, Affine affine, Statistics stats, Scratch scratch) {
        int blocks = layout.outer() * groups, perGroup = layout.channels() / groups, inner = layout.inner();
        double[] sums = scratch.doubles(2 * blocks);
        Normalize job = new Normalize(x, y, groups, perGroup, inner, eps, affine, stats, sums, new AtomicBoolean());
        Parallelism.forEach(blocks, 2L * layout.size(), job);
        return !job.nonFinite().get();
    }

    /**
     * One block of {@link #normalize}. The kernels' per-block jobs are small records rather than capturing lambdas:
     * C2 ran the same block code markedly slower as a lambda with a dozen captured values
     * (docs/decisions/kernel-jobs.md).
     */
    private record Normalize(float[] x, float[] y, int groups, int perGroup, int inner, double eps, Affine affine, Statistics stats,
            double[] sums, AtomicBoolean nonFinite) implements IntConsumer {
        @Override public void accept(int block) {
            int size = perGroup * inner, off = block * size;
            double shift = x[off];
            sums[2 * block] = 0;
            sums[2 * block + 1] = 0;
            Moments.addShifted(x, off, size, shift, sums, 2 * block);  // pass 1, also the finiteness check
            if (!Double.isFinite(sums[2 * block]) || !Double.isFinite(sums[2 * block + 1])) {
                nonFinite.set(true);
                return;
            }
            double mu = Moments.mean(shift, sums[2 * block], size);
            stats.variance()[block] = Moments.variance(sums[2 * block], sums[2 * block + 1], size);
            double is = 1 / Math.sqrt(stats.variance()[block] + eps);
            stats.mean()[block] = mu;
            stats.invStd()[block] = is;
            switch (affine) {  // pass 2
                case Affine.Standardize s -> Moments.affine(x, y, off, size, (float) is, (float) (-mu * is));
                case Affine.Elementwise e -> Moments.affineElementwise(x, y, off, size, (float) is, (float) (-mu * is), e.gamma(), e.beta());
                case Affine.PerChannel p -> {
                    for (int cg = 0, c = block % groups * perGroup; cg < perGroup; cg++, c++) {
                        double g = p.gamma() != null ? p.gamma()[c] : 1, b = p.beta() != null ? p.beta()[c] : 0;
                        Moments.affine(x, y, off + cg * inner, inner, (float) (g * is), (float) (b - g * is * mu));
                    }
                }
            }
        }
    }

    /**
     * y = γ_c·(x − μ_b)·invStd_b + β_c with the given per-block {@code stats} (e.g. running statistics), checking x
     * for NaN/Inf in the same pass; false when a value is not finite.
     */
    public static boolean normalizeWith(float[] x, float[] y, Layout layout, int groups, Affine.PerChannel affine, Statistics stats) {
        int blocks = layout.outer() * groups, perGroup = layout.channels() / groups, inner = layout.inner();
        NormalizeWith job = new NormalizeWith(x, y, groups, perGroup, inner, affine.gamma(), affine.beta(), stats, new AtomicBoolean());
        Parallelism.forEach(blocks, 2L * layout.size(), job);
        return !job.nonFinite().get();
    }

    /** One block of {@link #normalizeWith}. */
    private record NormalizeWith(float[] x, float[] y, int groups, int perGroup, int inner, float[] gamma, float[] beta, Statistics stats,
            AtomicBoolean nonFinite) implements IntConsumer {
        @Override public void accept(int block) {
            double mu = stats.mean()[block], is = stats.invStd()[block];
            for (int cg = 0, c = block % groups * perGroup; cg < perGroup; cg++, c++) {
                double g = gamma != null ? gamma[c] : 1, b = beta != null ? beta[c] : 0;
                int off = (block * perGroup + cg) * inner;
                if (!Moments.affineChecked(x, y, off, inner, (float) (g * is), (float) (b - g * is * mu))) nonFinite.set(true);
            }
        }
    }

    /**
     * G_c = Σ dy and H_c = Σ dy·(x − mu) of a block's {@code runs} consecutive channel runs of {@code inner} values
     * from {@code off}, into sums[slot + 2·c], sums[slot + 2·c + 1] (c = 0 … runs − 1).
     */
    public static void gradientSums(float[] dy, float[] x, int off, int runs, int inner, double mu, double[] sums, int slot) {
        Arrays.fill(sums, slot, slot + 2 * runs, 0);
        // Channels two at a time: a run of a small map costs about as much in its lane totals as in its loads, and
        // a pair's totals overlap; each channel's sums are those of a call of its own.
        int c = 0;
        for (; c + 1 < runs; c += 2) {
            Moments.addGradientSumsPair(dy, x, off + c * inner, off + (c + 1) * inner, inner, mu, mu, sums, slot + 2 * c, slot + 2 * c + 2);
        }
        if (c < runs) Moments.addGradientSums(dy, x, off + c * inner, inner, mu, sums, slot + 2 * c);
    }

    /**
     * dβ_c += Σ_n sums[2·(n·C + c)] and dγ_c += Σ_n sums[2·(n·C + c) + 1], over the samples in order, in double
     * (the per-(sample, channel) Σ dy and Σ dy·x̂ a backward left in {@code sums}).
     */
    public static void addChannelSums(double[] sums, int outer, int channels, float[] dGamma, float[] dBeta) {
        for (int c = 0; c < channels; c++) {
            double sumDy = 0, sumDyXhat = 0;
            for (int s = 0; s < outer; s++) {
                sumDy += sums[2 * (s * channels + c)];
                sumDyXhat += sums[2 * (s * channels + c) + 1];
            }
            dGamma[c] += (float) sumDyXhat;
            dBeta[c] += (float) sumDy;
        }
    }

    /** Rows per block of {@link #elementwiseInputGradient}; dγ, dβ are summed in float within a block, in double across blocks. */
    private static final int ROW_BLOCK = 32;

    /** Floats of scratch {@link #elementwiseInputGradient} needs: its callers check that they fit an array. */
    public static long elementwisePartials(int rows, int rowSize) { return 2L * rowSize * ((rows + ROW_BLOCK - 1) / ROW_BLOCK); }

    /**
     * LayerNorm's backward over {@code rows} rows of {@code rowSize}: dx, and dγ_i, dβ_i when {@code gamma} is not
     * null (else g = dy and no parameter gradients). Blocks of rows: each row's sums, then its dx while the row is
     * still in cache, and the block's float partial sums of dγ, dβ; then those partials added over the blocks in
     * order, by columns.
     */
    public static void elementwiseInputGradient(float[] dy, float[] x, float[] dx, int rows, int rowSize, float[] gamma, Statistics stats,
            float[] dGamma, float[] dBeta, Scratch scratch) {
        int blocks = (rows + ROW_BLOCK - 1) / ROW_BLOCK;
        long partialsLength = elementwisePartials(rows, rowSize);  // its callers keep it below Integer.MAX_VALUE
        float[] partials = gamma != null ? scratch.floats((int) partialsLength) : null;
        ElementwiseRows rowJob = new ElementwiseRows(dy, x, dx, rows, rowSize, gamma, stats.mean(), stats.invStd(), scratch.doubles(0, 2 * rows), partials);
        Parallelism.forEach(blocks, 5L * rows * rowSize, rowJob);
        if (gamma == null) return;
        // Columns per block of the final pass: at least about four blocks per thread. Every column is summed over the
        // row blocks in the same order whatever the block size, so it may depend on the thread count.
        int wanted = (rowSize + 4 * Parallelism.threads() - 1) / (4 * Parallelism.threads());
        int width = Math.max(512, Math.min(8192, (wanted + 63) / 64 * 64));
        ElementwiseColumns columnJob = new ElementwiseColumns(partials, blocks, rowSize, width, scratch.doubles(1, rowSize), scratch.doubles(2, rowSize),
                dGamma, dBeta);
        Parallelism.forEach((rowSize + width - 1) / width, partialsLength, columnJob);
    }

    /**
     * Rows [b·32, (b+1)·32) of {@link #elementwiseInputGradient}: per row Σg, Σg·(x − μ) into rowSums (g = γ·dy, or
     * dy), dx, and the block's float partials Σ_r dy·x̂, Σ_r dy (rows in order) when γ is not null.
     */
    private record ElementwiseRows(float[] dy, float[] x, float[] dx, int rows, int rowSize, float[] gamma, double[] mean, double[] invStd,
            double[] rowSums, float[] partials) implements IntConsumer {
        @Override public void accept(int block) {
            int from = block * ROW_BLOCK, to = Math.min(rows, from + ROW_BLOCK), at = 2 * rowSize * block;
            if (gamma != null) Arrays.fill(partials, at, at + 2 * rowSize, 0f);
            for (int r = from; r < to; r++) {
                int off = r * rowSize;
                double mu = mean[r], is = invStd[r];
                rowSums[2 * r] = 0;
                rowSums[2 * r + 1] = 0;
                float[] g = dy;
                if (gamma != null) {  // g = γ·dy goes into this row of dx, which dx then overwrites
                    Moments.multiplyElementwise(gamma, dy, dx, off, rowSize);
                    g = dx;
                }
                Moments.addGradientSums(g, x, off, rowSize, mu, rowSums, 2 * r);
                float k = (float) is, kx = (float) (is * is * is * rowSums[2 * r + 1] / rowSize), c0 = (float) (-is * rowSums[2 * r] / rowSize);
                Moments.inputGradient(g, x, dx, off, rowSize, k, kx, (float) mu, c0);
                if (gamma != null) Moments.addAffineGradientPartials(dy, x, off, rowSize, (float) mu, k, partials, at, at + rowSize);
            }
        }
    }

    /** Columns [b·width, (b+1)·width): dγ_i += Σ_blocks (Σ_r dy·x̂), dβ_i += Σ_blocks (Σ_r dy), blocks added in double, in order. */
    private record ElementwiseColumns(float[] partials, int blocks, int rowSize, int width, double[] sumDyXhat, double[] sumDy, float[] dGamma,
            float[] dBeta) implements IntConsumer {
        @Override public void accept(int columnBlock) {
            int from = columnBlock * width, to = Math.min(rowSize, from + width);
            Arrays.fill(sumDyXhat, from, to, 0);
            Arrays.fill(sumDy, from, to, 0);
            for (int b = 0; b < blocks; b++) {  // the blocks' partials in order, each block's row read in memory order
                for (int i = from, p = 2 * rowSize * b; i < to; i++) {
                    sumDyXhat[i] += partials[p + i];
                    sumDy[i] += partials[p + rowSize + i];
                }
            }
            for (int i = from; i < to; i++) {
                dGamma[i] += (float) sumDyXhat[i];
                dBeta[i] += (float) sumDy[i];
            }
        }
    }
}
