package org.normlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.normlab.norm.BatchNorm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.testing.GradCheck;

class ResidualTest {

    @Test
    void gradientsOfABlockWithAndWithoutBatchNorm() {
        Residual plain = new Residual(new Sequential(new Linear(5, 5, true), Activation.tanh(), new Linear(5, 5, true)));
        Init.xavier().apply(plain, new Rng(41));
        GradCheck.check(plain, Tensor.randn(new Rng(42), 1f, 3, 5), Mode.TRAIN, 43);

        Residual withNorm = new Residual(new Sequential(new Linear(4, 4, false), new BatchNorm(4), Activation.silu(), new Linear(4, 4, true)));
        Init.he().apply(withNorm, new Rng(44));
        GradCheck.check(withNorm, Tensor.randn(new Rng(45), 1f, 6, 4), Mode.TRAIN, 46, 1e-2, 3e-2);
    }

    @Test
    void addsTheIdentityToTheInnerLayerInBothDirections() {
        Linear f = new Linear(2, 2, true);
        System.arraycopy(new float[] {1, 2, 3, 4}, 0, f.weight().value().data(), 0, 4);  // W = [[1, 2], [3, 4]], b = 0
        Residual residual = new Residual(f);
        // f(x) = x·Wᵀ = [1+2, 3+4] = [3, 7] for x = [1, 1];  y = x + f(x) = [4, 8]
        assertArrayEquals(new float[] {4, 8}, residual.forward(Tensor.of(new float[] {1, 1}, 1, 2), Mode.TRAIN).data());
        // dy = [1, 0]:  dx = dy + dy·W = [1, 0] + [1, 2] = [2, 2];  dW = dyᵀ·x = [[1, 1], [0, 0]];  db = dy = [1, 0]
        assertArrayEquals(new float[] {2, 2}, residual.backward(Tensor.of(new float[] {1, 0}, 1, 2)).data());
        assertArrayEquals(new float[] {1, 1, 0, 0}, f.weight().grad().data());
        assertArrayEquals(new float[] {1, 0}, f.bias().grad().data());
        assertEquals(f.params(), residual.params());
        assertEquals("Residual(Linear(2→2))", residual.describe());
    }

    @Test
    void initFillsTheLayersInsideAResidual() {
        Linear inner = new Linear(3, 3, true);
        Init.he().apply(new Sequential(new Residual(inner)), new Rng(47));
        boolean anyNonZero = false;
        for (float w : inner.weight().value().data()) anyNonZero |= w != 0;
        assertTrue(anyNonZero, "weights inside the residual were drawn");
    }

    @Test
    void errorsNameTheResidualAndBothShapes() {
        Residual narrowing = new Residual(new Linear(4, 3, true));
        assertEquals("Residual(Linear(4→3)): the inner layer maps [2, 4] to [2, 3]; a residual connection needs the same shape",
                assertThrows(IllegalArgumentException.class, () -> narrowing.forward(Tensor.zeros(2, 4), Mode.TRAIN)).getMessage());
        Residual square = new Residual(new Linear(3, 3, true));
        assertEquals("Residual(Linear(3→3)): backward called before forward",
                assertThrows(IllegalStateException.class, () -> square.backward(Tensor.zeros(2, 3))).getMessage());
        square.forward(Tensor.zeros(2, 3), Mode.TRAIN);
        assertEquals("Residual(Linear(3→3)): expected gradient [2, 3], got [3, 3]",
                assertThrows(IllegalArgumentException.class, () -> square.backward(Tensor.zeros(3, 3))).getMessage());
        assertEquals("Residual: inner layer must not be null",
                assertThrows(IllegalArgumentException.class, () -> new Residual(null)).getMessage());
    }
}
