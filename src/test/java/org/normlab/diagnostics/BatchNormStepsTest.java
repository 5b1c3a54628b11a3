package org.normlab.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The momentum table against the two update rules computed by hand from the table's own batch statistics. */
class BatchNormStepsTest {
    private final BatchNormSteps run = BatchNormSteps.run(4, 8, 2.0, 1.5, 3);

    @Test
    void runningStatisticsFollowPyTorchsRule() {
        double mean = 0, var = 1;
        assertEquals(5, run.steps().size());
        assertEquals(0.0, run.steps().get(0).runningMean());
        assertEquals(1.0, run.steps().get(0).runningVar());
        for (var s : run.steps().subList(1, run.steps().size())) {
            int m = 8 * 16;
            assertEquals(s.batchVar() * m / (m - 1), s.unbiasedVar(), 1e-12);
            mean = 0.9 * mean + 0.1 * s.batchMean();
            var = 0.9 * var + 0.1 * s.unbiasedVar();
            assertEquals(mean, s.runningMean(), 1e-5, "step " + s.step());
            assertEquals(var, s.runningVar(), 1e-5, "step " + s.step());
        }
    }

    @Test
    void kerasColumnsFollowKerasRuleWithTheBiasedVariance() {
        double mean = 0, var = 1;
        for (var s : run.steps().subList(1, run.steps().size())) {
            mean = 0.99 * mean + 0.01 * s.batchMean();
            var = 0.99 * var + 0.01 * s.batchVar();
            assertEquals(mean, s.kerasMean(), 1e-12);
            assertEquals(var, s.kerasVar(), 1e-12);
        }
        var last = run.steps().getLast();
        assertTrue(last.kerasMean() < last.runningMean(), "Keras' 0.99 is ten times slower than PyTorch's 0.1");
    }

    @Test
    void batchStatisticsEstimateTheDistribution() {
        for (var s : run.steps().subList(1, run.steps().size())) {
            assertEquals(2.0, s.batchMean(), 0.5);
            assertEquals(2.25, s.batchVar(), 1.0);
        }
        assertEquals(5, run.table().rowCount());
    }

    @Test
    void evalDiffersFromTrainForBatchNormOnlyWhileRunningStatisticsLag() {
        var modes = run.modes();
        assertEquals("BN", modes.stringColumn("layer").get(1));
        assertEquals("EVAL", modes.stringColumn("mode").get(1));
        assertTrue(modes.doubleColumn("max |y − y(TRAIN)|").get(1) > 0.5, "after 4 steps the running mean is far from 2");
        assertEquals(0.0, modes.doubleColumn("max |y − y(TRAIN)|").get(3), "LN: EVAL is TRAIN");
        assertEquals(0.0, modes.doubleColumn("output mean").get(0), 1e-6);
    }
}
