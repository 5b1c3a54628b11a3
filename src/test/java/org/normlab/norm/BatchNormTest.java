package org.normlab.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.normlab.kernels.ChannelNorm;
import org.normlab.nn.Mode;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.testing.GradCheck;
import java.util.Arrays;

class BatchNormTest {

    private static Tensor input(long seed, int... shape) {
        Tensor x = Tensor.randn(new Rng(seed), 2f, shape);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) d[i] += 0.5f;  // a non-zero mean to remove
        return x;
    }

    private static void randomAffine(BatchNorm bn, long seed) {
        Rng rng = new Rng(seed);
        for (int c = 0; c < bn.channels(); c++) {
            bn.gamma().value().data()[c] = (float) (0.5 + rng.nextDouble());
            bn.beta().value().data()[c] = (float) rng.nextGaussian();
        }
    }

    @Test
    void trainingOutputHasZeroMeanUnitBiasedVariancePerChannel() {
        BatchNorm bn = new BatchNorm(3);
        Tensor y = bn.forward(input(1, 16, 3), Mode.TRAIN);
        for (int c = 0; c < 3; c++) {
            double mean = 0, sq = 0;
            for (int n = 0; n < 16; n++) mean += y.get(n, c);
            mean /= 16;
            for (int n = 0; n < 16; n++) sq += Math.pow(y.get(n, c) - mean, 2);
            assertEquals(0, mean, 1e-6);
            assertEquals(1, sq / 16, 1e-3);  // eps = 1e-5 shrinks it a little
        }
    }

    @Test
    void runningStatisticsUseMomentumAndTheUnbiasedVariance() {
        BatchNorm bn = new BatchNorm(2);
        Tensor x = Tensor.of(new float[] {1, 10, 2, 20, 3, 30, 6, 40}, 4, 2);
        bn.forward(x, Mode.TRAIN);
        // channel 0: values 1,2,3,6 -> mean 3, biased var 3.5, unbiased 14/3
        assertEquals(0.9 * 0 + 0.1 * 3, bn.runningMean().get(0), 1e-6);
        assertEquals(0.9 * 1 + 0.1 * (14.0 / 3), bn.runningVar().get(0), 1e-6);
        assertEquals(1, bn.batchesTracked());
        bn.forward(x, Mode.TRAIN);
        assertEquals(0.9 * 0.3 + 0.1 * 3, bn.runningMean().get(0), 1e-6);
    }

    @Test
    void nullMomentumGivesTheCumulativeAverage() {
        BatchNorm bn = new BatchNorm(1, 1e-5, null, true, true);
        bn.forward(Tensor.of(new float[] {0, 2}, 2, 1), Mode.TRAIN);   // mean 1, unbiased var 2
        bn.forward(Tensor.of(new float[] {4, 6}, 2, 1), Mode.TRAIN);   // mean 5, unbiased var 2
        bn.forward(Tensor.of(new float[] {9, 9}, 2, 1), Mode.TRAIN);   // mean 9, unbiased var 0
        assertEquals((1 + 5 + 9) / 3.0, bn.runningMean().get(0), 1e-6);
        assertEquals((2 + 2 + 0) / 3.0, bn.runningVar().get(0), 1e-6);
    }

    @Test
    void evalModeIsOneAffineMapPerChannelFromRunningStatistics() {
        BatchNorm bn = new BatchNorm(3);
        randomAffine(bn, 7);
        for (int i = 0; i < 5; i++) bn.forward(input(10 + i, 8, 3, 4, 4), Mode.TRAIN);
        float[] rm = bn.runningMean().data().clone(), rv = bn.runningVar().data().clone();
        Tensor x = input(99, 2, 3, 4, 4);
        Tensor y = bn.forward(x, Mode.EVAL);
        for (int n = 0; n < 2; n++) for (int c = 0; c < 3; c++) for (int h = 0; h < 4; h++) for (int w = 0; w < 4; w++) {
            double expected = bn.gamma().value().get(c) * (x.get(n, c, h, w) - rm[c]) / Math.sqrt(rv[c] + 1e-5) + bn.beta().value().get(c);
            assertEquals(expected, y.get(n, c, h, w), 1e-5);
        }
        assertArrayEquals(rm, bn.runningMean().data(), "EVAL must not touch the running statistics");
        // Per-example determinism: one example alone gives the same output as inside the batch.
        Tensor single = bn.forward(Tensor.of(Arrays.copyOf(x.data(), 48), 1, 3, 4, 4), Mode.EVAL);
        assertArrayEquals(Arrays.copyOf(y.data(), 48), single.data(), 0f);
    }

    @Test
    void gammaAndBetaCanRecoverTheIdentity() {
        // Claim C1: with γ = √(σ² + ε) and β = μ, BN in training mode returns its input.
        Tensor x = input(3, 32, 4);
        BatchNorm bn = new BatchNorm(4);
        for (int c = 0; c < 4; c++) {
            double mean = 0, sq = 0;
            for (int n = 0; n < 32; n++) mean += x.get(n, c);
            mean /= 32;
            for (int n = 0; n < 32; n++) sq += Math.pow(x.get(n, c) - mean, 2);
            bn.gamma().value().data()[c] = (float) Math.sqrt(sq / 32 + 1e-5);
            bn.beta().value().data()[c] = (float) mean;
        }
        assertArrayEquals(x.data(), bn.forward(x, Mode.TRAIN).data(), 1e-5f);
    }

    @Test
    void gradientsInTrainingMode2d() {
        BatchNorm bn = new BatchNorm(3);
        randomAffine(bn, 5);
        GradCheck.check(bn, input(4, 6, 3), Mode.TRAIN, 11);
    }

    @Test
    void gradientsInTrainingMode4d() {
        BatchNorm bn = new BatchNorm(2);
        randomAffine(bn, 6);
        GradCheck.check(bn, input(5, 3, 2, 3, 3), Mode.TRAIN, 12);
    }

    /** EVAL keeps nothing for backward: a backward after it fails naming the layer; the next TRAIN step works. */
    @Test
    void backwardAfterEvalIsRefusedAndTrainingResumes() {
        BatchNorm bn = new BatchNorm(2);
        randomAffine(bn, 8);
        bn.forward(input(6, 8, 2, 2, 2), Mode.TRAIN);
        bn.forward(input(7, 3, 2, 2, 2), Mode.EVAL);
        assertEquals("BatchNorm(C=2): backward after an EVAL forward, which saves nothing for backward (run the forward in TRAIN)",
                assertThrows(IllegalStateException.class, () -> bn.backward(input(9, 3, 2, 2, 2))).getMessage());
        GradCheck.check(bn, input(7, 3, 2, 2, 2), Mode.TRAIN, 13);
    }

    @Test
    void gradientsWithoutAffineAndWithoutRunningStats() {
        BatchNorm bn = new BatchNorm(3, 1e-5, 0.1, false, false);
        GradCheck.check(bn, input(8, 5, 3), Mode.TRAIN, 14);
        float[] train = bn.forward(input(8, 5, 3), Mode.TRAIN).data().clone();
        assertArrayEquals(train, bn.forward(input(8, 5, 3), Mode.EVAL).data(), "EVAL uses batch statistics here, as in PyTorch");
        assertTrue(bn.params().isEmpty());
    }

    @Test
    void oneValuePerChannelInTrainingIsAnError() {
        BatchNorm bn = new BatchNorm(4);
        var e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(1, 4), Mode.TRAIN));
        assertEquals("BatchNorm(C=4): expected more than 1 value per channel when training, got input [1, 4]", e.getMessage());
        assertEquals(1, bn.forward(Tensor.zeros(1, 4), Mode.EVAL).dim(0), "batch-1 inference is fine");
    }

    /** EVAL without running statistics normalizes with batch statistics, so it needs what TRAIN needs (PyTorch raises too). */
    @Test
    void oneValuePerChannelWithoutRunningStatisticsIsAnErrorInEval() {
        BatchNorm bn = new BatchNorm(4, 1e-5, 0.1, true, false);
        for (int[] shape : new int[][] {{1, 4}, {1, 4, 1}, {1, 4, 1, 1}, {2, 4, 0, 0}, {1, 4, 0}}) {
            Tensor x = Tensor.randn(new Rng(3), 1f, shape);
            String expected = "BatchNorm(C=4): expected more than 1 value per channel when using batch statistics"
                    + " (EVAL without running statistics), got input " + x.shapeString();
            assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> bn.forward(x, Mode.EVAL)).getMessage());
            assertEquals("BatchNorm(C=4): expected more than 1 value per channel when training, got input " + x.shapeString(),
                    assertThrows(IllegalArgumentException.class, () -> bn.forward(x, Mode.TRAIN)).getMessage());
        }
        assertEquals(2, bn.forward(Tensor.randn(new Rng(4), 1f, 2, 4), Mode.EVAL).dim(0), "two values per channel are enough");
    }

    /** With running statistics EVAL is one affine map per value: an input without values gives an output without values. */
    @Test
    void emptySpatialSizeWithRunningStatisticsInEvalIsAnEmptyOutput() {
        BatchNorm bn = new BatchNorm(4);
        assertArrayEquals(new int[] {2, 4, 0, 0}, bn.forward(Tensor.zeros(2, 4, 0, 0), Mode.EVAL).shape());
        assertThrows(IllegalStateException.class, () -> bn.backward(Tensor.zeros(2, 4, 0, 0)), "EVAL keeps nothing for backward");
    }

    @Test
    void wrongChannelCountNamesLayerAndShapes() {
        BatchNorm bn = new BatchNorm(16);
        var e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(32, 8, 28, 28), Mode.TRAIN));
        assertEquals("BatchNorm(C=16): expected input [N,16], [N,16,L] or [N,16,H,W], got [32, 8, 28, 28]", e.getMessage());
    }

    @Test
    void nanOrInfInputIsRejectedAndLeavesRunningStatisticsAlone() {
        BatchNorm bn = new BatchNorm(2);
        Tensor x = Tensor.zeros(4, 2);
        x.data()[3] = Float.NaN;
        assertEquals("BatchNorm(C=2): input contains NaN or Inf",
                assertThrows(IllegalArgumentException.class, () -> bn.forward(x, Mode.TRAIN)).getMessage());
        x.data()[3] = Float.POSITIVE_INFINITY;
        assertEquals("BatchNorm(C=2): input contains NaN or Inf",
                assertThrows(IllegalArgumentException.class, () -> bn.forward(x, Mode.EVAL)).getMessage());
        assertArrayEquals(new float[] {0, 0}, bn.runningMean().data());
        assertArrayEquals(new float[] {1, 1}, bn.runningVar().data());
        assertEquals(0, bn.batchesTracked());
    }

    @Test
    void channelByChannelPassesGiveTheSampleOrderBits() {
        // Large inputs take both passes channel by channel; small ones each pass over the samples in memory order.
        // The per-run sums and their order are the same, so are the outputs, gradients and running statistics.
        for (int[] shape : new int[][] {{7, 5, 3, 11}, {6, 3, 40, 40}, {1, 2, 5, 5}}) {
            float[][] outputs = new float[2][], gradients = new float[2][], state = new float[2][];
            for (int order = 0; order < 2; order++) {
                ChannelNorm.channelPassesForTests = order == 1;
                try {
                    BatchNorm bn = new BatchNorm(shape[1]);
                    randomAffine(bn, 5);
                    bn.forward(input(3, shape), Mode.TRAIN);
                    bn.backward(input(8, shape));
                    outputs[order] = bn.forward(input(4, shape), Mode.TRAIN).data().clone();
                    gradients[order] = bn.backward(input(9, shape)).data().clone();
                    state[order] = concat(concat(bn.runningMean().data(), bn.runningVar().data()),
                            concat(bn.gamma().grad().data(), bn.beta().grad().data()));
                } finally {
                    ChannelNorm.channelPassesForTests = null;
                }
            }
            String at = " at " + Arrays.toString(shape);
            assertArrayEquals(outputs[0], outputs[1], "output" + at);
            assertArrayEquals(gradients[0], gradients[1], "input gradient" + at);
            assertArrayEquals(state[0], state[1], "running statistics, dγ, dβ" + at);
        }
        ChannelNorm.channelPassesForTests = true;
        try {
            Tensor x = input(6, 4, 3, 5, 5);
            x.data()[77] = Float.NaN;
            BatchNorm bn = new BatchNorm(3);
            assertEquals("BatchNorm(C=3): input contains NaN or Inf",
                    assertThrows(IllegalArgumentException.class, () -> bn.forward(x, Mode.TRAIN)).getMessage());
            assertEquals(0, bn.batchesTracked());
        } finally {
            ChannelNorm.channelPassesForTests = null;
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void invalidHyperParametersAreRejected() {
        assertEquals("BatchNorm(C=3): momentum must be in [0,1] or null (cumulative), got 1.5",
                assertThrows(IllegalArgumentException.class, () -> new BatchNorm(3, 1e-5, 1.5, true, true)).getMessage());
        assertEquals("BatchNorm(C=3): eps must be positive and finite, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> new BatchNorm(3, -1, 0.1, true, true)).getMessage());
        assertEquals("BatchNorm: number of channels must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> new BatchNorm(0)).getMessage());
    }
}
