package org.normlab.kernels;

/**
 * Scratch memory a layer lends its kernels, grown on demand, so that temporary sums and per-channel coefficients
 * need not be allocated on every step. A kernel call takes each array it needs from its own slot (0 … 3); contents
 * mean nothing between kernel calls, and one kernel call uses the scratch at a time.
 */
public final class Scratch {
    private static final int SLOTS = 4;
    private final double[][] doubles = new double[SLOTS][0];
    private final float[][] floats = new float[SLOTS][0];

    /** At least {@code length} doubles (contents undefined): slot 0. */
    public double[] doubles(int length) { return doubles(0, length); }

    /** At least {@code length} floats (contents undefined): slot 0. */
    public float[] floats(int length) { return floats(0, length); }

    /** At least {@code length} doubles of slot {@code slot} (contents undefined). */
    public double[] doubles(int slot, int length) {
        if (doubles[slot].length < length) doubles[slot] = new double[length];
        return doubles[slot];
    }

    /** At least {@code length} floats of slot {@code slot} (contents undefined). */
    public float[] floats(int slot, int length) {
        if (floats[slot].length < length) floats[slot] = new float[length];
        return floats[slot];
    }
}
