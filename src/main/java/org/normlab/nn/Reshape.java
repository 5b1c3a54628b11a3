package org.normlab.nn;

import java.util.Arrays;
import org.normlab.tensor.Tensor;

/**
 * (N, …) → (N, s₁, s₂, …) with the same values in the same order; backward restores the input shape. Shares
 * storage, copies nothing. E.g. {@code new Reshape(28, 28)} turns (N, 1, 28, 28) images into 28-step sequences of
 * 28-pixel rows.
 */
public final class Reshape implements Layer {
    private final int[] sampleShape;
    private final int sampleSize;
    private final Saved<int[]> savedShape = new Saved<>();  // the last TRAIN forward's input shape

    public Reshape(int... sampleShape) {
        int size = 1;
        for (int d : sampleShape) {
            if (d <= 0) throw new IllegalArgumentException("Reshape: dimensions must be positive, got " + Arrays.toString(sampleShape));
            size *= d;
        }
        this.sampleShape = sampleShape.clone();
        this.sampleSize = size;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.rank() < 1 || x.sampleSize() != sampleSize) {
            throw new IllegalArgumentException(describe() + ": expected input [N,…] with " + sampleSize + " values per sample, got "
                    + x.shapeString());
        }
        int[] shape = new int[sampleShape.length + 1];
        shape[0] = x.dim(0);
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        savedShape.keep(mode, x.shape());
        return x.reshape(shape);
    }

    @Override
    public Tensor backward(Tensor dy) {
        int[] inputShape = savedShape.get(this);
        if (dy.rank() != sampleShape.length + 1 || dy.dim(0) != inputShape[0] || dy.sampleSize() != sampleSize) {
            throw new IllegalArgumentException(describe() + ": expected gradient with " + inputShape[0] + " samples of " + sampleSize
                    + " values, got " + dy.shapeString());
        }
        return dy.reshape(inputShape);
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("Reshape(→[N");
        for (int d : sampleShape) sb.append(',').append(d);
        return sb.append("])").toString();
    }
}
