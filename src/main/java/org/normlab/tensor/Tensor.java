package org.normlab.tensor;

import java.util.Arrays;

/**
 * A dense float32 array with a shape, stored row-major (NCHW for images).
 *
 * <p>Deliberately small: layers work on {@link #data()} directly, so the hot loops stay visible in the layer
 * that owns the math. A tensor's storage is mutable (optimizers update parameters in place); its shape is not.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] data;

    private Tensor(int[] shape, float[] data) {
        this.shape = shape;
        this.data = data;
    }

    /** A zero tensor of the given shape. */
    public static Tensor zeros(int... shape) {
        return new Tensor(shape.clone(), new float[checkedSize(shape)]);
    }

    /**
     * {@code buffer} itself when it has this shape, else a new zero tensor of it: how a layer keeps its output or
     * input gradient across steps, with no allocation while the shape repeats. A reused buffer holds the last call's
     * values, not zeros.
     */
    public static Tensor reuse(Tensor buffer, int... shape) {
        return buffer != null && Arrays.equals(buffer.shape, shape) ? buffer : zeros(shape);
    }

    /** A tensor filled with {@code value}. */
    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /** Wraps {@code data} (not copied) with the given shape. */
    public static Tensor of(float[] data, int... shape) {
        int size = checkedSize(shape);
        if (data.length != size) {
            throw new IllegalArgumentException("Tensor: shape " + Arrays.toString(shape) + " holds " + size
                    + " values, data has " + data.length);
        }
        return new Tensor(shape.clone(), data);
    }

    /** Independent N(0, std²) entries drawn from {@code rng}; {@code std} must be finite and ≥ 0. */
    public static Tensor randn(Rng rng, float std, int... shape) {
        if (!(std >= 0) || !Float.isFinite(std)) throw new IllegalArgumentException("Tensor.randn: std must be finite and ≥ 0, got " + std);
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) t.data[i] = (float) (rng.nextGaussian() * std);
        return t;
    }

    private static final int MAX_SIZE = Integer.MAX_VALUE - 8;  // the largest array every JVM allocates

    private static int checkedSize(int[] shape) {
        boolean empty = false;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("Tensor: negative dimension in " + Arrays.toString(shape));
            empty |= d == 0;
        }
        if (empty) return 0;
        long size = 1;
        for (int d : shape) {
            size *= d;  // at most MAX_SIZE · (2³¹ − 1) < 2⁶³: cannot overflow before the check below stops it
            if (size > MAX_SIZE) {
                throw new IllegalArgumentException("Tensor: " + Arrays.toString(shape) + " has more than " + MAX_SIZE
                        + " values, more than a Java array holds");
            }
        }
        return (int) size;
    }

    public int[] shape() { return shape.clone(); }
    public int rank() { return shape.length; }
    public int dim(int axis) { return shape[axis < 0 ? shape.length + axis : axis]; }
    public int size() { return data.length; }
    /** The backing array: writes go straight into this tensor. */
    public float[] data() { return data; }

    public float get(int... index) { return data[offset(index)]; }
    public void set(float value, int... index) { data[offset(index)] = value; }

    private int offset(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("Tensor" + Arrays.toString(shape) + ": index " + Arrays.toString(index) + " has the wrong rank");
        }
        int off = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("Tensor" + Arrays.toString(shape) + ": index " + Arrays.toString(index));
            }
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /** The same values viewed with another shape of equal size (shares storage). */
    public Tensor reshape(int... newShape) {
        if (checkedSize(newShape) != data.length) {
            throw new IllegalArgumentException("Tensor: cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
        }
        return new Tensor(newShape.clone(), data);
    }

    public Tensor copy() { return new Tensor(shape.clone(), data.clone()); }

    /** Size of one sample: the product of all dimensions after the first. */
    public int sampleSize() { return shape.length == 0 ? 1 : data.length / Math.max(1, shape[0]); }

    /** True when every value is finite. */
    public boolean isFinite() {
        for (float v : data) if (!Float.isFinite(v)) return false;
        return true;
    }

    public boolean sameShape(Tensor other) { return Arrays.equals(shape, other.shape); }

    public String shapeString() { return Arrays.toString(shape); }

    @Override
    public String toString() {
        int shown = Math.min(data.length, 8);
        StringBuilder sb = new StringBuilder("Tensor").append(Arrays.toString(shape)).append(" [");
        for (int i = 0; i < shown; i++) sb.append(i == 0 ? "" : ", ").append(data[i]);
        return sb.append(data.length > shown ? ", …]" : "]").toString();
    }
}
