package org.normlab.nn;

import java.util.Arrays;
import org.normlab.tensor.Tensor;

/**
 * What {@link AvgPool2d} and {@link MaxPool2d} share besides their math: a square, unpadded {@link Window} (k × k,
 * stride s), the input and gradient checks and the description. The one-argument constructors take the stride equal
 * to the kernel, PyTorch's default: non-overlapping windows.
 */
abstract sealed class Pooling implements Layer permits AvgPool2d, MaxPool2d {
    private final String name;
    final Window window;
    /** The input shape of the last TRAIN forward (backward needs it); an EVAL forward keeps none. */
    final Saved<int[]> inputShape = new Saved<>();

    Pooling(String name, int kernel, int stride) {
        this.name = name;
        this.window = Window.pooling(name, kernel, stride);
    }

    public int kernel() { return window.kernelH(); }
    public int stride() { return window.stride(); }

    /** Checks that x is (N, C, H, W) with the window inside the image; returns the output shape (N, C, Ho, Wo). */
    int[] checkInput(Tensor x) {
        if (x.rank() != 4 || x.dim(2) < kernel() || x.dim(3) < kernel()) {
            throw new IllegalArgumentException(describe() + ": expected input [N,C,H≥" + kernel() + ",W≥" + kernel() + "], got "
                    + x.shapeString());
        }
        return window.outputShape(x.shape());
    }

    /** A TRAIN forward ran, and dy has the shape of its output; returns that forward's input shape. */
    int[] checkGradient(Tensor dy) {
        int[] shape = inputShape.get(this), expected = window.outputShape(shape);
        if (!Arrays.equals(dy.shape(), expected)) {
            throw new IllegalArgumentException(describe() + ": expected gradient " + Arrays.toString(expected) + ", got " + dy.shapeString());
        }
        return shape;
    }

    @Override
    public String describe() { return name + "(" + window.describe(kernel()) + ")"; }
}
