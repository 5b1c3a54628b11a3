package org.normlab.kernels;

/**
 * A work matrix for each sample of a batch, such as a convolution's im2col matrices, which a batch's parts fill and
 * read on the kernel threads. Kept ({@link #perSample}): one array per sample, for a later pass that reads them again
 * (the layer's backward). Not kept ({@link #perPart}): one array per part, which the part's samples fill in turn, so a
 * batch of any size costs parts × length floats. Each sample's matrix holds the same values either way.
 */
public final class SampleMatrices {
    private final float[][] arrays;
    private final boolean perSample;

    private SampleMatrices(int count, int length, boolean perSample) {
        this.arrays = new float[count][length];
        this.perSample = perSample;
    }

    /** One array of {@code length} floats per sample, kept; {@code previous} itself when it has these sizes. */
    public static SampleMatrices perSample(SampleMatrices previous, int samples, int length) {
        boolean fits = previous != null && previous.perSample && previous.arrays.length == samples
                && (samples == 0 || previous.arrays[0].length == length);
        return fits ? previous : new SampleMatrices(samples, length, true);
    }

    /** One array of {@code length} floats per part, shared in turn by the samples of that part. */
    public static SampleMatrices perPart(int parts, int length) { return new SampleMatrices(parts, length, false); }

    /** The matrix of {@code sample}, filled and read by part {@code part} (contents: whatever was written last). */
    public float[] of(int part, int sample) { return arrays[perSample ? sample : part]; }

    /** The kept matrix of {@code sample}, as its forward left it. */
    public float[] kept(int sample) {
        if (!perSample) throw new IllegalStateException("SampleMatrices: per-part matrices are not kept per sample (asked for sample " + sample + ")");
        return arrays[sample];
    }
}
