package org.normlab.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.normlab.tensor.Rng;
import java.util.Arrays;

class GemmTest {
    private static final boolean[] BOTH = {false, true};
    /** (m, n, k): tiny, odd and non-square, and LeNet conv2's per-sample product (16 × 64, K = 150). */
    private static final int[][] SIZES = {{1, 1, 1}, {7, 5, 3}, {33, 17, 29}, {16, 64, 150}};

    private static float[] random(Rng rng, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }

    /** The exact product (to double precision) and how far a correct float32 GEMM may be from it, entry by entry. */
    private record Expected(double[] value, double[] errorBound) {}

    /**
     * C = alpha·op(A)·op(B) + beta·C in double, straight from the definition, and for each entry the float32 error
     * bound of any summation order: (k + 2)·u·(|alpha|·Σ_p |a_ip·b_pj| + |beta·c_ij|), u = 2⁻²⁴ (Higham, Thm. 3.5
     * with γ_n ≤ 1.01·n·u, rounded up).
     */
    private static Expected reference(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c) {
        double[] value = new double[m * n], bound = new double[m * n];
        double u = Math.ulp(1f) / 2;
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            double sum = 0, absSum = 0;
            for (int p = 0; p < k; p++) {
                double product = (double) (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
                sum += product;
                absSum += Math.abs(product);
            }
            value[i * n + j] = alpha * sum + beta * c[i * n + j];
            bound[i * n + j] = 1.01 * (k + 2) * u * (Math.abs(alpha) * absSum + Math.abs(beta * c[i * n + j]));
        }
        return new Expected(value, bound);
    }

