package org.normlab.kernels;

import java.util.Arrays;


/**
 * The statistics kernels behind {@link ChannelNorm} and {@link BlockNorm}: BatchNorm, LayerNorm, GroupNorm and
 * InstanceNorm each normalize
 * "blocks" of values (a channel over the batch, a sample's row, a sample's group or channel) with the same two
 * passes over memory, forward and backward.
 *
 * <pre>
 * forward pass 1   S = Σ d,  Q = Σ d²,  d = x − x₀          (x₀ the block's first value; sums in double)
 *                  μ = x₀ + S/m,  σ² = max(0, (Q − S²/m)/m)   (biased; the shift keeps Q − S²/m exact-ish when |μ| ≫ σ)
 * forward pass 2   y = a·x + b                               (float; a = γ/σ, b = β − a·μ)
 * backward pass 1  G = Σ dy,  H = Σ dy·(x − μ)               (double)
 * backward pass 2  dx = k·dy − k_x·(x − μ) − k·G/m        (float; k = γ/σ, k_x = γ·H/(m·σ³))
 * </pre>
 * A block is a set of contiguous runs, so each method works on one run {@code [off, off + len)} and adds into
 * {@code acc[at]}, {@code acc[at + 1]}; callers give every block its own slot, so blocks can run on different
 * threads and each block's sums always add in the same order. A NaN or Inf in the input makes S or Q non-finite:
 * pass 1 doubles as the input check. The elementwise float loops are plain so the JIT vectorizes them; the
 * sums (which the JIT does not vectorize) use {@link VectorMoments} when the Vector API module is present, else
 * the same additions in the same order in plain Java: the bits do not depend on the module, the thread count or the
 * machine's vector width.
 */
public final class Moments {
    private Moments() {}

    /** Whether the reductions run on the Vector API ({@link VectorMoments}); see {@link VectorApi}. */
    static final boolean VECTOR = VectorApi.enabled();

    /** "Vector API" or "plain loops": what {@code make bench} reports. */
    public static String backend() { return VectorApi.backend(); }

    /** acc[at] += Σ (x − shift), acc[at + 1] += Σ (x − shift)² over x[off, off + len). */
    static void addShifted(float[] x, int off, int len, double shift, double[] acc, int at) {
        if (len < 64) {  // short blocks: plain double sums on either path
            double s = 0, q = 0;
            for (int i = off, end = off + len; i < end; i++) { double d = x[i] - shift; s += d; q += d * d; }
            acc[at] += s;
            acc[at + 1] += q;
        } else if (VECTOR) {
            VectorMoments.addShifted(x, off, len, shift, acc, at);
        } else {
            addShiftedInLanes(x, off, len, shift, acc, at);
        }
    }

    /**
     * {@link #addShifted} of two runs of the same length, x[offA, offA + len) into acc[atA], acc[atA + 1] and
     * x[offB, offB + len) into acc[atB], acc[atB + 1], each computed exactly as by a call of its own. With the Vector
     * API both runs are read in one loop (two streams in flight).
     */
    static void addShiftedPair(float[] x, int offA, int offB, int len, double shiftA, double shiftB, double[] acc, int atA, int atB) {
        if (VECTOR && len >= 64) {
            VectorMoments.addShiftedPair(x, offA, offB, len, shiftA, shiftB, acc, atA, atB);
        } else {
            addShifted(x, offA, len, shiftA, acc, atA);
            addShifted(x, offB, len, shiftB, acc, atB);
        }
    }

