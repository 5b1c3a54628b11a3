package org.normlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.normlab.model.Models;
import org.normlab.model.Placement;
import org.normlab.nn.loss.SoftmaxCrossEntropy;
import org.normlab.norm.Norm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

class LeNetTest {

    @Test
    void layoutFollowsD2lLeNetWithBatchNorm() {
        Sequential bn = Models.lenet(Norm.BN, Activation.Kind.SIGMOID, Init.xavier(), new Rng(1));
        assertEquals("Conv2d(1→6, 5×5, no bias) → BatchNorm(C=6) → Sigmoid → AvgPool2d(2×2) → "
                + "Conv2d(6→16, 5×5, no bias) → BatchNorm(C=16) → Sigmoid → AvgPool2d(2×2) → Flatten → "
                + "Linear(256→120, no bias) → BatchNorm(C=120) → Sigmoid → Linear(120→84, no bias) → BatchNorm(C=84) → Sigmoid → "
                + "Linear(84→10)", bn.describe());
        // conv weights + BN γ,β + linear weights + the last layer's bias
        assertEquals(6 * 1 * 25 + 2 * 6 + 16 * 6 * 25 + 2 * 16 + 120 * 256 + 2 * 120 + 84 * 120 + 2 * 84 + 10 * 84 + 10, bn.parameterCount());

        Sequential plain = Models.lenet(Norm.NONE, Activation.Kind.RELU, Init.he(), new Rng(1));
        assertEquals("Conv2d(1→6, 5×5) → ReLU → AvgPool2d(2×2) → Conv2d(6→16, 5×5) → ReLU → AvgPool2d(2×2) → Flatten → "
                + "Linear(256→120) → ReLU → Linear(120→84) → ReLU → Linear(84→10)", plain.describe());
        assertEquals((6 * 25 + 6) + (16 * 6 * 25 + 16) + (120 * 256 + 120) + (84 * 120 + 84) + (10 * 84 + 10), plain.parameterCount());
    }

    @Test
    void placementAfterPutsTheNormBetweenActivationAndPoolAndKeepsBiases() {
        Sequential after = Models.lenet(Norm.BN, Placement.AFTER, Activation.Kind.RELU, Init.he(), new Rng(1));
        assertEquals("Conv2d(1→6, 5×5) → ReLU → BatchNorm(C=6) → AvgPool2d(2×2) → "
                + "Conv2d(6→16, 5×5) → ReLU → BatchNorm(C=16) → AvgPool2d(2×2) → Flatten → "
                + "Linear(256→120) → ReLU → BatchNorm(C=120) → Linear(120→84) → ReLU → BatchNorm(C=84) → "
                + "Linear(84→10)", after.describe());
        assertEquals(Models.lenet(Norm.BN, Activation.Kind.RELU, Init.he(), new Rng(1)).describe(),
                Models.lenet(Norm.BN, Placement.BEFORE, Activation.Kind.RELU, Init.he(), new Rng(1)).describe());
    }

    @Test
    void instanceNormSitsAfterTheConvolutionsOnly() {
        Sequential in = Models.lenet(Norm.IN, Activation.Kind.RELU, Init.he(), new Rng(1));
        assertEquals("Conv2d(1→6, 5×5) → InstanceNorm(C=6) → ReLU → AvgPool2d(2×2) → "
                + "Conv2d(6→16, 5×5) → InstanceNorm(C=16) → ReLU → AvgPool2d(2×2) → Flatten → "
                + "Linear(256→120) → ReLU → Linear(120→84) → ReLU → Linear(84→10)", in.describe());
        Tensor x = Tensor.randn(new Rng(3), 1f, 2, 1, 28, 28);
        assertArrayEquals(new int[] {2, 10}, in.forward(x, Mode.TRAIN).shape());
    }

    @Test
    void localResponseNormFollowsTheConvActivationsOnlyAsInAlexNet() {
        Sequential lrn = Models.lenet(Norm.LRN, Activation.Kind.RELU, Init.he(), new Rng(1));
        assertEquals("Conv2d(1→6, 5×5) → ReLU → LocalResponseNorm(size=5, alpha=5.0E-4, beta=0.75, k=2.0) → AvgPool2d(2×2) → "
                + "Conv2d(6→16, 5×5) → ReLU → LocalResponseNorm(size=5, alpha=5.0E-4, beta=0.75, k=2.0) → AvgPool2d(2×2) → Flatten → "
                + "Linear(256→120) → ReLU → Linear(120→84) → ReLU → Linear(84→10)", lrn.describe());
        assertEquals(Models.lenet(Norm.NONE, Activation.Kind.RELU, Init.he(), new Rng(1)).parameterCount(), lrn.parameterCount(),
                "LRN has no parameters and the convs keep their biases");
    }

    @Test
    void outputIsNBy10() {
        for (Norm norm : new Norm[] {Norm.BN, Norm.NONE}) {
            Sequential model = Models.lenet(norm, Activation.Kind.SIGMOID, Init.xavier(), new Rng(2));
            Tensor x = Tensor.randn(new Rng(3), 1f, 5, 1, 28, 28);
            assertArrayEquals(new int[] {5, 10}, model.forward(x, Mode.TRAIN).shape(), norm + " TRAIN");
            assertArrayEquals(new int[] {5, 10}, model.forward(x, Mode.EVAL).shape(), norm + " EVAL");
        }
    }

    @Test
    void initFillsEveryConvAndLinear() {
        Sequential model = Models.lenet(Norm.BN, Activation.Kind.RELU, Init.he(), new Rng(4));
        for (Layer layer : model.layers()) {
            Param weight = layer instanceof Conv2d conv ? conv.weight() : layer instanceof Linear linear ? linear.weight() : null;
            if (weight == null) continue;
            boolean anyNonZero = false;
            for (float w : weight.value().data()) anyNonZero |= w != 0;
            assertTrue(anyNonZero, layer.describe() + " weights were not initialized");
        }
        assertNull(((Conv2d) model.layers().get(0)).bias(), "a conv followed by BatchNorm has no bias");
    }

    @Test
    void trainingStepGivesFiniteNonZeroGradientsForEveryParameter() {
        for (Activation.Kind activation : Activation.Kind.values()) {
            for (Norm norm : new Norm[] {Norm.BN, Norm.NONE}) {
                Sequential model = Models.lenet(norm, activation, activation == Activation.Kind.RELU ? Init.he() : Init.xavier(), new Rng(5));
                Rng data = new Rng(6);
                Tensor x = Tensor.randn(data, 1f, 16, 1, 28, 28);
                int[] labels = new int[16];
                for (int i = 0; i < labels.length; i++) labels[i] = data.nextInt(10);
                for (Param p : model.params()) p.zeroGrad();
                SoftmaxCrossEntropy.Result result = SoftmaxCrossEntropy.evaluate(model.forward(x, Mode.TRAIN), labels);
                Tensor dx = model.backward(result.gradLogits());
                String run = "LeNet " + norm + " " + activation;
                assertTrue(Double.isFinite(result.loss()), run + " loss");
                assertArrayEquals(x.shape(), dx.shape(), run + " input gradient shape");
                assertTrue(dx.isFinite(), run + " input gradient");
                for (Layer layer : model.layers()) {
                    for (Param p : layer.params()) {
                        assertTrue(p.grad().isFinite(), run + ": " + layer.describe() + " " + p.name() + " has a non-finite gradient");
                        double norm2 = 0;
                        for (float g : p.grad().data()) norm2 += g * g;
                        assertTrue(norm2 > 0, run + ": " + layer.describe() + " " + p.name() + " got no gradient");
                    }
                }
            }
        }
    }
}
