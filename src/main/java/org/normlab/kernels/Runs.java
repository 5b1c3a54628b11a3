package org.normlab.kernels;

/**
 * Copies and adds along short contiguous runs of a {@code float[]}: the segments an im2col copies (one output row of
 * one kernel offset, often 8–24 floats) and its adjoint adds back. At those lengths a call to
 * {@code System.arraycopy} or a scalar loop costs more than moving the floats; the Vector API path moves whole vectors.
 * Each element is copied, or gets its one addition, exactly as the scalar loop does it, so the bits are the same.
 */
public final class Runs {
    private Runs() {}

    /** dst[to + i] = src[from + i] for i in [0, length). */
    public static void copy(float[] src, int from, float[] dst, int to, int length) {
        int i = VectorApi.enabled() ? VectorRuns.copy(src, from, dst, to, length) : 0;
        for (; i < length; i++) dst[to + i] = src[from + i];
    }

    /** dst[to + i] = dst[to + i] + src[from + i] for i in [0, length). */
    public static void add(float[] src, int from, float[] dst, int to, int length) {
        int i = VectorApi.enabled() ? VectorRuns.add(src, from, dst, to, length) : 0;
        for (; i < length; i++) dst[to + i] += src[from + i];
    }
}
