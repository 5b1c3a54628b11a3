package org.normlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.experiment.Experiment;
import org.normlab.studies.Quickstart;
import org.normlab.experiment.Results;
import org.normlab.experiment.RunSpec;
import org.normlab.experiment.Axes;
import org.normlab.experiment.Scale;
import org.normlab.experiment.Progress;

class TrainerTest {
    private static final Dataset TEST = FashionMnist.fromEnvironment().load(FashionMnist.Split.TEST);
    private static final Dataset TRAIN = TEST.head(2000), HELD_OUT = TEST.head(3000).select(range(2000, 3000));

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }

    private static RunSpec config(Norm norm, double lr, long seed) {
        return RunSpec.mlp(List.of(64, 64), Activation.Kind.RELU).withNorm(norm).withLr(lr).withBatchSize(50)
                .withEpochs(2).withTrainSize(2000).withLogEvery(10).withSeed(seed);
    }

    @Test
    void sameConfigAndSeedGiveTheSameTable() {
        RunSpec c = config(Norm.BN, 0.1, 3);
        var first = Results.tidy("a", List.of(new Results.Run<>(c, Experiment.run(c, TRAIN, HELD_OUT, null))), List.of(Axes.NORM.field()));
        var second = Results.tidy("a", List.of(new Results.Run<>(c, Experiment.run(c, TRAIN, HELD_OUT, null))), List.of(Axes.NORM.field()));
        assertEquals(first.rowCount(), second.rowCount());
        assertEquals(first.printAll(), second.printAll());
        var otherSeed = Results.tidy("a", List.of(new Results.Run<>(c.withSeed(4), Experiment.run(c.withSeed(4), TRAIN, HELD_OUT, null))), List.of(Axes.NORM.field()));
        assertFalse(first.doubleColumn("value").asList().equals(otherSeed.doubleColumn("value").asList()), "the seed matters");
    }

    @Test
    void trainingLearnsSomething() {
        RunLog log = Experiment.run(config(Norm.BN, 0.1, 1), TRAIN, HELD_OUT, null);
        assertFalse(log.diverged());
        assertEquals(80, log.points().stream().filter(p -> p.metric().equals(Trainer.TRAIN_LOSS)).count() * 10);
        assertTrue(log.last(Trainer.TEST_ACC) > 0.6, "test accuracy " + log.last(Trainer.TEST_ACC));
    }

    @Test
    void anAbsurdLearningRateIsRecordedAsDivergedWithItsStep() {
        RunLog log = Experiment.run(config(Norm.NONE, 1e4, 1), TRAIN, HELD_OUT, null);
        assertTrue(log.diverged());
        assertTrue(log.divergedAtStep() >= 1 && log.divergedAtStep() <= 80, "step " + log.divergedAtStep());
        assertTrue(log.divergence().startsWith("training loss "), log.divergence());
        // What was logged before the divergence is kept.
        assertTrue(log.points().stream().allMatch(p -> p.step() < log.divergedAtStep()));
    }

    @Test
    void quickstartAtSmokeScaleComparesBothNorms() {
        Quickstart.Report r = Quickstart.compare(Scale.SMOKE, TEST, HELD_OUT, Progress.none());
        assertEquals(List.of("none", "BN"), r.summary().stringColumn("norm").asList());
        assertEquals(4, r.runs().rowCount());
        assertTrue(r.headline().startsWith("After 1 epoch(s) at smoke scale (mean of 2 seeds): none — train loss "), r.headline());
    }

    @Test
    void logsNormsWallTimeAndProbePercentiles() {
        RunSpec c = config(Norm.BN, 0.1, 1).withProbeUnit(3).withEpochs(1);
        RunLog log = Experiment.run(c, TRAIN, HELD_OUT, null);
        for (String m : List.of(Trainer.GRAD_NORM, Trainer.WEIGHT_NORM, "probe/last-hidden-3/p15", "probe/last-hidden-3/p50",
                "probe/last-hidden-3/p85")) {
            assertEquals(4, log.points().stream().filter(p -> p.metric().equals(m)).count(), m);
            assertTrue(Double.isFinite(log.last(m)), m);
        }
        assertTrue(log.last("probe/last-hidden-3/p15") <= log.last("probe/last-hidden-3/p50"));
        assertTrue(log.last("probe/last-hidden-3/p50") <= log.last("probe/last-hidden-3/p85"));
        assertTrue(log.last(Trainer.GRAD_NORM) > 0 && log.last(Trainer.WEIGHT_NORM) > 0);
    }
}