    /**
     * {@link VectorMoments#addShifted} in plain Java, addition for addition (8 float lanes, two accumulators each,
     * fused multiply-add, chunks of 1024 added in double, lanes totalled in order), so the result is bit-identical
     * with or without the Vector API module.
     */
    static void addShiftedInLanes(float[] x, int off, int len, double shift, double[] acc, int at) {
        final int lanes = VectorMoments.LANES;
        float shiftF = (float) shift;
        float[] s0 = new float[lanes], s1 = new float[lanes], q0 = new float[lanes], q1 = new float[lanes];
        double s = 0, q = 0;
        for (int start = off, end = off + len; start < end; start += VectorMoments.CHUNK) {
            int stop = Math.min(end, start + VectorMoments.CHUNK), i = start;
            Arrays.fill(s0, 0f); Arrays.fill(s1, 0f); Arrays.fill(q0, 0f); Arrays.fill(q1, 0f);
            for (; i + 2 * lanes <= stop; i += 2 * lanes) {
                for (int l = 0; l < lanes; l++) {
                    float d0 = x[i + l] - shiftF, d1 = x[i + lanes + l] - shiftF;
                    s0[l] += d0;
                    s1[l] += d1;
                    q0[l] = Math.fma(d0, d0, q0[l]);
                    q1[l] = Math.fma(d1, d1, q1[l]);
                }
            }
            double cs = 0, cq = 0;
            for (int l = 0; l < lanes; l++) cs += s0[l] + s1[l];
            for (int l = 0; l < lanes; l++) cq += q0[l] + q1[l];
            for (; i < stop; i++) { double d = x[i] - shift; cs += d; cq += d * d; }
            if (!Double.isFinite(cs) || !Double.isFinite(cq)) {  // float overflow (or NaN/Inf input): redo in double
                cs = 0;
                cq = 0;
                for (int j = start; j < stop; j++) { double d = x[j] - shift; cs += d; cq += d * d; }
            }
            s += cs;
            q += cq;
        }
        acc[at] += s;
        acc[at + 1] += q;
    }

    /** μ from the shifted sum S of m values. */
    static double mean(double shift, double shiftedSum, long m) { return shift + shiftedSum / m; }

    /** Biased σ² from the shifted sums S, Q of m values (never negative). */
    static double variance(double shiftedSum, double shiftedSquares, long m) {
        return Math.max(0, (shiftedSquares - shiftedSum * shiftedSum / m) / m);
    }

    /** acc[at] += Σ dy, acc[at + 1] += Σ dy·(x − mu) over [off, off + len). */
    static void addGradientSums(float[] dy, float[] x, int off, int len, double mu, double[] acc, int at) {
        if (len < 64) {
            double g = 0, h = 0;
            for (int i = off, end = off + len; i < end; i++) { double a = dy[i]; g += a; h += a * (x[i] - mu); }
            acc[at] += g;
            acc[at + 1] += h;
        } else if (VECTOR) {
            VectorMoments.addGradientSums(dy, x, off, len, mu, acc, at);
        } else {
            addGradientSumsInLanes(dy, x, off, len, mu, acc, at);
        }
    }

    /** {@link #addGradientSums} of two runs of the same length, each exactly as by a call of its own. */
    static void addGradientSumsPair(float[] dy, float[] x, int offA, int offB, int len, double muA, double muB, double[] acc, int atA, int atB) {
        if (VECTOR && len >= 64) {
            VectorMoments.addGradientSumsPair(dy, x, offA, offB, len, muA, muB, acc, atA, atB);
        } else {
            addGradientSums(dy, x, offA, len, muA, acc, atA);
            addGradientSums(dy, x, offB, len, muB, acc, atB);
        }
    }

    /** {@link VectorMoments#addGradientSums} in plain Java, addition for addition (see {@link #addShiftedInLanes}). */
    static void addGradientSumsInLanes(float[] dy, float[] x, int off, int len, double mu, double[] acc, int at) {
        final int lanes = VectorMoments.LANES;
        float muF = (float) mu;
        float[] g0 = new float[lanes], g1 = new float[lanes], h0 = new float[lanes], h1 = new float[lanes];
        double g = 0, h = 0;
        for (int start = off, end = off + len; start < end; start += VectorMoments.CHUNK) {
            int stop = Math.min(end, start + VectorMoments.CHUNK), i = start;
            Arrays.fill(g0, 0f); Arrays.fill(g1, 0f); Arrays.fill(h0, 0f); Arrays.fill(h1, 0f);
            for (; i + 2 * lanes <= stop; i += 2 * lanes) {
                for (int l = 0; l < lanes; l++) {
                    float a0 = dy[i + l], a1 = dy[i + lanes + l];
                    g0[l] += a0;
                    g1[l] += a1;
                    h0[l] = Math.fma(a0, x[i + l] - muF, h0[l]);
                    h1[l] = Math.fma(a1, x[i + lanes + l] - muF, h1[l]);
                }
            }
            double cg = 0, ch = 0;
            for (int l = 0; l < lanes; l++) cg += g0[l] + g1[l];
            for (int l = 0; l < lanes; l++) ch += h0[l] + h1[l];
            for (; i < stop; i++) { double a = dy[i]; cg += a; ch += a * (x[i] - mu); }
            if (!Double.isFinite(cg) || !Double.isFinite(ch)) {
                cg = 0;
                ch = 0;
                for (int j = start; j < stop; j++) { double a = dy[j]; cg += a; ch += a * (x[j] - mu); }
            }
            g += cg;
            h += ch;
        }
        acc[at] += g;
        acc[at + 1] += h;
    }

