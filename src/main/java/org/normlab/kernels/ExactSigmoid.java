package org.normlab.kernels;

/**
 * The logistic function on float arrays, each result exactly {@code (float) (1 / (1 + Math.exp(−x)))}, and SiLU's
 * x·σ(x) exactly {@code (float) (x * (1 / (1 + Math.exp(−x))))}, whichever path computes it.
 *
 * <pre>
 * σ(x) = 1 / (1 + e^(−x))           silu(x) = x·σ(x)            (in double, rounded once to float)
 * </pre>
 *
 * <p>Why two paths: {@code Math.exp} runs one value at a time, while the Vector API's EXP ({@link VectorSigmoid})
 * does a vector of them at once (4 or 8 doubles), an order of magnitude faster (docs/decisions/kernels.md). The two
 * exps may differ in the last bit of the double, but both are within 1 ulp of e^(−x) (the Vector API's lane
 * operations keep {@code Math}'s accuracy guarantees), so the vector σ is within about 2⁻⁴⁹ (relative) of the
 * scalar one. The vector path keeps its float
 * only when the whole interval σ·(1 ± 2⁻⁴⁰) rounds to that one float: then the scalar σ, inside the interval,
 * rounds to it too. Otherwise (about one value in 30 000, and any NaN) those lanes are redone by the scalar
 * formula. So the bits never depend on the path, and results computed before the vector path existed stay valid.
 */
public final class ExactSigmoid {
    private ExactSigmoid() {}

    /** σ(x) in double: the reference every path rounds to float. */
    public static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    /** out[i] = σ(in[i]) rounded to float, for i in [from, to). */
    public static void sigmoid(float[] in, float[] out, int from, int to) {
        int i = VectorApi.enabled() ? VectorSigmoid.sigmoid(in, out, from, to) : from;
        sigmoidPlain(in, out, i, to);
    }

    /** out[i] = in[i]·σ(in[i]) rounded to float (SiLU), for i in [from, to). */
    public static void silu(float[] in, float[] out, int from, int to) {
        int i = VectorApi.enabled() ? VectorSigmoid.silu(in, out, from, to) : from;
        siluPlain(in, out, i, to);
    }

    static void sigmoidPlain(float[] in, float[] out, int from, int to) {
        for (int i = from; i < to; i++) out[i] = (float) sigmoid(in[i]);
    }

    static void siluPlain(float[] in, float[] out, int from, int to) {
        for (int i = from; i < to; i++) out[i] = (float) (in[i] * sigmoid(in[i]));
    }
}
