package org.normlab.nn;

import org.normlab.tensor.Tensor;

/** Shape rules shared by {@link MaxPool2d} and {@link AvgPool2d}. */
final class Pooling {
    private Pooling() {}

    static void checkInput(String layer, Tensor x, int kernel) {
        if (x.rank() != 4 || x.dim(2) < kernel || x.dim(3) < kernel) {
            throw new IllegalArgumentException(layer + ": expected input [N,C,H≥" + kernel + ",W≥" + kernel + "], got " + x.shapeString());
        }
    }

    /** (N, C, ⌊(H − k)/s⌋ + 1, ⌊(W − k)/s⌋ + 1). */
    static int[] outputShape(int[] inputShape, int kernel, int stride) {
        return new int[] {inputShape[0], inputShape[1], (inputShape[2] - kernel) / stride + 1, (inputShape[3] - kernel) / stride + 1};
    }
}