    // The elementwise maps with scalar coefficients (affine, inputGradient, scale) stay plain loops on either path:
    // C2 vectorizes them itself, aligning the stores and unrolling, and streams large arrays faster than a Vector API
    // loop (docs/decisions/kernels.md). C2 never fuses
    // a·x + b into one rounding, so every path computes the same bits.

    /** y = a·x + b over [off, off + len). */
    static void affine(float[] x, float[] y, int off, int len, float a, float b) {
        for (int i = off, end = off + len; i < end; i++) y[i] = a * x[i] + b;
    }

    /**
     * y = a·x + b over [off, off + len), checking x for NaN/Inf in the same pass (the EVAL forward with running
     * statistics, where no moments pass does it); false when a value is not finite. Same bits as {@link #affine}.
     */
    static boolean affineChecked(float[] x, float[] y, int off, int len, float a, float b) {
        return VECTOR && len >= 32 ? VectorMoments.affineChecked(x, y, off, len, a, b) : affineCheckedPlain(x, y, off, len, a, b);
    }

    static boolean affineCheckedPlain(float[] x, float[] y, int off, int len, float a, float b) {
        int exponents = 0;
        for (int i = off, end = off + len; i < end; i++) {
            float v = x[i];
            exponents |= finiteFlag(v);
            y[i] = a * v + b;
        }
        return exponents >= 0;
    }

    // ---- Columns of one row of an (N, C) input (BatchNorm's channels are its columns): each channel c in
    // [from, to) has its own coefficients or sums at index c, and the row's values at rowOff + c. Sums are in double,
    // one addition per channel and row, so the order of additions is the rows' order whatever the vector width.

    /**
     * Σ_c[c] += x − x₀_c, Σ²_c[c] += (x − x₀_c)² over the first {@code rows} rows (row r starts at r·stride), for the
     * columns [from, to) (x₀ = shift, in double); each column's values added in row order.
     */
    static void addColumnMoments(float[] x, int rows, int stride, int from, int to, float[] shift, double[] sum, double[] squares) {
        if (VECTOR && to - from >= 32) {
            VectorMoments.addColumnMoments(x, rows, stride, from, to, shift, sum, squares);
        } else {
            addColumnMomentsPlain(x, rows, stride, from, to, shift, sum, squares);
        }
    }

    static void addColumnMomentsPlain(float[] x, int rows, int stride, int from, int to, float[] shift, double[] sum, double[] squares) {
        for (int r = 0; r < rows; r++) {
            for (int c = from, rowOff = r * stride; c < to; c++) {
                double d = x[rowOff + c] - (double) shift[c];
                sum[c] += d;
                squares[c] += d * d;
            }
        }
    }

    /** Σdy[c] += dy, Σdy(x−μ)[c] += dy·(x − μ_c) over the first {@code rows} rows, columns [from, to), in double, row order. */
    static void addColumnGradientSums(float[] dy, float[] x, int rows, int stride, int from, int to, double[] mean, double[] sumDy, double[] sumDyXmu) {
        if (VECTOR && to - from >= 32) {
            VectorMoments.addColumnGradientSums(dy, x, rows, stride, from, to, mean, sumDy, sumDyXmu);
        } else {
            addColumnGradientSumsPlain(dy, x, rows, stride, from, to, mean, sumDy, sumDyXmu);
        }
    }

    static void addColumnGradientSumsPlain(float[] dy, float[] x, int rows, int stride, int from, int to, double[] mean, double[] sumDy, double[] sumDyXmu) {
        for (int r = 0; r < rows; r++) {
            for (int c = from, rowOff = r * stride; c < to; c++) {
                double d = dy[rowOff + c];
                sumDy[c] += d;
                sumDyXmu[c] += d * (x[rowOff + c] - mean[c]);
            }
        }
    }

    /** y = a_c·x + b_c over the row's columns [from, to). */
    static void affineColumns(float[] x, float[] y, int rowOff, int from, int to, float[] a, float[] b) {
        if (VECTOR && to - from >= 32) {
            VectorMoments.affineColumns(x, y, rowOff, from, to, a, b);
            return;
        }
        for (int c = from; c < to; c++) y[rowOff + c] = a[c] * x[rowOff + c] + b[c];
    }

