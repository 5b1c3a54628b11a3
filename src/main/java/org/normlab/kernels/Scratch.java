package org.normlab.kernels;

/**
 * Scratch memory a layer lends its kernels, grown on demand, so that large temporary sums need not be allocated
 * on every step. Its contents mean nothing between kernel calls; one kernel call uses it at a time.
 */
public final class Scratch {
    private double[] doubles = new double[0];
    private float[] floats = new float[0];

    /** At least {@code length} doubles (contents undefined). */
    public double[] doubles(int length) {
        if (doubles.length < length) doubles = new double[length];
        return doubles;
    }

    /** At least {@code length} floats (contents undefined). */
    public float[] floats(int length) {
        if (floats.length < length) floats = new float[length];
        return floats;
    }
}
