package org.normlab.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.normlab.nn.Mode;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/** BN without γ, β (PyTorch's affine=False) is what BN with γ = 1, β = 0 frozen computes, so one arm stands for both. */
class BatchNormWithoutAffineTest {
    @Test
    void withoutAffineEqualsGammaOneBetaZeroFrozenInOutputAndInputGradient() {
        for (int[] shape : new int[][] {{16, 5}, {4, 3, 6, 6}}) {
            BatchNorm plain = new BatchNorm(shape[1], 1e-5, 0.1, false, true), frozen = new BatchNorm(shape[1]);
            for (int step = 0; step < 3; step++) {  // γ, β of `frozen` are never updated: they stay 1 and 0
                Tensor x = Tensor.randn(new Rng(step), 2f, shape), dy = Tensor.randn(new Rng(50 + step), 1f, shape);
                assertArrayEquals(frozen.forward(x, Mode.TRAIN).data(), plain.forward(x, Mode.TRAIN).data(), 1e-6f);
                assertArrayEquals(frozen.backward(dy).data(), plain.backward(dy).data(), 1e-6f);
            }
            Tensor x = Tensor.randn(new Rng(9), 2f, shape);
            assertArrayEquals(frozen.forward(x, Mode.EVAL).data(), plain.forward(x, Mode.EVAL).data(), 1e-6f);
            assertArrayEquals(frozen.runningVar().data(), plain.runningVar().data(), 0f);
            assertEquals(0, plain.params().size());
        }
    }

    @Test
    void theNormOptionsBuildBnWithoutAffineAndRejectItElsewhere() {
        NormOptions off = new NormOptions(1, 0.1, null, false);
        BatchNorm bn = (BatchNorm) Norm.BN.create(8, off);
        assertNull(bn.gamma());
        assertEquals(0, bn.params().size());
        assertEquals(2, Norm.BN.create(8, NormOptions.DEFAULT).params().size());
        assertNull(Norm.NONE.create(8, off));
        IllegalArgumentException gn = assertThrows(IllegalArgumentException.class, () -> Norm.GN(2).create(8, off));
        assertTrue(gn.getMessage().contains("supported for BN only, got GN(2)"), gn.getMessage());
        IllegalArgumentException g0 = assertThrows(IllegalArgumentException.class, () -> new NormOptions(0.1, 0.1, null, false));
        assertTrue(g0.getMessage().contains("expected 1, got 0.1"), g0.getMessage());
    }
}
