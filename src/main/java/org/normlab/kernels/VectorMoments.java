package org.normlab.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two reductions of {@link Moments} with the Vector API (jdk.incubator.vector), used when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (the build, the tests, the kernel and {@code make bench} do); otherwise
 * Moments' plain loops run. Lanes sum in float over chunks of at most {@value #CHUNK} values, and each chunk's lane
 * total is added in double, so a sum's relative error stays near CHUNK/lanes float roundings (about 1e-6). A chunk
 * whose float sums overflow (|x − shift| beyond ~1e18) is summed again in double, so finite input never reads as
 * Inf. The order of every addition is fixed by the data's length alone (lane-wise add and fma are exact IEEE
 * operations; lanes are totalled in order, never with reduceLanes): results do not depend on thread count or JIT.
 */
final class VectorMoments {
    private VectorMoments() {}

    /**
     * 256-bit vectors (8 float lanes), not the machine's preferred width: the lane count fixes the order of the
     * additions, and {@link Moments} repeats exactly this order in plain Java when the module is absent, so a run
     * gives the same bits with or without the Vector API and on AVX2 or AVX-512 machines alike.
     */
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    static final int LANES = 8, CHUNK = 1024;

    /** acc[at] += Σ (x − shift), acc[at + 1] += Σ (x − shift)² over x[off, off + len). */
    static void addShifted(float[] x, int off, int len, double shift, double[] acc, int at) {
        float shiftF = (float) shift;  // shift is a float of x, so this is exact
        double s = 0, q = 0;
        for (int start = off, end = off + len; start < end; start += CHUNK) {
            int stop = Math.min(end, start + CHUNK), i = start;
            FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F), q0 = FloatVector.zero(F), q1 = FloatVector.zero(F);
            for (; i + 2 * F.length() <= stop; i += 2 * F.length()) {
                FloatVector d0 = FloatVector.fromArray(F, x, i).sub(shiftF), d1 = FloatVector.fromArray(F, x, i + F.length()).sub(shiftF);
                s0 = s0.add(d0);
                s1 = s1.add(d1);
                q0 = d0.fma(d0, q0);
                q1 = d1.fma(d1, q1);
            }
            double laneSum = sumInOrder(s0.add(s1)), laneSquares = sumInOrder(q0.add(q1));
            s += chunkTotal(x, start, i, stop, shift, laneSum, laneSquares, false);
            q += chunkTotal(x, start, i, stop, shift, laneSum, laneSquares, true);
        }
        acc[at] += s;
        acc[at + 1] += q;
    }

    /**
     * {@link #addShifted} of two runs x[offA, offA + len) and x[offB, offB + len) at once, each run's additions
     * exactly those of a call of its own. Why: one core keeps only so many reads in flight per stream, and a run of
     * a few KB restarts the prefetcher at its page; two streams read a large BatchNorm input markedly faster than
     * one (docs/decisions/kernels.md).
     */
    static void addShiftedPair(float[] x, int offA, int offB, int len, double shiftA, double shiftB, double[] acc, int atA, int atB) {
        float shA = (float) shiftA, shB = (float) shiftB;
        double sA = 0, qA = 0, sB = 0, qB = 0;
        for (int start = 0; start < len; start += CHUNK) {
            int stop = Math.min(len, start + CHUNK), i = start;
            FloatVector sA0 = FloatVector.zero(F), sA1 = FloatVector.zero(F), qA0 = FloatVector.zero(F), qA1 = FloatVector.zero(F);
            FloatVector sB0 = FloatVector.zero(F), sB1 = FloatVector.zero(F), qB0 = FloatVector.zero(F), qB1 = FloatVector.zero(F);
            for (; i + 2 * F.length() <= stop; i += 2 * F.length()) {
                FloatVector a0 = FloatVector.fromArray(F, x, offA + i).sub(shA), a1 = FloatVector.fromArray(F, x, offA + i + F.length()).sub(shA);
                FloatVector b0 = FloatVector.fromArray(F, x, offB + i).sub(shB), b1 = FloatVector.fromArray(F, x, offB + i + F.length()).sub(shB);
                sA0 = sA0.add(a0);
                sA1 = sA1.add(a1);
                qA0 = a0.fma(a0, qA0);
                qA1 = a1.fma(a1, qA1);
                sB0 = sB0.add(b0);
                sB1 = sB1.add(b1);
                qB0 = b0.fma(b0, qB0);
                qB1 = b1.fma(b1, qB1);
            }
            double laneSumA = sumInOrder(sA0.add(sA1)), laneSquaresA = sumInOrder(qA0.add(qA1));
            double laneSumB = sumInOrder(sB0.add(sB1)), laneSquaresB = sumInOrder(qB0.add(qB1));
            sA += chunkTotal(x, offA + start, offA + i, offA + stop, shiftA, laneSumA, laneSquaresA, false);
            qA += chunkTotal(x, offA + start, offA + i, offA + stop, shiftA, laneSumA, laneSquaresA, true);
            sB += chunkTotal(x, offB + start, offB + i, offB + stop, shiftB, laneSumB, laneSquaresB, false);
            qB += chunkTotal(x, offB + start, offB + i, offB + stop, shiftB, laneSumB, laneSquaresB, true);
        }
        acc[atA] += sA;
        acc[atA + 1] += qA;
        acc[atB] += sB;
        acc[atB + 1] += qB;
    }

    /**
     * One chunk x[start, stop) of {@link #addShifted}: Σ(x − shift) (or Σ(x − shift)² when {@code squares}) as the
     * lanes' total plus the values [tail, stop) the lanes left, in double; the whole chunk again in double when
     * either float total overflowed (or the input held NaN/Inf), so finite input never reads as Inf.
     */
    private static double chunkTotal(float[] x, int start, int tail, int stop, double shift, double laneSum, double laneSquares, boolean squares) {
        double cs = laneSum, cq = laneSquares;
        for (int i = tail; i < stop; i++) { double d = x[i] - shift; cs += d; cq += d * d; }
        if (!Double.isFinite(cs) || !Double.isFinite(cq)) {
            cs = 0;
            cq = 0;
            for (int j = start; j < stop; j++) { double d = x[j] - shift; cs += d; cq += d * d; }
        }
        return squares ? cq : cs;
    }

    /** acc[at] += Σ dy, acc[at + 1] += Σ dy·(x − mu) over [off, off + len). */
    static void addGradientSums(float[] dy, float[] x, int off, int len, double mu, double[] acc, int at) {
        float muF = (float) mu;
        double g = 0, h = 0;
        for (int start = off, end = off + len; start < end; start += CHUNK) {
            int stop = Math.min(end, start + CHUNK), i = start;
            FloatVector g0 = FloatVector.zero(F), g1 = FloatVector.zero(F), h0 = FloatVector.zero(F), h1 = FloatVector.zero(F);
            for (; i + 2 * F.length() <= stop; i += 2 * F.length()) {
                FloatVector a0 = FloatVector.fromArray(F, dy, i), a1 = FloatVector.fromArray(F, dy, i + F.length());
                g0 = g0.add(a0);
                g1 = g1.add(a1);
                h0 = a0.fma(FloatVector.fromArray(F, x, i).sub(muF), h0);
                h1 = a1.fma(FloatVector.fromArray(F, x, i + F.length()).sub(muF), h1);
            }
            double laneG = sumInOrder(g0.add(g1)), laneH = sumInOrder(h0.add(h1));
            g += gradientChunkTotal(dy, x, start, i, stop, mu, laneG, laneH, false);
            h += gradientChunkTotal(dy, x, start, i, stop, mu, laneG, laneH, true);
        }
        acc[at] += g;
        acc[at + 1] += h;
    }

    /**
     * {@link #addGradientSums} of two runs [offA, offA + len) and [offB, offB + len) of dy and x at once, each run's
     * additions exactly those of a call of its own (four streams in flight instead of two).
     */
    static void addGradientSumsPair(float[] dy, float[] x, int offA, int offB, int len, double muA, double muB, double[] acc, int atA, int atB) {
        float muAF = (float) muA, muBF = (float) muB;
        double gA = 0, hA = 0, gB = 0, hB = 0;
        for (int start = 0; start < len; start += CHUNK) {
            int stop = Math.min(len, start + CHUNK), i = start;
            FloatVector gA0 = FloatVector.zero(F), gA1 = FloatVector.zero(F), hA0 = FloatVector.zero(F), hA1 = FloatVector.zero(F);
            FloatVector gB0 = FloatVector.zero(F), gB1 = FloatVector.zero(F), hB0 = FloatVector.zero(F), hB1 = FloatVector.zero(F);
            for (; i + 2 * F.length() <= stop; i += 2 * F.length()) {
                FloatVector a0 = FloatVector.fromArray(F, dy, offA + i), a1 = FloatVector.fromArray(F, dy, offA + i + F.length());
                FloatVector b0 = FloatVector.fromArray(F, dy, offB + i), b1 = FloatVector.fromArray(F, dy, offB + i + F.length());
                gA0 = gA0.add(a0);
                gA1 = gA1.add(a1);
                hA0 = a0.fma(FloatVector.fromArray(F, x, offA + i).sub(muAF), hA0);
                hA1 = a1.fma(FloatVector.fromArray(F, x, offA + i + F.length()).sub(muAF), hA1);
                gB0 = gB0.add(b0);
                gB1 = gB1.add(b1);
                hB0 = b0.fma(FloatVector.fromArray(F, x, offB + i).sub(muBF), hB0);
                hB1 = b1.fma(FloatVector.fromArray(F, x, offB + i + F.length()).sub(muBF), hB1);
            }
            double laneGA = sumInOrder(gA0.add(gA1)), laneHA = sumInOrder(hA0.add(hA1));
            double laneGB = sumInOrder(gB0.add(gB1)), laneHB = sumInOrder(hB0.add(hB1));
            gA += gradientChunkTotal(dy, x, offA + start, offA + i, offA + stop, muA, laneGA, laneHA, false);
            hA += gradientChunkTotal(dy, x, offA + start, offA + i, offA + stop, muA, laneGA, laneHA, true);
            gB += gradientChunkTotal(dy, x, offB + start, offB + i, offB + stop, muB, laneGB, laneHB, false);
            hB += gradientChunkTotal(dy, x, offB + start, offB + i, offB + stop, muB, laneGB, laneHB, true);
        }
        acc[atA] += gA;
        acc[atA + 1] += hA;
        acc[atB] += gB;
        acc[atB + 1] += hB;
    }

    /**
     * One chunk [start, stop) of {@link #addGradientSums}: Σdy (or Σdy·(x − mu) when {@code h}) as the lanes' total
     * plus the values [tail, stop) the lanes left, in double; the whole chunk again in double when either float
     * total overflowed (or the input held NaN/Inf), as {@link #chunkTotal} does for the forward sums.
     */
    private static double gradientChunkTotal(float[] dy, float[] x, int start, int tail, int stop, double mu, double laneG, double laneH, boolean h) {
        double cg = laneG, ch = laneH;
        for (int i = tail; i < stop; i++) { double a = dy[i]; cg += a; ch += a * (x[i] - mu); }
        if (!Double.isFinite(cg) || !Double.isFinite(ch)) {
            cg = 0;
            ch = 0;
            for (int j = start; j < stop; j++) { double a = dy[j]; cg += a; ch += a * (x[j] - mu); }
        }
        return h ? ch : cg;
    }

    /**
     * The lanes added one by one, lane 0 first, in double. Not {@code reduceLanes(ADD)}: its order is unspecified
     * for floats and differs between the JIT's intrinsic and the interpreter, which would make results depend on
     * when a method got compiled.
     */
    private static double sumInOrder(FloatVector v) {
        double sum = 0;
        for (int lane = 0; lane < F.length(); lane++) sum += v.lane(lane);
        return sum;
    }

    // Elementwise maps: each lane computes exactly the float operations of the plain loop (no fused multiply-add),
    // so any vector width gives the same bits; these use the machine's preferred width.
    private static final VectorSpecies<Float> P = FloatVector.SPECIES_PREFERRED;

    /** y = a·x + b with the finiteness check riding along (x − x is 0 for finite x, NaN otherwise). */
    static boolean affineChecked(float[] x, float[] y, int off, int len, float a, float b) {
        FloatVector check = FloatVector.zero(P);
        int i = off, end = off + len;
        for (int bound = off + P.loopBound(len); i < bound; i += P.length()) {
            FloatVector v = FloatVector.fromArray(P, x, i);
            check = check.add(v.sub(v));
            v.mul(a).add(b).intoArray(y, i);
        }
        float rest = 0;
        for (; i < end; i++) {
            float v = x[i];
            rest += v - v;
            y[i] = a * v + b;
        }
        return check.reduceLanes(VectorOperators.ADD) + rest == 0f;  // exact zeros in any order; NaN survives any order
    }

    /** {@link Moments#affineColumns} with the finiteness check. */
    static boolean affineColumnsChecked(float[] x, float[] y, int rowOff, int from, int to, float[] a, float[] b) {
        FloatVector check = FloatVector.zero(P);
        int c = from;
        for (int bound = from + P.loopBound(to - from); c < bound; c += P.length()) {
            FloatVector v = FloatVector.fromArray(P, x, rowOff + c);
            check = check.add(v.sub(v));
            v.mul(FloatVector.fromArray(P, a, c)).add(FloatVector.fromArray(P, b, c)).intoArray(y, rowOff + c);
        }
        float rest = 0;
        for (; c < to; c++) {
            float v = x[rowOff + c];
            rest += v - v;
            y[rowOff + c] = a[c] * v + b[c];
        }
        return check.reduceLanes(VectorOperators.ADD) + rest == 0f;
    }

    /** {@link Moments#affineColumns}. */
    static void affineColumns(float[] x, float[] y, int rowOff, int from, int to, float[] a, float[] b) {
        int c = from;
        for (int bound = from + P.loopBound(to - from); c < bound; c += P.length()) {
            FloatVector.fromArray(P, x, rowOff + c).mul(FloatVector.fromArray(P, a, c)).add(FloatVector.fromArray(P, b, c)).intoArray(y, rowOff + c);
        }
        for (; c < to; c++) y[rowOff + c] = a[c] * x[rowOff + c] + b[c];
    }

    /** {@link Moments#inputGradientColumns}, in the plain loop's order of operations. */
    static void inputGradientColumns(float[] dy, float[] x, float[] dx, int rowOff, int from, int to, float[] k, float[] kx, float[] mu, float[] c0) {
        int c = from;
        for (int bound = from + P.loopBound(to - from); c < bound; c += P.length()) {
            FloatVector kDy = FloatVector.fromArray(P, dy, rowOff + c).mul(FloatVector.fromArray(P, k, c));
            FloatVector kxXmu = FloatVector.fromArray(P, x, rowOff + c).sub(FloatVector.fromArray(P, mu, c)).mul(FloatVector.fromArray(P, kx, c));
            kDy.sub(kxXmu).add(FloatVector.fromArray(P, c0, c)).intoArray(dx, rowOff + c);
        }
        for (; c < to; c++) dx[rowOff + c] = k[c] * dy[rowOff + c] - kx[c] * (x[rowOff + c] - mu[c]) + c0[c];
    }

    // Column sums in double: the machine's double vectors, fed by float vectors of the same lane count.
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FD = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

    private static DoubleVector widen(float[] a, int i) {
        return (DoubleVector) FloatVector.fromArray(FD, a, i).convertShape(VectorOperators.F2D, D, 0);
    }

    /**
     * Rows per tile of the column sums. A pair of column vectors takes a tile's rows with its sums in registers, then
     * the next pair the same rows: the tile's lines (one row apart, often 4 KB) are still in L1 when the next pair
     * reads their neighbouring bytes. Walking all the rows per pair instead missed the cache on every row, since no
     * prefetcher follows a stride of a whole page (docs/decisions/kernels.md).
     */
    private static final int ROW_TILE = 32;

    /**
     * {@link Moments#addColumnMoments}: per-lane double operations, the same as the plain loop's, each column's
     * rows in order; two vectors of columns at a time through a tile of rows.
     */
    static void addColumnMoments(float[] x, int rows, int stride, int from, int to, float[] shift, double[] sum, double[] squares) {
        int lanes = D.length(), paired = from + (to - from) / (2 * lanes) * (2 * lanes);
        for (int tile = 0; tile < rows; tile += ROW_TILE) {
            int tileEnd = Math.min(rows, tile + ROW_TILE);
            for (int c = from; c < paired; c += 2 * lanes) {
                DoubleVector shift0 = widen(shift, c), shift1 = widen(shift, c + lanes);
                DoubleVector s0 = DoubleVector.fromArray(D, sum, c), s1 = DoubleVector.fromArray(D, sum, c + lanes);
                DoubleVector q0 = DoubleVector.fromArray(D, squares, c), q1 = DoubleVector.fromArray(D, squares, c + lanes);
                for (int r = tile, off = tile * stride + c; r < tileEnd; r++, off += stride) {
                    DoubleVector d0 = widen(x, off).sub(shift0), d1 = widen(x, off + lanes).sub(shift1);
                    s0 = s0.add(d0);
                    s1 = s1.add(d1);
                    q0 = q0.add(d0.mul(d0));
                    q1 = q1.add(d1.mul(d1));
                }
                s0.intoArray(sum, c);
                s1.intoArray(sum, c + lanes);
                q0.intoArray(squares, c);
                q1.intoArray(squares, c + lanes);
            }
        }
        Moments.addColumnMomentsPlain(x, rows, stride, paired, to, shift, sum, squares);  // the columns left over
    }

    /** {@link Moments#addColumnGradientSums}, two vectors of columns at a time through a tile of rows. */
    static void addColumnGradientSums(float[] dy, float[] x, int rows, int stride, int from, int to, double[] mean, double[] sumDy, double[] sumDyXmu) {
        int lanes = D.length(), paired = from + (to - from) / (2 * lanes) * (2 * lanes);
        for (int tile = 0; tile < rows; tile += ROW_TILE) {
            int tileEnd = Math.min(rows, tile + ROW_TILE);
            for (int c = from; c < paired; c += 2 * lanes) {
                DoubleVector mean0 = DoubleVector.fromArray(D, mean, c), mean1 = DoubleVector.fromArray(D, mean, c + lanes);
                DoubleVector g0 = DoubleVector.fromArray(D, sumDy, c), g1 = DoubleVector.fromArray(D, sumDy, c + lanes);
                DoubleVector h0 = DoubleVector.fromArray(D, sumDyXmu, c), h1 = DoubleVector.fromArray(D, sumDyXmu, c + lanes);
                for (int r = tile, off = tile * stride + c; r < tileEnd; r++, off += stride) {
                    DoubleVector d0 = widen(dy, off), d1 = widen(dy, off + lanes);
                    g0 = g0.add(d0);
                    g1 = g1.add(d1);
                    h0 = h0.add(d0.mul(widen(x, off).sub(mean0)));
                    h1 = h1.add(d1.mul(widen(x, off + lanes).sub(mean1)));
                }
                g0.intoArray(sumDy, c);
                g1.intoArray(sumDy, c + lanes);
                h0.intoArray(sumDyXmu, c);
                h1.intoArray(sumDyXmu, c + lanes);
            }
        }
        Moments.addColumnGradientSumsPlain(dy, x, rows, stride, paired, to, mean, sumDy, sumDyXmu);
    }

    /** y = γ_i·(a·x + b) + β_i over x[off, off + len). */
    static void affineElementwise(float[] x, float[] y, int off, int len, float a, float b, float[] gamma, float[] beta) {
        int i = 0;
        for (int bound = P.loopBound(len); i < bound; i += P.length()) {
            FloatVector.fromArray(P, x, off + i).mul(a).add(b).mul(FloatVector.fromArray(P, gamma, i))
                    .add(FloatVector.fromArray(P, beta, i)).intoArray(y, off + i);
        }
        for (; i < len; i++) y[off + i] = gamma[i] * (a * x[off + i] + b) + beta[i];
    }

    /** out[off + i] = w[i]·x[off + i]. */
    static void multiplyElementwise(float[] w, float[] x, float[] out, int off, int len) {
        int i = 0;
        for (int bound = P.loopBound(len); i < bound; i += P.length()) {
            FloatVector.fromArray(P, w, i).mul(FloatVector.fromArray(P, x, off + i)).intoArray(out, off + i);
        }
        for (; i < len; i++) out[off + i] = w[i] * x[off + i];
    }

    /** pg[dGamma + i] += dy·((x − mu)·invStd), pg[dBeta + i] += dy. */
    static void addAffineGradientPartials(float[] dy, float[] x, int off, int len, float mu, float invStd, float[] pg, int dGamma, int dBeta) {
        int i = 0;
        for (int bound = P.loopBound(len); i < bound; i += P.length()) {
            FloatVector d = FloatVector.fromArray(P, dy, off + i);
            FloatVector xHat = FloatVector.fromArray(P, x, off + i).sub(mu).mul(invStd);
            FloatVector.fromArray(P, pg, dGamma + i).add(d.mul(xHat)).intoArray(pg, dGamma + i);
            FloatVector.fromArray(P, pg, dBeta + i).add(d).intoArray(pg, dBeta + i);
        }
        for (; i < len; i++) {
            float d = dy[off + i];
            pg[dGamma + i] += d * ((x[off + i] - mu) * invStd);
            pg[dBeta + i] += d;
        }
    }
}
