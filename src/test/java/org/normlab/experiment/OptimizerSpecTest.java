package org.normlab.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.nn.Activation;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;

/** The optimizer and learning-rate schedule named in a RunConfig reach the training loop. */
class OptimizerConfigTest {
    private static final Dataset DATA = FashionMnist.fromEnvironment().load(FashionMnist.Split.TEST);
    private static final Dataset TRAIN = DATA.head(1280), TEST = DATA.head(1480).select(java.util.stream.IntStream.range(1280, 1480).toArray());

    private static RunConfig base() {
        return RunConfig.mlp(List.of(64), Activation.Kind.RELU).with("trainSize", 1280).with("testSize", 200).with("logEvery", 4);
    }

    private static List<Double> lrs(RunLog log) {
        return log.points().stream().filter(p -> p.metric().equals(Trainer.LR)).map(RunLog.Point::value).toList();
    }

    @Test
    void schedulesSetTheLearningRateStepByStep() {
        // 1280 / 64 = 20 steps, logged every 4: the rate of steps 4, 8, 12, 16, 20 (schedule steps 3, 7, 11, 15, 19).
        assertEquals(List.of(0.1, 0.1, 0.1, 0.1, 0.1), lrs(Experiment.run(base(), TRAIN, TEST, null)));
        List<Double> cosine = lrs(Experiment.run(base().with("schedule", "cosine"), TRAIN, TEST, null));
        assertEquals(0.05 * (1 + Math.cos(Math.PI * 3 / 20)), cosine.get(0), 1e-12);
        assertEquals(0.05 * (1 + Math.cos(Math.PI * 19 / 20)), cosine.get(4), 1e-12);
        List<Double> step = lrs(Experiment.run(base().with("schedule", "step"), TRAIN, TEST, null));
        // ×0.1 every 20 / 3 = 6 steps: schedule steps 3, 7, 11, 15, 19 are in periods 0, 1, 1, 2, 3.
        double[] expected = {0.1, 0.01, 0.01, 0.001, 1e-4};
        for (int i = 0; i < 5; i++) assertEquals(expected[i], step.get(i), 1e-12);
        List<Double> warm = lrs(Experiment.run(base().with("schedule", "warmup-cosine"), TRAIN, TEST, null));
        assertTrue(warm.get(0) < 0.1 && warm.get(4) < warm.get(1), warm.toString());
    }

    @Test
    void adamAndNesterovTrain() {
        RunLog adam = Experiment.run(base().with("optimizer", "adam").with("lr", 1e-3).with("epochs", 2), TRAIN, TEST, null);
        RunLog nesterov = Experiment.run(base().with("optimizer", "nesterov").with("momentum", 0.9).with("lr", 0.02).with("epochs", 2), TRAIN, TEST, null);
        assertTrue(adam.last(Trainer.TEST_ACC) > 0.6, "adam " + adam.last(Trainer.TEST_ACC));
        assertTrue(nesterov.last(Trainer.TEST_ACC) > 0.6, "nesterov " + nesterov.last(Trainer.TEST_ACC));
        assertNotEquals(base().key(), base().with("optimizer", "adam").key());
    }

    @Test
    void unknownNamesAreRejectedUpFront() {
        assertEquals("RunConfig: unknown optimizer 'rmsprop' (known: sgd, nesterov, adam)",
                assertThrows(IllegalArgumentException.class, () -> base().with("optimizer", "rmsprop")).getMessage());
        assertEquals("RunConfig: unknown schedule 'linear' (known: constant, cosine, step, warmup-cosine)",
                assertThrows(IllegalArgumentException.class, () -> base().with("schedule", "linear")).getMessage());
    }
}
