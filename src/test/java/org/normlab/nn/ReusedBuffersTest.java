package org.normlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * Linear, MaxPool2d and DepthwiseConv2d keep their output and input-gradient tensors across calls of one shape; a
 * second step must then give exactly a fresh layer's values (nothing of the first step left in the buffers: the
 * layers that add into them must clear them first).
 */
class ReusedBuffersTest {
    private static Layer initialized(Layer layer) {
        Init.he().apply(layer, new Rng(7));
        return layer;
    }

    private static void check(String name, Supplier<Layer> make, int... shape) {
        Layer layer = make.get(), fresh = make.get();
        Tensor y1 = layer.forward(Tensor.randn(new Rng(60), 2f, shape), Mode.TRAIN);
        Tensor dx1 = layer.backward(Tensor.randn(new Rng(61), 1f, y1.shape()));
        Tensor x = Tensor.randn(new Rng(62), 2f, shape);
        Tensor y2 = layer.forward(x, Mode.TRAIN);
        Tensor dy = Tensor.randn(new Rng(63), 1f, y2.shape());
        Tensor dx2 = layer.backward(dy);
        assertSame(y1, y2, name + ": output buffer reused");
        assertSame(dx1, dx2, name + ": gradient buffer reused");
        assertArrayEquals(fresh.forward(x, Mode.TRAIN).data(), y2.data(), 0f, name + ": output");
        assertArrayEquals(fresh.backward(dy).data(), dx2.data(), 0f, name + ": input gradient");
    }

    @Test
    void secondStepEqualsAFreshLayers() {
        check("Linear", () -> initialized(new Linear(6, 4, true)), 5, 6);
        check("Linear without bias", () -> initialized(new Linear(6, 4, false)), 5, 6);
        check("MaxPool2d overlapping", () -> new MaxPool2d(3, 2), 2, 3, 9, 9);
        check("DepthwiseConv2d", () -> initialized(new DepthwiseConv2d(3, 3, 1, 1, true)), 2, 3, 7, 6);
        check("DepthwiseConv2d without bias", () -> initialized(new DepthwiseConv2d(3, 3, 2, 1, false)), 2, 3, 7, 6);
    }
}
