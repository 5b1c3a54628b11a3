package org.normlab.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.openblas.global.openblas;
import smile.math.blas.BLAS;
import smile.math.blas.Layout;
import smile.math.blas.Transpose;

/**
 * General matrix product on row-major {@code float[]}: {@code C = alpha·op(A)·op(B) + beta·C}.
 *
 * <p>Uses Smile's BLAS (OpenBLAS through JavaCPP) when its native library loads, and a plain Java loop
 * otherwise, so NormLab still runs where no native build exists. {@link #backend()} tells which one is active.
 * OpenBLAS is pinned to one thread; parallelism comes from running several training runs at once.
 */
public final class Gemm {
    private static final BLAS NATIVE = loadNative();

    private Gemm() {}

    private static BLAS loadNative() {
        if (Boolean.getBoolean("normlab.pureJava") || "1".equals(System.getenv("NORMLAB_PURE_JAVA"))) return null;
        try {
            BLAS engine = BLAS.engine;
            // One BLAS thread: sweeps run whole training runs in parallel instead (no oversubscription), and a
            // run's numbers then never depend on how many threads BLAS happened to use.
            openblas.blas_set_num_threads(1);
            return engine;
        } catch (Throwable nativeMissing) {  // UnsatisfiedLinkError, ExceptionInInitializerError, NoClassDefFoundError
            return null;
        }
    }

    /** "OpenBLAS (Smile)" or "pure Java". */
    public static String backend() { return NATIVE != null ? "OpenBLAS (Smile)" : "pure Java"; }

    /**
     * Row-major GEMM. {@code a} is m×k (or k×m when {@code transA}), {@code b} is k×n (or n×k when {@code transB}),
     * {@code c} is m×n.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float alpha, float[] a, float[] b, float beta, float[] c) {
        gemm(transA, transB, m, n, k, alpha, a, 0, b, 0, beta, c, 0);
    }

    /**
     * The same on matrices stored contiguously from an offset: A at {@code a[aOffset…]}, B at {@code b[bOffset…]},
     * C at {@code c[cOffset…]} (e.g. one sample's slice of a batch), so a caller need not copy them out first.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset,
                            float[] b, int bOffset, float beta, float[] c, int cOffset) {
        if (m == 0 || n == 0) return;
        int lda = transA ? m : k, ldb = transB ? k : n;
        if (NATIVE != null) {
            Staging staged = STAGING.get();
            FloatBuffer nativeA = staged.a(a, aOffset, m * k), nativeB = staged.b(b, bOffset, k * n);
            FloatBuffer nativeC = staged.c(c, cOffset, m * n, beta != 0f);
            NATIVE.gemm(Layout.ROW_MAJOR, transA ? Transpose.TRANSPOSE : Transpose.NO_TRANSPOSE,
                    transB ? Transpose.TRANSPOSE : Transpose.NO_TRANSPOSE, m, n, k, alpha, nativeA, lda, nativeB, ldb, beta, nativeC, n);
            nativeC.get(0, c, cOffset, m * n);
        } else {
            javaGemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset);
        }
    }

    /**
     * Each thread's native copies of the operands. Why: Smile's {@code float[]} GEMM goes through JavaCPP's array
     * binding, which allocates native memory for all three arrays and copies each in and back out on every call
     * (about 4–7 µs per call at LeNet's per-sample sizes, where the product itself takes 1.5–5 µs). Direct buffers
     * kept per thread cost one copy of A and B in, C in only when β ≠ 0, and C out. OpenBLAS computes the same
     * product on the same values either way, so the results are the same bits.
     */
    private static final ThreadLocal<Staging> STAGING = ThreadLocal.withInitial(Staging::new);

    private static final class Staging {
        private FloatBuffer a = allocate(0), b = allocate(0), c = allocate(0);

        FloatBuffer a(float[] values, int from, int count) { return a = fill(a, values, from, count, true); }
        FloatBuffer b(float[] values, int from, int count) { return b = fill(b, values, from, count, true); }
        FloatBuffer c(float[] values, int from, int count, boolean read) { return c = fill(c, values, from, count, read); }

        private static FloatBuffer fill(FloatBuffer buffer, float[] values, int from, int count, boolean copy) {
            if (buffer.capacity() < count) buffer = allocate(Math.max(count, buffer.capacity() * 2));
            if (copy) buffer.put(0, values, from, count);
            return buffer;
        }

        private static FloatBuffer allocate(int floats) {
            return ByteBuffer.allocateDirect(4 * Math.max(floats, 1024)).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
    }

    /** The reference loop: i-p-j order so the inner loop runs along rows of B and C (vectorizable). */
    static void javaGemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                         float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset) {
        if (beta != 1f) {
            for (int i = cOffset; i < cOffset + m * n; i++) c[i] = beta == 0f ? 0f : c[i] * beta;
        }
        float[] bRow = transB ? new float[n] : null;
        for (int i = 0; i < m; i++) {
            int cOff = cOffset + i * n;
            for (int p = 0; p < k; p++) {
                float aip = alpha * (transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p]);
                if (!transB) {
                    int bOff = bOffset + p * ldb;
                    for (int j = 0; j < n; j++) c[cOff + j] += aip * b[bOff + j];
                } else {
                    for (int j = 0; j < n; j++) bRow[j] = b[bOffset + j * ldb + p];
                    for (int j = 0; j < n; j++) c[cOff + j] += aip * bRow[j];
                }
            }
        }
    }
}
