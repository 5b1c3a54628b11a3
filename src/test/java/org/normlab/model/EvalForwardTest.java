package org.normlab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.normlab.kernels.Parallelism;
import org.normlab.nn.Activation;
import org.normlab.nn.AvgPool2d;
import org.normlab.nn.Conv2d;
import org.normlab.nn.DepthwiseConv2d;
import org.normlab.nn.Init;
import org.normlab.nn.Layer;
import org.normlab.nn.Linear;
import org.normlab.nn.MaxPool2d;
import org.normlab.nn.Mode;
import org.normlab.nn.Sequential;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.GroupNorm;
import org.normlab.norm.InstanceNorm;
import org.normlab.norm.LayerNorm;
import org.normlab.norm.Norm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * An EVAL forward keeps nothing for backward (docs/decisions/kernel-memory.md): a backward after it fails in one
 * line naming the layer, the next TRAIN step works as before, EVAL computes the same bits as before (Conv2d's one
 * im2col matrix per part instead of one per sample), and it reuses a tensor of its own, apart from the training buffers.
 */
class EvalForwardTest {

    @Test
    void backwardAfterAnEvalForwardNamesTheLayerAndTrainingResumes() {
        Sequential model = MbConvNet.build(Norm.BN, Init.he(), new Rng(1));
        Tensor x = Tensor.randn(new Rng(2), 1f, 4, 1, 28, 28);
        Tensor dy = Tensor.randn(new Rng(3), 1f, 4, 10);
        model.forward(x, Mode.TRAIN);
        model.backward(dy);
        model.forward(x, Mode.EVAL);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.backward(dy));
        assertEquals("Linear(24→10): backward after an EVAL forward, which saves nothing for backward (run the forward in TRAIN)", e.getMessage());
        assertThrows(IllegalStateException.class, () -> model.backwardToParameters(dy), "the parameter-only backward too");
        for (Layer layer : Layer.all(model, Conv2d.class)) assertThrows(IllegalStateException.class, () -> layer.backward(Tensor.zeros(1)));
        model.forward(x, Mode.TRAIN);
        assertArrayEquals(new int[] {4, 1, 28, 28}, model.backward(dy).shape(), "a TRAIN forward makes backward possible again");
    }

    /** Without BN the net computes the same in TRAIN and EVAL, so EVAL's per-part im2col matrices must give TRAIN's bits. */
    @Test
    void evalGivesTheBitsOfTrainWithOneColumnMatrixPerPart() {
        for (int threads : new int[] {1, 2}) {
            Parallelism.setThreadsForCurrentThread(threads);
            try {
                Sequential model = MbConvNet.build(Norm.NONE, Init.he(), new Rng(4));
                Tensor x = Tensor.randn(new Rng(5), 1f, 7, 1, 28, 28);
                float[] train = model.forward(x, Mode.TRAIN).data().clone();
                assertArrayEquals(train, model.forward(x, Mode.EVAL).data(), threads + " thread(s)");
            } finally {
                Parallelism.clearThreadsForCurrentThread();
            }
        }
    }

    /**
     * Every layer that reuses its output: TRAIN, then EVAL, EVAL (another input), TRAIN. The EVAL tensor is apart from
     * TRAIN's, reused by the next EVAL, and holds exactly a fresh layer's values (nothing of the first EVAL left in it);
     * the TRAIN tensor is reused by the next TRAIN step.
     */
    @Test
    void evalReusesItsOwnTensorAndLeavesTheTrainingBuffersAlone() {
        Supplier<Layer> conv = () -> initialized(new Conv2d(2, 3, 3, true)), depthwise = () -> initialized(new DepthwiseConv2d(2, 3, 1, 1, true)),
                linear = () -> initialized(new Linear(72, 5, true));
        check(conv, 3, 2, 6, 6);
        check(depthwise, 3, 2, 6, 6);
        check(linear, 3, 72);
        check(() -> new BatchNorm(2), 3, 2, 6, 6);
        check(() -> new LayerNorm(2, 6, 6), 3, 2, 6, 6);
        check(() -> new GroupNorm(2, 2), 3, 2, 6, 6);
        check(() -> new InstanceNorm(2), 3, 2, 6, 6);
        check(() -> new InstanceNorm(2, 1e-5, 0.1, true, true), 3, 2, 6, 6);
        check(() -> new MaxPool2d(2, 2), 3, 2, 6, 6);
        check(() -> new AvgPool2d(2), 3, 2, 6, 6);
        check(Activation::sigmoid, 3, 2, 6, 6);
        check(Activation::relu, 3, 72);
    }

    private static Layer initialized(Layer layer) {
        Init.he().apply(layer, new Rng(7));
        return layer;
    }

    private static void check(Supplier<Layer> make, int... shape) {
        Layer layer = make.get(), fresh = make.get();
        Tensor x = Tensor.randn(new Rng(6), 1f, shape), other = Tensor.randn(new Rng(8), 2f, shape);
        Tensor train = layer.forward(x, Mode.TRAIN);
        fresh.forward(x, Mode.TRAIN);  // the same running statistics as the layer's
        Tensor eval = layer.forward(x, Mode.EVAL);
        assertNotSame(train, eval, layer.describe() + ": EVAL's tensor is apart from TRAIN's");
        assertSame(eval, layer.forward(other, Mode.EVAL), layer.describe() + ": the next EVAL reuses it");
        assertArrayEquals(fresh.forward(other, Mode.EVAL).data(), eval.data(), 0f, layer.describe() + ": the second EVAL's values");
        assertSame(train, layer.forward(x, Mode.TRAIN), layer.describe() + ": the next TRAIN forward reuses its buffer");
    }
}
