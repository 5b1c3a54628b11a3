package org.normlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.normlab.model.Models;
import org.normlab.model.Placement;
import org.normlab.nn.loss.SoftmaxCrossEntropy;
import org.normlab.norm.Norm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.testing.GradCheck;

class LayerGradientTest {

    private static Linear linear(int in, int out, boolean bias, long seed) {
        Linear l = new Linear(in, out, bias);
        Init.he().apply(l, new Rng(seed));
        if (bias) {
            float[] b = l.bias().value().data();
            for (int i = 0; i < b.length; i++) b[i] = 0.1f * i;
        }
        return l;
    }

    @Test
    void linearGradients() {
        GradCheck.check(linear(5, 4, true, 1), Tensor.randn(new Rng(2), 1f, 3, 5), Mode.TRAIN, 3);
        GradCheck.check(linear(5, 4, false, 1), Tensor.randn(new Rng(2), 1f, 3, 5), Mode.TRAIN, 3);
    }

    @Test
    void linearComputesXWTransposedPlusB() {
        Linear l = new Linear(2, 3, true);
        System.arraycopy(new float[] {1, 2, 3, 4, 5, 6}, 0, l.weight().value().data(), 0, 6);
        System.arraycopy(new float[] {0.5f, -1, 0}, 0, l.bias().value().data(), 0, 3);
        Tensor y = l.forward(Tensor.of(new float[] {1, -1, 2, 0}, 2, 2), Mode.TRAIN);
        assertArrayEquals(new float[] {-0.5f, -2, -1, 2.5f, 5, 10}, y.data(), 1e-6f);
    }

    @Test
    void activationGradients() {
        Tensor x = Tensor.randn(new Rng(4), 1.5f, 4, 6);
        x.data()[0] = 0.3f;  // keep ReLU inputs away from the kink at 0, where the derivative jumps
        for (int i = 0; i < x.size(); i++) if (Math.abs(x.data()[i]) < 0.05f) x.data()[i] = 0.3f;
        for (Activation a : new Activation[] {Activation.relu(), Activation.sigmoid(), Activation.tanh()}) {
            GradCheck.check(a, x, Mode.TRAIN, 5);
        }
    }

    @Test
    void mlpWithBatchNormGradients() {
        for (Placement placement : Placement.values()) {
            Sequential mlp = Models.mlp(new int[] {6, 5, 4, 3}, Activation.Kind.TANH, Norm.BN, placement,
                    Init.xavier(), new Rng(6));
            GradCheck.check(mlp, Tensor.randn(new Rng(7), 1f, 8, 6), Mode.TRAIN, 8, 1e-2, 3e-2);
        }
    }

    @Test
    void softmaxCrossEntropyValueAndGradient() {
        Tensor logits = Tensor.of(new float[] {1, 2, 3, 0, 0, 0}, 2, 3);
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.evaluate(logits, new int[] {2, 0});
        double first = -Math.log(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)));
        assertEquals((first + Math.log(3)) / 2, r.loss(), 1e-6);
        assertEquals(2, r.correct(), "row 2 ties: the first maximum wins, as torch.argmax");
        // numeric gradient
        float[] z = logits.data();
        for (int i = 0; i < z.length; i++) {
            float o = z[i];
            z[i] = o + 1e-3f;
            double plus = SoftmaxCrossEntropy.evaluate(logits, new int[] {2, 0}).loss();
            z[i] = o - 1e-3f;
            double minus = SoftmaxCrossEntropy.evaluate(logits, new int[] {2, 0}).loss();
            z[i] = o;
            assertEquals((plus - minus) / 2e-3, r.gradLogits().data()[i], 1e-3);
        }
        // Large logits stay finite (max is subtracted before exp).
        assertEquals(0, SoftmaxCrossEntropy.evaluate(Tensor.of(new float[] {1000, 0}, 1, 2), new int[] {0}).loss(), 1e-9);
    }

    @Test
    void badShapesNameTheLayer() {
        Linear l = new Linear(784, 100, true);
        assertEquals("Linear(784→100): expected input [N,784], got [32, 1, 28, 28]",
                assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.zeros(32, 1, 28, 28), Mode.TRAIN)).getMessage());
        assertEquals("SoftmaxCrossEntropy: 2 rows of logits but 3 labels",
                assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.evaluate(Tensor.zeros(2, 10), new int[3])).getMessage());
        assertEquals("SoftmaxCrossEntropy: label 10 at row 1 is outside [0,10)",
                assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.evaluate(Tensor.zeros(2, 10), new int[] {0, 10})).getMessage());
        assertEquals("Linear(784→100): backward called before forward",
                assertThrows(IllegalStateException.class, () -> l.backward(Tensor.zeros(1, 100))).getMessage());
    }

    @Test
    void onlyBatchNormMakesTheBiasBeforeItRedundant() {
        int[] widths = {6, 5, 3};
        long none = Models.mlp(widths, Activation.Kind.RELU, Norm.NONE, Placement.BEFORE, Init.he(), new Rng(1)).parameterCount();
        long bn = Models.mlp(widths, Activation.Kind.RELU, Norm.BN, Placement.BEFORE, Init.he(), new Rng(1)).parameterCount();
        long ln = Models.mlp(widths, Activation.Kind.RELU, Norm.LN, Placement.BEFORE, Init.he(), new Rng(1)).parameterCount();
        assertEquals(6 * 5 + 5 + 5 * 3 + 3, none);
        assertEquals(none - 5 + 2 * 5, bn, "BN drops the hidden bias and adds γ, β");
        assertEquals(none + 2 * 5, ln, "LN keeps the bias: it is not cancelled by normalizing over features");
    }
}