    private static void assertWithin(double[] expected, double[] bound, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], bound[i], what + " at " + i);
    }

    private static void javaGemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c) {
        Gemm.javaGemm(transA, transB, m, n, k, alpha, a, 0, transA ? m : k, b, 0, transB ? k : n, beta, c, 0);
    }

    @Test
    void pureJavaGemmMatchesTheDefinitionForAllTransposes() {
        Rng rng = new Rng(1);
        for (int[] size : SIZES) for (boolean transA : BOTH) for (boolean transB : BOTH) for (float beta : new float[] {0f, 1f, 0.3f}) {
            int m = size[0], n = size[1], k = size[2];
            float[] a = random(rng, m * k), b = random(rng, k * n), c = random(rng, m * n);
            Expected expected = reference(transA, transB, m, n, k, 0.7f, a, b, beta, c);
            javaGemm(transA, transB, m, n, k, 0.7f, a, b, beta, c);
            assertWithin(expected.value(), expected.errorBound(), c, "javaGemm(transA=" + transA + ", transB=" + transB + ", " + m + "×" + n + "×" + k + ", beta=" + beta + ")");
        }
    }

    @Test
    void betaZeroIgnoresNaNInC() {
        // BLAS semantics: with beta = 0, C is overwritten, not scaled (NaN·0 would be NaN).
        float[] c = {Float.NaN};
        javaGemm(false, false, 1, 1, 1, 1f, new float[] {2}, new float[] {3}, 0f, c);
        assertEquals(6f, c[0]);
    }

    @Test
    void nativeGemmKeepsNoStateBetweenCalls() {
        // The native path stages operands in per-thread buffers: a NaN left there by one product (a diverged run)
        // must not reach the next one, whose beta = 0 means C's old contents are ignored, nor may a larger earlier
        // product's values.
        assumeTrue(!Gemm.backend().equals("pure Java"), "OpenBLAS did not load here; only the pure-Java path exists");
        float[] big = new float[64 * 64];
        Arrays.fill(big, Float.NaN);
        Gemm.gemm(false, false, 64, 64, 64, 1f, big, big, 0f, new float[64 * 64]);
        for (int[] size : SIZES) {
            int m = size[0], n = size[1], k = size[2];
            Rng rng = new Rng(m);
            float[] a = random(rng, m * k), b = random(rng, k * n), c = new float[m * n];
            Arrays.fill(c, Float.NaN);
            float[] expected = new float[m * n];
            javaGemm(false, false, m, n, k, 1f, a, b, 0f, expected);
            Gemm.gemm(false, false, m, n, k, 1f, a, b, 0f, c);
            for (int i = 0; i < c.length; i++) assertEquals(expected[i], c[i], 1e-4f * (1 + Math.abs(expected[i])), m + "×" + n + "×" + k + " at " + i);
        }
    }

    @Test
    void nativeGemmMatchesPureJavaForAllTransposes() {
        assumeTrue(!Gemm.backend().equals("pure Java"), "OpenBLAS did not load here; only the pure-Java path exists");
        Rng rng = new Rng(2);
        for (int[] size : SIZES) for (boolean transA : BOTH) for (boolean transB : BOTH) for (float beta : new float[] {0f, 1f, 0.3f}) {
            int m = size[0], n = size[1], k = size[2];
            float[] a = random(rng, m * k), b = random(rng, k * n), c = random(rng, m * n);
            Expected expected = reference(transA, transB, m, n, k, 0.7f, a, b, beta, c);
            float[] viaJava = c.clone(), viaNative = c.clone();
            javaGemm(transA, transB, m, n, k, 0.7f, a, b, beta, viaJava);
            Gemm.gemm(transA, transB, m, n, k, 0.7f, a, b, beta, viaNative);
            // Each is within the bound of the exact result, so they differ by at most twice the bound.
            double[] twiceBound = expected.errorBound().clone();
            for (int i = 0; i < twiceBound.length; i++) twiceBound[i] *= 2;
            double[] javaResult = new double[viaJava.length];
            for (int i = 0; i < viaJava.length; i++) javaResult[i] = viaJava[i];
            assertWithin(javaResult, twiceBound, viaNative, Gemm.backend() + " vs java (transA=" + transA + ", transB=" + transB + ", "
                    + m + "×" + n + "×" + k + ", beta=" + beta + ")");
            assertWithin(expected.value(), expected.errorBound(), viaNative, Gemm.backend() + " vs definition");
        }
    }

    @Test
    void offsetOperandsGiveTheBitsOfTheSameMatricesCopiedOut() {
        // Conv2d hands Gemm one sample's slice of a batch; the product must be the one of that slice on its own,
        // and the rest of C must stay as it was.
        Rng rng = new Rng(3);
        for (int[] size : SIZES) for (boolean transA : BOTH) for (boolean transB : BOTH) for (float beta : new float[] {0f, 1f}) {
            int m = size[0], n = size[1], k = size[2], aAt = 5, bAt = 11, cAt = 7;
            float[] a = random(rng, aAt + m * k + 3), b = random(rng, bAt + k * n + 2), c = random(rng, cAt + m * n + 4);
            float[] alone = Arrays.copyOfRange(c, cAt, cAt + m * n), sliced = c.clone();
            Gemm.gemm(transA, transB, m, n, k, 0.7f, Arrays.copyOfRange(a, aAt, aAt + m * k), Arrays.copyOfRange(b, bAt, bAt + k * n), beta, alone);
            Gemm.gemm(transA, transB, m, n, k, 0.7f, a, aAt, b, bAt, beta, sliced, cAt);
            String what = m + "×" + n + "×" + k + " transA=" + transA + " transB=" + transB + " beta=" + beta;
            for (int i = 0; i < m * n; i++) {
                assertEquals(Float.floatToRawIntBits(alone[i]), Float.floatToRawIntBits(sliced[cAt + i]), what + " at " + i);
            }
            for (int i = 0; i < cAt; i++) assertEquals(c[i], sliced[i], what + ": C before the slice changed at " + i);
            for (int i = cAt + m * n; i < c.length; i++) assertEquals(c[i], sliced[i], what + ": C after the slice changed at " + i);
        }
    }
}
