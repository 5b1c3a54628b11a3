package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.nn.Activation;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;

/** The optimizer and learning-rate schedule of a RunSpec reach the training loop. */
class OptimizerSpecTest {
    private static final Dataset DATA = FashionMnist.fromEnvironment().load(FashionMnist.Split.TEST);
    private static final Dataset TRAIN = DATA.head(1280), TEST = DATA.head(1480).select(IntStream.range(1280, 1480).toArray());

    private static RunSpec base() {
        return RunSpec.mlp(List.of(64), Activation.Kind.RELU).withTrainSize(1280).withTestSize(200).withLogEvery(4);
    }

    private static List<Double> lrs(RunLog log) {
        return log.points().stream().filter(p -> p.metric().equals(Trainer.LR)).map(RunLog.Point::value).toList();
    }

    @Test
    void schedulesSetTheLearningRateStepByStep() {
        // 1280 / 64 = 20 steps, logged every 4: the rate of steps 4, 8, 12, 16, 20 (schedule steps 3, 7, 11, 15, 19).
        assertEquals(List.of(0.1, 0.1, 0.1, 0.1, 0.1), lrs(Experiment.run(base(), TRAIN, TEST, null)));
        List<Double> cosine = lrs(Experiment.run(base().withSchedule(Schedule.COSINE), TRAIN, TEST, null));
        assertEquals(0.05 * (1 + Math.cos(Math.PI * 3 / 20)), cosine.get(0), 1e-12);
        assertEquals(0.05 * (1 + Math.cos(Math.PI * 19 / 20)), cosine.get(4), 1e-12);
        List<Double> step = lrs(Experiment.run(base().withSchedule(Schedule.STEP), TRAIN, TEST, null));
        // ×0.1 every 20 / 3 = 6 steps: schedule steps 3, 7, 11, 15, 19 are in periods 0, 1, 1, 2, 3.
        double[] expected = {0.1, 0.01, 0.01, 0.001, 1e-4};
        for (int i = 0; i < 5; i++) assertEquals(expected[i], step.get(i), 1e-12);
        List<Double> warm = lrs(Experiment.run(base().withSchedule(Schedule.WARMUP_COSINE), TRAIN, TEST, null));
        assertTrue(warm.get(0) < 0.1 && warm.get(4) < warm.get(1), warm.toString());
    }

    @Test
    void adamAndNesterovTrain() {
        RunLog adam = Experiment.run(base().withOptimizer(new OptimizerSpec.Adam(1e-3)).withEpochs(2), TRAIN, TEST, null);
        RunLog nesterov = Experiment.run(base().withOptimizer(OptimizerSpec.Sgd.DEFAULT.withNesterov(true).withMomentum(0.9).withLr(0.02)).withEpochs(2),
                TRAIN, TEST, null);
        assertTrue(adam.last(Trainer.TEST_ACC) > 0.6, "adam " + adam.last(Trainer.TEST_ACC));
        assertTrue(nesterov.last(Trainer.TEST_ACC) > 0.6, "nesterov " + nesterov.last(Trainer.TEST_ACC));
        assertNotEquals(base().key(), base().withOptimizer(new OptimizerSpec.Adam(0.1)).key());
    }

    @Test
    void badSettingsAreRejectedUpFront() {
        assertEquals("Sgd: lr must be positive, got -1.0", assertThrows(IllegalArgumentException.class, () -> base().withLr(-1)).getMessage());
        assertEquals("Adam: beta1 must be in [0,1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new OptimizerSpec.Adam(1e-3).withBeta1(1.0)).getMessage());
        assertEquals("RunSpec: momentum is a setting of optimizer sgd, got " + new OptimizerSpec.Adam(1e-3),
                assertThrows(IllegalArgumentException.class, () -> base().withOptimizer(new OptimizerSpec.Adam(1e-3)).withMomentum(0.9)).getMessage());
    }
}
