package org.normlab.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.normlab.nn.Mode;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.testing.GradCheck;

class LocalResponseNormTest {

    private static Tensor input(long seed, int... shape) {
        Tensor x = Tensor.randn(new Rng(seed), 2f, shape);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) d[i] += 0.5f;
        return x;
    }

    @Test
    void windowIsPyTorchsZeroPaddedNeighbourhoodWithAlphaDividedBySize() {
        // size 2: window c−1 … c (⌊2/2⌋ = 1 before, ⌊1/2⌋ = 0 after), α/n = 0.5/2.
        LocalResponseNorm lrn = new LocalResponseNorm(2, 0.5, 0.75, 2);
        Tensor y = lrn.forward(Tensor.of(new float[] {1, 2, 3}, 1, 3), Mode.TRAIN);
        assertEquals(1 / Math.pow(2 + 0.25 * (1), 0.75), y.get(0, 0), 1e-6);
        assertEquals(2 / Math.pow(2 + 0.25 * (1 + 4), 0.75), y.get(0, 1), 1e-6);
        assertEquals(3 / Math.pow(2 + 0.25 * (4 + 9), 0.75), y.get(0, 2), 1e-6);
    }

    @Test
    void oddWindowIsSymmetricAndWorksPerPosition() {
        // size 3 on (1, 3, 2): window c−1 … c+1 at each of the 2 positions.
        LocalResponseNorm lrn = new LocalResponseNorm(3, 3.0, 1.0, 1);
        Tensor y = lrn.forward(Tensor.of(new float[] {1, 0, 2, 1, 0, 3}, 1, 3, 2), Mode.TRAIN);
        // position 0 holds channels (1, 2, 0); position 1 holds (0, 1, 3). α/n = 1.
        assertEquals(1 / (1 + 1.0 + 4), y.get(0, 0, 0), 1e-6);
        assertEquals(2 / (1 + 1.0 + 4 + 0), y.get(0, 1, 0), 1e-6);
        assertEquals(0, y.get(0, 2, 0), 0);
        assertEquals(1 / (1 + 0.0 + 1 + 9), y.get(0, 1, 1), 1e-6);
        assertEquals(3 / (1 + 1.0 + 9), y.get(0, 2, 1), 1e-6);
    }

    @Test
    void withoutAlphaItOnlyDividesByKToTheBeta() {
        LocalResponseNorm lrn = new LocalResponseNorm(5, 0, 0.75, 2);
        Tensor x = input(1, 2, 4, 3, 3);
        Tensor y = lrn.forward(x, Mode.TRAIN);
        float[] expected = x.data().clone();
        for (int i = 0; i < expected.length; i++) expected[i] = (float) (expected[i] / Math.pow(2, 0.75));
        assertArrayEquals(expected, y.data(), 1e-6f);
    }

    @Test
    void trainAndEvalAreIdentical() {
        LocalResponseNorm lrn = new LocalResponseNorm(5, 1e-2, 0.75, 2);
        Tensor x = input(2, 2, 6, 3, 3);
        assertArrayEquals(lrn.forward(x, Mode.TRAIN).data(), lrn.forward(x, Mode.EVAL).data(), 0f);
    }

    @Test
    void gradients4dOddAndEvenSize() {
        GradCheck.check(new LocalResponseNorm(5, 1.0, 0.75, 2), input(3, 2, 6, 3, 3), Mode.TRAIN, 51);
        GradCheck.check(new LocalResponseNorm(4, 2.0, 0.75, 1), input(4, 2, 6, 2, 2), Mode.TRAIN, 52);
    }

    @Test
    void gradients2dAndWithAlexNetHyperParameters() {
        GradCheck.check(new LocalResponseNorm(3, 0.5, 0.75, 1), input(5, 4, 5), Mode.TRAIN, 53);
        GradCheck.check(new LocalResponseNorm(5, 1e-4, 0.75, 2), input(6, 2, 6, 2, 2), Mode.TRAIN, 54);
    }

    @Test
    void badInputsNameLayerAndShape() {
        LocalResponseNorm lrn = new LocalResponseNorm(5, 1e-4, 0.75, 2);
        assertEquals("LocalResponseNorm(size=5, alpha=1.0E-4, beta=0.75, k=2.0): expected input [N,C,*], got [7]",
                assertThrows(IllegalArgumentException.class, () -> lrn.forward(Tensor.zeros(7), Mode.TRAIN)).getMessage());
        Tensor x = Tensor.zeros(1, 3, 2);
        x.data()[4] = Float.NaN;
        assertEquals("LocalResponseNorm(size=5, alpha=1.0E-4, beta=0.75, k=2.0): input contains NaN or Inf",
                assertThrows(IllegalArgumentException.class, () -> lrn.forward(x, Mode.TRAIN)).getMessage());
    }

    @Test
    void invalidHyperParametersAreRejected() {
        assertEquals("LocalResponseNorm(size=0, alpha=1.0E-4, beta=0.75, k=1.0): size must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> new LocalResponseNorm(0)).getMessage());
        assertEquals("LocalResponseNorm(size=5, alpha=-1.0, beta=0.75, k=2.0): alpha must be non-negative and finite, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> new LocalResponseNorm(5, -1, 0.75, 2)).getMessage());
        assertEquals("LocalResponseNorm(size=5, alpha=1.0E-4, beta=NaN, k=2.0): beta must be finite, got NaN",
                assertThrows(IllegalArgumentException.class, () -> new LocalResponseNorm(5, 1e-4, Double.NaN, 2)).getMessage());
        assertEquals("LocalResponseNorm(size=5, alpha=1.0E-4, beta=0.75, k=0.0): k must be positive and finite, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new LocalResponseNorm(5, 1e-4, 0.75, 0)).getMessage());
    }
}
