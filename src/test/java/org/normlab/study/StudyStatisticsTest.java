package org.normlab.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;

/** The per-run statistics the core studies' verdicts are built on, on hand-made logs with known answers. */
class StudyStatisticsTest {
    private static Results.Run run(Norm norm, double lr, long seed, double... trainLoss) {
        List<RunLog.Point> points = new ArrayList<>();
        for (int i = 0; i < trainLoss.length; i++) points.add(new RunLog.Point(10 * (i + 1), i, Trainer.TRAIN_LOSS, trainLoss[i]));
        RunConfig c = RunConfig.mlp(List.of(8), Activation.Kind.RELU).withNorm(norm).with("lr", lr).withSeed(seed);
        return new Results.Run(c, RunLog.restore(points, -1, null, null, 0));
    }

    private static Results.Run diverged(Norm norm, double lr, long seed) {
        RunConfig c = RunConfig.mlp(List.of(8), Activation.Kind.RELU).withNorm(norm).with("lr", lr).withSeed(seed);
        return new Results.Run(c, RunLog.restore(List.of(), 3, "training loss NaN at step 3", null, 0));
    }

    @Test
    void roughnessIsTheSpreadOfSuccessiveDifferencesOverTheSecondHalf() {
        // Second half of [9, 9, 9, 9, 1, 2, 1, 2] is [1, 2, 1, 2]: differences +1, −1, +1, sample sd = √(4/3).
        assertEquals(Math.sqrt(4.0 / 3), ConvergenceStudy.roughness(run(Norm.BN, 0.1, 0, 9, 9, 9, 9, 1, 2, 1, 2)), 1e-12);
        assertEquals(0, ConvergenceStudy.roughness(run(Norm.BN, 0.1, 0, 5, 4, 3, 2, 1, 0)), 1e-12, "a straight line is perfectly smooth");
        assertTrue(Double.isNaN(ConvergenceStudy.roughness(diverged(Norm.NONE, 0.1, 0))));
    }

    @Test
    void stepsToTargetCountsABudgetForRunsThatNeverGetThere() {
        List<RunLog.Point> points = List.of(new RunLog.Point(10, 0, Trainer.TRAIN_ACC, 0.5), new RunLog.Point(20, 0, Trainer.TRAIN_ACC, 0.85),
                new RunLog.Point(30, 0, Trainer.TRAIN_ACC, 0.9));
        Results.Run r = new Results.Run(RunConfig.mlp(List.of(8), Activation.Kind.RELU), RunLog.restore(points, -1, null, null, 0));
        assertEquals(20, SweepResult.stepsTo(r, Trainer.TRAIN_ACC, 0.8));
        assertTrue(Double.isNaN(SweepResult.stepsTo(r, Trainer.TRAIN_ACC, 0.95)));
        assertEquals(30, ConvergenceStudy.stepsOrBudget(r, 0.95));
    }

    @Test
    void largestLearningRateThatTrainsPerSeedAndTheirLogRatio() {
        List<Results.Run> runs = List.of(
                run(Norm.NONE, 0.1, 0, 2, 0.8), run(Norm.NONE, 1, 0, 2, 1.5), diverged(Norm.NONE, 10, 0),
                run(Norm.BN, 0.1, 0, 2, 0.5), run(Norm.BN, 1, 0, 2, 0.6), run(Norm.BN, 10, 0, 2, 0.9),
                run(Norm.NONE, 0.1, 1, 2, 0.7), run(Norm.NONE, 1, 1, 2, 0.9), diverged(Norm.NONE, 10, 1),
                run(Norm.BN, 0.1, 1, 2, 0.5), run(Norm.BN, 1, 1, 2, 0.6), run(Norm.BN, 10, 1, 2, 1.9));
        SweepResult sweep = new SweepResult("t", List.of("norm", "lr"), runs);
        var perSeed = LrToleranceStudy.largestPerSeed(sweep);
        assertEquals(List.of(0.1, 1.0, 10.0, 1.0), perSeed.doubleColumn(2).asList());
        // seed 0: log10(10 / 0.1) = 2; seed 1: log10(1 / 1) = 0 → mean 1 over two seeds
        Summary ratio = LrToleranceStudy.logRatio(perSeed);
        assertEquals(2, ratio.n());
        assertEquals(1, ratio.mean(), 1e-12);
        var counts = LrToleranceStudy.seedsThatTrain(sweep);
        assertEquals(List.of(2, 1, 0, 2, 2, 1), counts.intColumn(4).asList());
        assertEquals(List.of(0, 0, 2, 0, 0, 0), counts.intColumn("diverged").asList());
    }

    @Test
    void secondHalfStandardDeviation() {
        RunLog log = RunLog.restore(List.of(new RunLog.Point(1, 0, Trainer.TEST_ACC, 0.1), new RunLog.Point(2, 0, Trainer.TEST_ACC, 0.2),
                new RunLog.Point(3, 0, Trainer.TEST_ACC, 0.5), new RunLog.Point(4, 0, Trainer.TEST_ACC, 0.7)), -1, null, null, 0);
        assertEquals(Math.sqrt(0.02), TrainVsInferenceStudy.secondHalfStd(log, Trainer.TEST_ACC), 1e-12);  // sd of {0.5, 0.7}
    }
}
