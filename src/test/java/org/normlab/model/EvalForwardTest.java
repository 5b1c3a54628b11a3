package org.normlab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.normlab.kernels.Parallelism;
import org.normlab.nn.Conv2d;
import org.normlab.nn.Init;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Sequential;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.Norm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * An EVAL forward keeps nothing for backward (docs/decisions/kernel-memory.md): a backward after it fails in one
 * line naming the layer, the next TRAIN step works as before, EVAL computes the same bits as before (Conv2d's one
 * im2col matrix per part instead of one per sample), and it leaves the training buffers alone.
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

    @Test
    void evalLeavesTheTrainingBuffersAlone() {
        Tensor x = Tensor.randn(new Rng(6), 1f, 3, 2, 6, 6);
        Conv2d conv = new Conv2d(2, 3, 3, true);
        Init.he().apply(conv, new Rng(7));
        BatchNorm bn = new BatchNorm(2);
        for (Layer layer : new Layer[] {conv, bn}) {
            Tensor train = layer.forward(x, Mode.TRAIN);
            assertNotSame(train, layer.forward(x, Mode.EVAL), layer.describe() + ": EVAL returns a fresh tensor");
            assertSame(train, layer.forward(x, Mode.TRAIN), layer.describe() + ": the next TRAIN forward reuses its buffer");
        }
    }
}
