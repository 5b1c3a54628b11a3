package org.normlab.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.normlab.nn.Mode;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.testing.GradCheck;

class LayerNormTest {

    private static Tensor input(long seed, int... shape) {
        Tensor x = Tensor.randn(new Rng(seed), 2f, shape);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) d[i] += 0.5f;
        return x;
    }

    private static void randomAffine(LayerNorm ln, long seed) {
        Rng rng = new Rng(seed);
        float[] g = ln.gamma().value().data(), b = ln.beta().value().data();
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (0.5 + rng.nextDouble());
            b[i] = (float) rng.nextGaussian();
        }
    }

    @Test
    void eachSampleHasZeroMeanAndUnitBiasedVarianceOverTheNormalizedDims() {
        LayerNorm ln = new LayerNorm(3, 4);
        Tensor y = ln.forward(input(1, 5, 3, 4), Mode.TRAIN);
        for (int n = 0; n < 5; n++) {
            double mean = 0, sq = 0;
            for (int i = 0; i < 12; i++) mean += y.data()[n * 12 + i];
            mean /= 12;
            for (int i = 0; i < 12; i++) sq += Math.pow(y.data()[n * 12 + i] - mean, 2);
            assertEquals(0, mean, 1e-6);
            assertEquals(1, sq / 12, 1e-3);
        }
    }

    @Test
    void elementwiseAffineAppliesPerPosition() {
        LayerNorm ln = new LayerNorm(2);
        ln.gamma().value().data()[0] = 3f;
        ln.gamma().value().data()[1] = 5f;
        ln.beta().value().data()[1] = 7f;
        // One row (1, 3): mean 2, biased variance 1, x̂ = (−1, 1)/√(1 + ε).
        Tensor y = ln.forward(Tensor.of(new float[] {1, 3}, 1, 2), Mode.TRAIN);
        double s = Math.sqrt(1 + 1e-5);
        assertEquals(-3 / s, y.get(0, 0), 1e-6);
        assertEquals(5 / s + 7, y.get(0, 1), 1e-6);
    }

    @Test
    void trainAndEvalAreIdentical() {
        LayerNorm ln = new LayerNorm(6);
        randomAffine(ln, 2);
        Tensor x = input(3, 4, 6);
        assertArrayEquals(ln.forward(x, Mode.TRAIN).data(), ln.forward(x, Mode.EVAL).data(), 0f);
    }

    @Test
    void gradients2d() {
        LayerNorm ln = new LayerNorm(5);
        randomAffine(ln, 4);
        GradCheck.check(ln, input(5, 4, 5), Mode.TRAIN, 21);
    }

    @Test
    void gradients4dOverChannelsAndSpace() {
        LayerNorm ln = new LayerNorm(2, 3, 3);
        randomAffine(ln, 6);
        GradCheck.check(ln, input(7, 3, 2, 3, 3), Mode.TRAIN, 22);
    }

    @Test
    void gradients4dOverTheLastTwoDimsWithoutAffine() {
        LayerNorm ln = new LayerNorm(new int[] {3, 2}, 1e-5, false);
        assertTrue(ln.params().isEmpty());
        GradCheck.check(ln, input(8, 2, 3, 3, 2), Mode.TRAIN, 23);
    }

    @Test
    void wrongTrailingDimsNameLayerAndShapes() {
        LayerNorm ln = new LayerNorm(10);
        assertEquals("LayerNorm([10]): expected input [*, 10] (at least one leading dim), got [3, 4]",
                assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.zeros(3, 4), Mode.TRAIN)).getMessage());
        assertEquals("LayerNorm([10]): expected input [*, 10] (at least one leading dim), got [10]",
                assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.zeros(10), Mode.TRAIN)).getMessage());
        LayerNorm chw = new LayerNorm(4, 5, 5);
        assertEquals("LayerNorm([4, 5, 5]): expected input [*, 4, 5, 5] (at least one leading dim), got [2, 3, 5, 5]",
                assertThrows(IllegalArgumentException.class, () -> chw.forward(Tensor.zeros(2, 3, 5, 5), Mode.TRAIN)).getMessage());
    }

    @Test
    void nanOrInfInputIsRejected() {
        LayerNorm ln = new LayerNorm(10);
        Tensor x = Tensor.zeros(2, 10);
        x.data()[13] = Float.NaN;
        assertEquals("LayerNorm([10]): input contains NaN or Inf",
                assertThrows(IllegalArgumentException.class, () -> ln.forward(x, Mode.EVAL)).getMessage());
        x.data()[13] = Float.NEGATIVE_INFINITY;
        assertEquals("LayerNorm([10]): input contains NaN or Inf",
                assertThrows(IllegalArgumentException.class, () -> ln.forward(x, Mode.TRAIN)).getMessage());
    }

    @Test
    void backwardChecksItsGradient() {
        LayerNorm ln = new LayerNorm(4);
        assertEquals("LayerNorm([4]): backward called before forward",
                assertThrows(IllegalStateException.class, () -> ln.backward(Tensor.zeros(2, 4))).getMessage());
        ln.forward(input(9, 2, 4), Mode.TRAIN);
        assertEquals("LayerNorm([4]): expected gradient [2, 4], got [4, 2]",
                assertThrows(IllegalArgumentException.class, () -> ln.backward(Tensor.zeros(4, 2))).getMessage());
    }

    @Test
    void invalidHyperParametersAreRejected() {
        assertEquals("LayerNorm: normalizedShape must have at least one dim, got []",
                assertThrows(IllegalArgumentException.class, () -> new LayerNorm()).getMessage());
        assertEquals("LayerNorm: normalizedShape dims must be positive, got [3, 0]",
                assertThrows(IllegalArgumentException.class, () -> new LayerNorm(3, 0)).getMessage());
        assertEquals("LayerNorm([3]): eps must be positive and finite, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new LayerNorm(new int[] {3}, 0, true)).getMessage());
    }
}
