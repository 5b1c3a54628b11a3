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
import org.normlab.testing.GradCheck;
import org.normlab.testing.LayerProperties;

class InstanceNormTest {

    private static Tensor input(long seed, int... shape) {
        Tensor x = Tensor.randn(new Rng(seed), 2f, shape);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) d[i] += 0.5f;
        return x;
    }

    private static InstanceNorm affineTracking(int channels, long seed) {
        InstanceNorm in = new InstanceNorm(channels, 1e-5, 0.1, true, true);
        Rng rng = new Rng(seed);
        for (int c = 0; c < channels; c++) {
            in.gamma().value().data()[c] = (float) (0.5 + rng.nextDouble());
            in.beta().value().data()[c] = (float) rng.nextGaussian();
        }
        return in;
    }

    @Test
    void defaultsAreThoseOfPyTorchInstanceNorm2d() {
        InstanceNorm in = new InstanceNorm(3);
        assertTrue(in.params().isEmpty());
        assertNull(in.runningMean());
        assertEquals(0.1, in.momentum());
        Tensor x = input(1, 2, 3, 4, 4);
        assertArrayEquals(in.forward(x, Mode.TRAIN).data(), in.forward(x, Mode.EVAL).data(), 0f);
    }

    @Test
    void eachChannelOfEachSampleIsStandardizedOverSpace() {
        Tensor y = new InstanceNorm(3).forward(input(2, 2, 3, 4, 4), Mode.TRAIN);
        for (int n = 0; n < 2; n++) for (int c = 0; c < 3; c++) {
            double mean = 0, sq = 0;
            for (int h = 0; h < 4; h++) for (int w = 0; w < 4; w++) mean += y.get(n, c, h, w);
            mean /= 16;
            for (int h = 0; h < 4; h++) for (int w = 0; w < 4; w++) sq += Math.pow(y.get(n, c, h, w) - mean, 2);
            assertEquals(0, mean, 1e-6);
            assertEquals(1, sq / 16, 1e-3);
        }
    }

    @Test
    void runningStatisticsAverageTheInstanceStatisticsOverTheBatch() {
        InstanceNorm in = new InstanceNorm(1, 1e-5, 0.1, false, true);
        // sample 0: 1, 3 -> mean 2, unbiased var 2;  sample 1: 0, 4 -> mean 2, unbiased var 8
        in.forward(Tensor.of(new float[] {1, 3, 0, 4}, 2, 1, 2), Mode.TRAIN);
        assertEquals(0.9 * 0 + 0.1 * 2, in.runningMean().get(0), 1e-6);
        assertEquals(0.9 * 1 + 0.1 * (2 + 8) / 2.0, in.runningVar().get(0), 1e-6);
    }

    @Test
    void evalWithRunningStatisticsIsOneAffineMapPerChannel() {
        InstanceNorm in = affineTracking(2, 3);
        for (int i = 0; i < 4; i++) in.forward(input(10 + i, 3, 2, 3, 3), Mode.TRAIN);
        float[] rm = in.runningMean().data().clone(), rv = in.runningVar().data().clone();
        Tensor x = input(20, 2, 2, 3, 3);
        Tensor y = in.forward(x, Mode.EVAL);
        for (int n = 0; n < 2; n++) for (int c = 0; c < 2; c++) for (int h = 0; h < 3; h++) for (int w = 0; w < 3; w++) {
            double expected = in.gamma().value().get(c) * (x.get(n, c, h, w) - rm[c]) / Math.sqrt(rv[c] + 1e-5) + in.beta().value().get(c);
            assertEquals(expected, y.get(n, c, h, w), 1e-5);
        }
        assertArrayEquals(rm, in.runningMean().data(), "EVAL must not touch the running statistics");
        // Running statistics need no spatial extent: a 1×1 input is fine in EVAL.
        assertEquals(1, in.forward(Tensor.zeros(1, 2, 1, 1), Mode.EVAL).dim(0));
    }

    @Test
    void gradients3dAnd4dInTraining() {
        GradCheck.check(affineTracking(3, 4), input(5, 2, 3, 5), Mode.TRAIN, 41);
        GradCheck.check(affineTracking(2, 6), input(7, 2, 2, 3, 3), Mode.TRAIN, 42);
    }

    @Test
    void backwardAfterEvalIsRefused() {
        InstanceNorm in = affineTracking(2, 8);
        in.forward(input(9, 4, 2, 3, 3), Mode.TRAIN);
        in.forward(input(10, 2, 2, 3, 3), Mode.EVAL);
        LayerProperties.assertBackwardRefusedAfterEval(in, input(12, 2, 2, 3, 3));
    }

    @Test
    void evalWithDefaultsUsesInstanceStatistics() {
        InstanceNorm in = new InstanceNorm(3);
        Tensor x = input(11, 2, 3, 2, 3);
        float[] train = in.forward(x, Mode.TRAIN).data().clone();
        assertArrayEquals(train, in.forward(x, Mode.EVAL).data(), 0f);
        GradCheck.check(new InstanceNorm(3), x, Mode.TRAIN, 44);
    }

    @Test
    void inputWithoutSpatialDimsIsAnError() {
        InstanceNorm in = new InstanceNorm(3);
        assertEquals("InstanceNorm(C=3): expected input [N,3,L] or [N,3,H,W], got [4, 3]",
                assertThrows(IllegalArgumentException.class, () -> in.forward(Tensor.zeros(4, 3), Mode.TRAIN)).getMessage());
        assertEquals("InstanceNorm(C=3): expected input [N,3,L] or [N,3,H,W], got [4, 2, 5, 5]",
                assertThrows(IllegalArgumentException.class, () -> in.forward(Tensor.zeros(4, 2, 5, 5), Mode.TRAIN)).getMessage());
    }

    @Test
    void oneSpatialValueWithInstanceStatisticsIsAnError() {
        InstanceNorm in = new InstanceNorm(3);
        assertEquals("InstanceNorm(C=3): expected more than 1 spatial element when using instance statistics, got input [2, 3, 1, 1]",
                assertThrows(IllegalArgumentException.class, () -> in.forward(Tensor.zeros(2, 3, 1, 1), Mode.EVAL)).getMessage());
    }

    @Test
    void nanOrInfInputIsRejected() {
        InstanceNorm in = new InstanceNorm(3);
        Tensor x = Tensor.zeros(2, 3, 4);
        x.data()[0] = Float.NaN;
        assertEquals("InstanceNorm(C=3): input contains NaN or Inf",
                assertThrows(IllegalArgumentException.class, () -> in.forward(x, Mode.TRAIN)).getMessage());
    }

    @Test
    void invalidHyperParametersAreRejected() {
        assertEquals("InstanceNorm: number of channels must be positive, got -1",
                assertThrows(IllegalArgumentException.class, () -> new InstanceNorm(-1)).getMessage());
        assertEquals("InstanceNorm(C=3): momentum must be in [0,1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> new InstanceNorm(3, 1e-5, 1.5, false, true)).getMessage());
        assertEquals("InstanceNorm(C=3): eps must be positive and finite, got Infinity",
                assertThrows(IllegalArgumentException.class, () -> new InstanceNorm(3, Double.POSITIVE_INFINITY, 0.1, false, false)).getMessage());
    }
}