    /** dx = k_c·dy − kx_c·(x − μ_c) + c0_c over the row's columns [from, to). */
    static void inputGradientColumns(float[] dy, float[] x, float[] dx, int rowOff, int from, int to, float[] k, float[] kx, float[] mu, float[] c0) {
        if (VECTOR && to - from >= 32) {
            VectorMoments.inputGradientColumns(dy, x, dx, rowOff, from, to, k, kx, mu, c0);
            return;
        }
        for (int c = from; c < to; c++) dx[rowOff + c] = k[c] * dy[rowOff + c] - kx[c] * (x[rowOff + c] - mu[c]) + c0[c];
    }

    /** {@link #affineColumns} checking x for NaN/Inf as it goes (EVAL); false when a value is not finite. */
    static boolean affineColumnsChecked(float[] x, float[] y, int rowOff, int from, int to, float[] a, float[] b) {
        return VECTOR && to - from >= 32 ? VectorMoments.affineColumnsChecked(x, y, rowOff, from, to, a, b)
                : affineColumnsCheckedPlain(x, y, rowOff, from, to, a, b);
    }

    static boolean affineColumnsCheckedPlain(float[] x, float[] y, int rowOff, int from, int to, float[] a, float[] b) {
        int exponents = 0;
        for (int c = from; c < to; c++) {
            float v = x[rowOff + c];
            exponents |= finiteFlag(v);
            y[rowOff + c] = a[c] * v + b[c];
        }
        return exponents >= 0;
    }

    /**
     * Negative exactly when v is NaN or ±Inf: its exponent field is all ones, and adding one to that field carries
     * into the sign bit. An int OR of these flags is a reduction the JIT vectorizes (a float sum is not).
     */
    private static int finiteFlag(float v) { return (Float.floatToRawIntBits(v) & 0x7f800000) + 0x00800000; }

    /** y = γ_i·(a·x + b) + β_i over a row x[off, off + len) with elementwise γ, β (LayerNorm's affine). */
    static void affineElementwise(float[] x, float[] y, int off, int len, float a, float b, float[] gamma, float[] beta) {
        if (VECTOR && len >= 32) {
            VectorMoments.affineElementwise(x, y, off, len, a, b, gamma, beta);
            return;
        }
        for (int i = 0; i < len; i++) y[off + i] = gamma[i] * (a * x[off + i] + b) + beta[i];
    }

    /** dx = k·dy − kx·(x − mu) + c0 over [off, off + len) (c0 = −k·mean(dy) for BatchNorm). */
    public static void inputGradient(float[] dy, float[] x, float[] dx, int off, int len, float k, float kx, float mu, float c0) {
        for (int i = off, end = off + len; i < end; i++) dx[i] = k * dy[i] - kx * (x[i] - mu) + c0;
    }

    /** out[off + i] = w[i]·x[off + i] for i &lt; len (LayerNorm's g = γ·dy). */
    static void multiplyElementwise(float[] w, float[] x, float[] out, int off, int len) {
        if (VECTOR && len >= 32) {
            VectorMoments.multiplyElementwise(w, x, out, off, len);
            return;
        }
        for (int i = 0; i < len; i++) out[off + i] = w[i] * x[off + i];
    }

    /**
     * LayerNorm's dγ, dβ terms of one row, added to float partial sums:
     * {@code pg[dGamma + i] += dy·((x − mu)·invStd)}, {@code pg[dBeta + i] += dy} for the row's i &lt; len.
     */
    static void addAffineGradientPartials(float[] dy, float[] x, int off, int len, float mu, float invStd, float[] pg, int dGamma, int dBeta) {
        if (VECTOR && len >= 32) {
            VectorMoments.addAffineGradientPartials(dy, x, off, len, mu, invStd, pg, dGamma, dBeta);
            return;
        }
        for (int i = 0; i < len; i++) {
            float d = dy[off + i];
            pg[dGamma + i] += d * ((x[off + i] - mu) * invStd);
            pg[dBeta + i] += d;
        }
    }

    /** dx = k·dy over [off, off + len) (statistics that do not depend on x: running statistics). */
    public static void scale(float[] dy, float[] dx, int off, int len, float k) {
        for (int i = off, end = off + len; i < end; i++) dx[i] = k * dy[i];
    }
}
