package org.normlab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.nn.Sequential;
import org.normlab.nn.loss.SoftmaxCrossEntropy;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/** Shared checks for the builders' tests. */
final class ModelChecks {
    private ModelChecks() {}

    /** One cross-entropy training step on random images: finite loss, and a finite, non-zero gradient for every parameter. */
    static void everyParameterLearns(Sequential model, Tensor x, int classes, String run) {
        Rng data = new Rng(99);
        int[] labels = new int[x.dim(0)];
        for (int i = 0; i < labels.length; i++) labels[i] = data.nextInt(classes);
        for (Param p : model.params()) p.zeroGrad();
        SoftmaxCrossEntropy.Result result = SoftmaxCrossEntropy.evaluate(model.forward(x, Mode.TRAIN), labels);
        Tensor dx = model.backward(result.gradLogits());
        assertTrue(Double.isFinite(result.loss()), run + " loss");
        assertArrayEquals(x.shape(), dx.shape(), run + " input gradient shape");
        assertTrue(dx.isFinite(), run + " input gradient");
        int index = 0;
        for (Param p : model.params()) {
            assertTrue(p.grad().isFinite(), run + ": parameter " + index + " (" + p.name() + ") has a non-finite gradient");
            double norm2 = 0;
            for (float g : p.grad().data()) norm2 += g * g;
            assertTrue(norm2 > 0, run + ": parameter " + index + " (" + p.name() + ") got no gradient");
            index++;
        }
    }
}
