package org.normlab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.normlab.nn.Init;
import org.normlab.nn.Mode;
import org.normlab.nn.Sequential;
import org.normlab.norm.Norm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

class MbConvNetTest {

    @Test
    void layout() {
        assertEquals("Conv2d(1→16, 3×3, stride 2, padding 1, no bias) → BatchNorm(C=16) → SiLU → "
                + "MBConv(16→16, expand 1, 3×3, SE 4, BN, residual) → MBConv(16→24, expand 4, 3×3, stride 2, SE 4, BN) → "
                + "MBConv(24→24, expand 4, 3×3, SE 6, BN, residual) → GlobalAvgPool2d → Linear(24→10)",
                MbConvNet.build(Norm.BN, Init.he(), new Rng(1)).describe());
        assertEquals("Conv2d(1→16, 3×3, stride 2, padding 1) → SiLU → MBConv(16→16, expand 1, 3×3, SE 4, residual) → "
                + "MBConv(16→24, expand 4, 3×3, stride 2, SE 4) → MBConv(24→24, expand 4, 3×3, SE 6, residual) → GlobalAvgPool2d → "
                + "Linear(24→10)", MbConvNet.build(Norm.NONE, Init.he(), new Rng(1)).describe());
    }

    @Test
    void imagesGiveTenLogitsPerImage() {
        Tensor x = Tensor.randn(new Rng(2), 1f, 3, 1, 28, 28);
        for (Norm norm : new Norm[] {Norm.NONE, Norm.BN}) {
            Sequential model = MbConvNet.build(norm, Init.he(), new Rng(3));
            assertArrayEquals(new int[] {3, 10}, model.forward(x, Mode.TRAIN).shape(), norm + " TRAIN");
            assertArrayEquals(new int[] {3, 10}, model.forward(x, Mode.EVAL).shape(), norm + " EVAL");
        }
    }

    @Test
    void trainingStepReachesEveryParameter() {
        Tensor x = Tensor.randn(new Rng(4), 1f, 4, 1, 28, 28);
        for (Norm norm : new Norm[] {Norm.NONE, Norm.BN}) {
            ModelChecks.everyParameterLearns(MbConvNet.build(norm, Init.he(), new Rng(5)), x, 10, "MbConvNet " + norm);
        }
    }
}
