package org.normlab.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.normlab.nn.Activation;
import org.normlab.nn.Conv2d;
import org.normlab.nn.Init;
import org.normlab.nn.Linear;
import org.normlab.nn.Mode;
import org.normlab.nn.Sequential;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.testing.GradCheck;
import org.normlab.testing.LayerProperties;
import org.normlab.model.Models;

/** Weight Standardization, Batch Renormalization and Ghost BatchNorm, and their Norm entries. */
class BatchNormVariantsTest {
    private static Tensor input(long seed, int... shape) {
        Tensor x = Tensor.randn(new Rng(seed), 2f, shape);
        for (int i = 0; i < x.size(); i++) x.data()[i] += 0.7f;
        return x;
    }

    @Test
    void weightStandardizationStandardizesEachOutputAndItsGradientChecks() {
        Linear linear = new Linear(6, 4, true);
        WeightStandardization ws = new WeightStandardization(linear);
        Init.he().apply(ws, new Rng(1));
        assertTrue(Arrays.stream(toDouble(ws.weight().value().data())).anyMatch(v -> v != 0), "the raw weight is initialized");
        ws.forward(input(2, 3, 6), Mode.TRAIN);
        float[] w = linear.weight().value().data();
        for (int o = 0; o < 4; o++) {
            double mean = 0, sq = 0;
            for (int i = 0; i < 6; i++) mean += w[o * 6 + i] / 6.0;
            for (int i = 0; i < 6; i++) sq += Math.pow(w[o * 6 + i] - mean, 2) / 6;
            assertEquals(0, mean, 1e-6);
            assertEquals(1, sq, 1e-3);
        }
        GradCheck.check(ws, input(3, 3, 6), Mode.TRAIN, 4);
        WeightStandardization conv = new WeightStandardization(new Conv2d(2, 3, 3, true));
        Init.he().apply(conv, new Rng(5));
        GradCheck.check(conv, input(6, 2, 2, 5, 5), Mode.TRAIN, 7);
        assertEquals("WeightStandardization: wraps a Conv2d or Linear, got ReLU",
                assertThrows(IllegalArgumentException.class, () -> new WeightStandardization(Activation.relu())).getMessage());
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    @Test
    void batchRenormIsBatchNormDuringWarmUp() {
        BatchRenorm brn = new BatchRenorm(3, 1e-5, 0.1, 3, 5, 10, 10);
        BatchNorm bn = new BatchNorm(3);
        Tensor x = input(1, 8, 3, 2, 2);
        assertArrayEquals(bn.forward(x, Mode.TRAIN).data(), brn.forward(x, Mode.TRAIN).data(), 1e-5f);
        assertArrayEquals(bn.runningVar().data(), brn.runningVar().data(), 1e-6f);
        // Every forward of the check is a training step: keep the whole check inside the warm-up.
        GradCheck.check(new BatchRenorm(3, 1e-5, 0.1, 3, 5, 1_000_000, 10), input(2, 6, 3), Mode.TRAIN, 3);
        assertEquals(1.0, brn.rMax(5));
        assertEquals(2.0, brn.rMax(15), 1e-12);
        assertEquals(5.0, brn.dMax(100), 1e-12);
    }

    @Test
    void batchRenormCorrectsTowardsRunningStatisticsWithinBounds() {
        // No warm-up, bounds r ∈ [1/2, 2], d ∈ [−1, 1]; running mean 0, var 1 while the batch has mean ≈ 10, var ≈ 100:
        // r = clip(σ_B / 1, ., 2) = 2 and d = clip(μ_B, −1, 1) = 1, both at their bounds.
        BatchRenorm brn = new BatchRenorm(1, 1e-5, 0.1, 2, 1, 0, 0);
        Tensor x = Tensor.randn(new Rng(4), 10f, 16, 1);
        for (int i = 0; i < 16; i++) x.data()[i] += 10;
        float[] y = brn.forward(x, Mode.TRAIN).data();
        double mean = 0, var = 0;
        for (float v : x.data()) mean += v / 16.0;
        for (float v : x.data()) var += (v - mean) * (v - mean) / 16;
        for (int i = 0; i < 16; i++) assertEquals((x.data()[i] - mean) / Math.sqrt(var + 1e-5) * 2 + 1, y[i], 1e-4);
        // With r and d at their bounds they are locally constant, so the numerical gradient agrees with the analytic one.
        BatchRenorm clipped = new BatchRenorm(1, 1e-5, 1e-9, 2, 1, 0, 0);
        GradCheck.check(clipped, x, Mode.TRAIN, 5);
        brn.forward(x, Mode.EVAL);
        LayerProperties.assertBackwardRefusedAfterEval(brn, x);
    }

    @Test
    void ghostBatchNormNormalizesEachVirtualBatchAlone() {
        Tensor x = input(7, 6, 2, 3);
        GhostBatchNorm ghost = new GhostBatchNorm(2, 3);
        float[] y = ghost.forward(x, Mode.TRAIN).data();
        BatchNorm reference = new BatchNorm(2);
        for (int k = 0; k < 2; k++) {
            Tensor part = Tensor.of(Arrays.copyOfRange(x.data(), k * 18, (k + 1) * 18), 3, 2, 3);
            assertArrayEquals(reference.forward(part, Mode.TRAIN).data(), Arrays.copyOfRange(y, k * 18, (k + 1) * 18), 1e-6f);
        }
        assertArrayEquals(reference.runningMean().data(), ghost.batchNorm().runningMean().data(), 1e-7f, "running stats updated per virtual batch");
        GradCheck.check(new GhostBatchNorm(2, 3), x, Mode.TRAIN, 8);
        GradCheck.check(new GhostBatchNorm(2, 4), input(9, 8, 2), Mode.TRAIN, 9);
        // A virtual batch as large as the batch is plain BN.
        assertArrayEquals(new BatchNorm(2).forward(x, Mode.TRAIN).data(), new GhostBatchNorm(2, 64).forward(x, Mode.TRAIN).data(), 1e-6f);
        assertEquals("GhostBatchNorm(C=2): virtual batch size must be ≥ 2, got 1",
                assertThrows(IllegalArgumentException.class, () -> new GhostBatchNorm(2, 1)).getMessage());
    }

    @Test
    void normEntriesParseBuildAndWrapWeights() {
        for (String label : new String[] {"BRN", "GHOST(16)", "GN+WS(2)", "LRN"}) assertEquals(label, Norm.parse(label).label());
        assertInstanceOf(BatchRenorm.class, Norm.BRN.create(4));
        assertInstanceOf(GhostBatchNorm.class, Norm.GHOST(8).create(4));
        assertInstanceOf(LocalResponseNorm.class, Norm.LRN.create(4));
        Sequential lenet = Models.lenet(Norm.GN_WS(2), Activation.Kind.RELU, Init.he(), new Rng(1));
        assertTrue(lenet.layers().get(0) instanceof WeightStandardization, lenet.describe());
        Tensor x = Tensor.randn(new Rng(2), 1f, 4, 1, 28, 28);
        Tensor y = lenet.forward(x, Mode.TRAIN);
        assertArrayEquals(new int[] {4, 10}, y.shape());
        lenet.backward(Tensor.full(0.1f, 4, 10));
        assertTrue(lenet.params().stream().allMatch(p -> p.grad().isFinite()));
        assertTrue(Norm.BN.cancelsBias() && Norm.BRN.cancelsBias() && Norm.GHOST(4).cancelsBias() && !Norm.LN.cancelsBias());
    }

    /** No values per channel ([2,4,0,0]): the error TRAIN gives BatchNorm on that shape, and in EVAL an empty output. */
    @Test
    void batchRenormAndGhostBatchNormOnAnEmptySpatialSize() {
        Tensor x = Tensor.zeros(2, 4, 0, 0);
        assertEquals("BatchRenorm(C=4): expected more than 1 value per channel when training, got input [2, 4, 0, 0]",
                assertThrows(IllegalArgumentException.class, () -> new BatchRenorm(4).forward(x, Mode.TRAIN)).getMessage());
        assertEquals("GhostBatchNorm(C=4, v=2): expected more than 1 value per channel in every virtual batch when training, got input "
                        + "[2, 4, 0, 0] (its last virtual batch holds 2 of its 2 samples: 0 per channel)",
                assertThrows(IllegalArgumentException.class, () -> new GhostBatchNorm(4, 2).forward(x, Mode.TRAIN)).getMessage());
        BatchRenorm brn = new BatchRenorm(4);
        assertArrayEquals(x.shape(), brn.forward(x, Mode.EVAL).shape());
        LayerProperties.assertBackwardRefusedAfterEval(brn, x);
        GhostBatchNorm ghost = new GhostBatchNorm(4, 2);
        assertArrayEquals(x.shape(), ghost.forward(x, Mode.EVAL).shape());
        LayerProperties.assertBackwardRefusedAfterEval(ghost, x);
    }
}
