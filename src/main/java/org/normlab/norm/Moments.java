package org.normlab.norm;

/**
 * The one statistics kernel behind BatchNorm, LayerNorm, GroupNorm and InstanceNorm: each of them normalizes
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
 * double accumulators in plain loops.
 */
public final class Moments {
    private Moments() {}

    /**
     * Whether the reductions run on the Vector API ({@link VectorMoments}): the JVM must resolve
     * jdk.incubator.vector ({@code --add-modules jdk.incubator.vector}); {@code -Dnormlab.vector=false} turns it off.
     */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("normlab.vector"));

    /** "Vector API" or "plain loops": what {@code make bench} reports. */
    public static String backend() { return VECTOR ? "Vector API" : "plain loops"; }

    /** acc[at] += Σ (x − shift), acc[at + 1] += Σ (x − shift)² over x[off, off + len). */
    static void addShifted(float[] x, int off, int len, double shift, double[] acc, int at) {
        if (VECTOR && len >= 64) {
            VectorMoments.addShifted(x, off, len, shift, acc, at);
            return;
        }
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
        int i = off, end = off + len;
        for (; i + 3 < end; i += 4) {
            double d0 = x[i] - shift, d1 = x[i + 1] - shift, d2 = x[i + 2] - shift, d3 = x[i + 3] - shift;
            s0 += d0; s1 += d1; s2 += d2; s3 += d3;
            q0 += d0 * d0; q1 += d1 * d1; q2 += d2 * d2; q3 += d3 * d3;
        }
        for (; i < end; i++) { double d = x[i] - shift; s0 += d; q0 += d * d; }
        acc[at] += (s0 + s1) + (s2 + s3);
        acc[at + 1] += (q0 + q1) + (q2 + q3);
    }

    /** μ from the shifted sum S of m values. */
    static double mean(double shift, double shiftedSum, long m) { return shift + shiftedSum / m; }

    /** Biased σ² from the shifted sums S, Q of m values (never negative). */
    static double variance(double shiftedSum, double shiftedSquares, long m) {
        return Math.max(0, (shiftedSquares - shiftedSum * shiftedSum / m) / m);
    }

    /** acc[at] += Σ dy, acc[at + 1] += Σ dy·(x − mu) over [off, off + len). */
    static void addGradientSums(float[] dy, float[] x, int off, int len, double mu, double[] acc, int at) {
        if (VECTOR && len >= 64) {
            VectorMoments.addGradientSums(dy, x, off, len, mu, acc, at);
            return;
        }
        double g0 = 0, g1 = 0, h0 = 0, h1 = 0;
        int i = off, end = off + len;
        for (; i + 1 < end; i += 2) {
            double a = dy[i], b = dy[i + 1];
            g0 += a; g1 += b;
            h0 += a * (x[i] - mu); h1 += b * (x[i + 1] - mu);
        }
        if (i < end) { double a = dy[i]; g0 += a; h0 += a * (x[i] - mu); }
        acc[at] += g0 + g1;
        acc[at + 1] += h0 + h1;
    }

    /** True when x[off, off + len) holds no NaN or Inf. */
    static boolean allFinite(float[] x, int off, int len) {
        if (VECTOR && len >= 64) return VectorMoments.allFinite(x, off, len);
        for (int i = off, end = off + len; i < end; i++) if (!Float.isFinite(x[i])) return false;
        return true;
    }

    /** y = a·x + b over [off, off + len). */
    static void affine(float[] x, float[] y, int off, int len, float a, float b) {
        for (int i = off, end = off + len; i < end; i++) y[i] = a * x[i] + b;
    }

    /** dx = k·dy − kx·(x − mu) + c0 over [off, off + len) (c0 = −k·mean(dy) for BatchNorm). */
    static void inputGradient(float[] dy, float[] x, float[] dx, int off, int len, float k, float kx, float mu, float c0) {
        for (int i = off, end = off + len; i < end; i++) dx[i] = k * dy[i] - kx * (x[i] - mu) + c0;
    }

    /** dx = k·dy over [off, off + len) (statistics that do not depend on x: running statistics). */
    static void scale(float[] dy, float[] dx, int off, int len, float k) {
        for (int i = off, end = off + len; i < end; i++) dx[i] = k * dy[i];
    }

    /** The layer's own buffer when its shape still fits, else a new one: no allocation in steady state. */
    static org.normlab.tensor.Tensor reuse(org.normlab.tensor.Tensor buffer, org.normlab.tensor.Tensor like) {
        return buffer != null && buffer.sameShape(like) ? buffer : org.normlab.tensor.Tensor.zeros(like.shape());
    }

    /** A scratch array of at least {@code length}, reused when it is long enough. */
    static double[] scratch(double[] current, int length) {
        return current != null && current.length >= length ? current : new double[length];
    }
}
