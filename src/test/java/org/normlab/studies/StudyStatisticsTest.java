package org.normlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.experiment.Axes;
import org.normlab.experiment.Experiment;
import org.normlab.experiment.Results;
import org.normlab.experiment.RunSpec;
import org.normlab.experiment.Scale;
import org.normlab.experiment.Summary;
import org.normlab.experiment.SweepResult;
import org.normlab.experiment.Verdict;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.normlab.model.Placement;
import org.normlab.nn.Mode;
import org.normlab.norm.GroupNorm;
import org.normlab.norm.LayerNorm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/** The per-run statistics the core studies' verdicts are built on, on hand-made logs with known answers. */
class StudyStatisticsTest {
    private static Results.Run<RunSpec> run(Norm norm, double lr, long seed, double... trainLoss) {
        List<RunLog.Point> points = new ArrayList<>();
        for (int i = 0; i < trainLoss.length; i++) points.add(new RunLog.Point(10 * (i + 1), i, Trainer.TRAIN_LOSS, trainLoss[i]));
        RunSpec c = RunSpec.mlp(List.of(8), Activation.Kind.RELU).withNorm(norm).withLr(lr).withSeed(seed);
        return new Results.Run<>(c, RunLog.restore(points, -1, null, null, 0));
    }

    private static Results.Run<RunSpec> diverged(Norm norm, double lr, long seed) {
        RunSpec c = RunSpec.mlp(List.of(8), Activation.Kind.RELU).withNorm(norm).withLr(lr).withSeed(seed);
        return new Results.Run<>(c, RunLog.restore(List.of(), 3, "training loss NaN at step 3", null, 0));
    }

    private static Results.Run<RunSpec> accRun(Norm norm, long seed, double... trainAcc) {
        List<RunLog.Point> points = new ArrayList<>();
        for (int i = 0; i < trainAcc.length; i++) points.add(new RunLog.Point(10 * (i + 1), 0, Trainer.TRAIN_ACC, trainAcc[i]));
        return new Results.Run<>(RunSpec.mlp(List.of(8), Activation.Kind.RELU).withNorm(norm).withSeed(seed), RunLog.restore(points, -1, null, null, 0));
    }

    @Test
    void stepsToTargetAreTestedAsCensoredOutcomesWithNeverAsWorst() {
        // Target 0.8 over steps 10, 20, 30: BN reaches it at 10 and 20; none never (seed 0) and at 30 (seed 1).
        List<Results.Run<RunSpec>> runs = List.of(accRun(Norm.NONE, 0, 0.1, 0.2, 0.3), accRun(Norm.NONE, 1, 0.1, 0.5, 0.9),
                accRun(Norm.BN, 0, 0.85, 0.9, 0.9), accRun(Norm.BN, 1, 0.5, 0.81, 0.9));
        var t = ConvergenceStudy.stepsToTargetTests(SweepResult.of("t", runs, Axes.NORM), 0.8);
        assertEquals(List.of("BN"), t.stringColumn(0).asList());
        assertEquals(2, t.intColumn("seeds").get(0));
        assertEquals(2, t.intColumn("reached (norm)").get(0));
        assertEquals(1, t.intColumn("reached (none)").get(0));
        // Both pairs favour BN: the exact two-sided signed-rank p with n = 2 is 0.5 (scipy.stats.wilcoxon).
        assertEquals(0.5, t.doubleColumn("signed-rank p (never = worst)").get(0), 1e-12);
        assertTrue(t.doubleColumn("log-rank z (norm sooner > 0)").get(0) > 0, "BN reaches the target sooner");
        // Neither arm ever reaches the target: every pair ties, no signed-rank p; the log-rank test sees no event.
        var never = ConvergenceStudy.stepsToTargetTests(SweepResult.of("t", List.of(accRun(Norm.NONE, 0, 0.1, 0.2), accRun(Norm.BN, 0, 0.3, 0.4),
                accRun(Norm.NONE, 1, 0.1, 0.2), accRun(Norm.BN, 1, 0.3, 0.4)), Axes.NORM), 0.8);
        assertTrue(never.doubleColumn("signed-rank p (never = worst)").isMissing(0), "missing, not a number");
        assertEquals(1, never.doubleColumn("log-rank p").get(0), 0);
    }

    @Test
    void c2IsDecidedByTheLogRankTestOfStepsToTarget() {
        // Five seeds: BN reaches 0.8 at step 10, none never within its 30 steps (censored there). At step 10, 10 runs at
        // risk, 5 of them BN, 5 events: expected 2.5, variance 5·5·5·5 / (10²·9), z = 2.5 / √(625/900) = 3, two-sided
        // p = erfc(3/√2). The estimate is the steps BN saved per seed, never counted as the budget: 30 − 10.
        List<Results.Run<RunSpec>> runs = new ArrayList<>();
        for (long seed = 0; seed < 5; seed++) {
            runs.add(accRun(Norm.NONE, seed, 0.1, 0.2, 0.3));
            runs.add(accRun(Norm.BN, seed, 0.85, 0.9, 0.9));
        }
        var c = new ConvergenceStudy().criteria(Scale.SMOKE).get(0);
        Verdict v = ConvergenceStudy.stepsToTarget(c, SweepResult.of("t", runs, Axes.NORM), Norm.BN, 0.8);
        assertEquals(Verdict.Outcome.SUPPORTED, v.outcome());
        assertEquals(0.0026997960632601913, v.evidence().p(), 1e-15);
        assertEquals(20, v.statistic().mean(), 1e-12);
        assertTrue(v.evidence().test().contains("z = 3.00; reached 5 of 5 vs 0 of 5 within 30 steps"), v.evidence().test());
        assertTrue(c.changed(), "a changed criterion says so");
        // The other way round (none sooner) is NOT SUPPORTED; two seeds cannot reach p < 0.05.
        List<Results.Run<RunSpec>> swapped = new ArrayList<>();
        for (Results.Run<RunSpec> r : runs) swapped.add(new Results.Run<>(r.spec().withNorm(r.spec().norm() == Norm.BN ? Norm.NONE : Norm.BN), r.log()));
        assertEquals(Verdict.Outcome.NOT_SUPPORTED, ConvergenceStudy.stepsToTarget(c, SweepResult.of("t", swapped, Axes.NORM), Norm.BN, 0.8).outcome());
        Verdict two = ConvergenceStudy.stepsToTarget(c, SweepResult.of("t", runs.subList(0, 4), Axes.NORM), Norm.BN, 0.8);
        assertEquals(Verdict.Outcome.INCONCLUSIVE, two.outcome());
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
        Results.Run<RunSpec> r = new Results.Run<>(RunSpec.mlp(List.of(8), Activation.Kind.RELU), RunLog.restore(points, -1, null, null, 0));
        assertEquals(20, SweepResult.stepsTo(r, Trainer.TRAIN_ACC, 0.8));
        assertTrue(Double.isNaN(SweepResult.stepsTo(r, Trainer.TRAIN_ACC, 0.95)));
        assertEquals(30, ConvergenceStudy.stepsOrBudget(r, 0.95));
    }

    @Test
    void largestLearningRateThatTrainsPerSeedAndTheirLogRatio() {
        List<Results.Run<RunSpec>> runs = List.of(
                run(Norm.NONE, 0.1, 0, 2, 0.8), run(Norm.NONE, 1, 0, 2, 1.5), diverged(Norm.NONE, 10, 0),
                run(Norm.BN, 0.1, 0, 2, 0.5), run(Norm.BN, 1, 0, 2, 0.6), run(Norm.BN, 10, 0, 2, 0.9),
                run(Norm.NONE, 0.1, 1, 2, 0.7), run(Norm.NONE, 1, 1, 2, 0.9), diverged(Norm.NONE, 10, 1),
                run(Norm.BN, 0.1, 1, 2, 0.5), run(Norm.BN, 1, 1, 2, 0.6), run(Norm.BN, 10, 1, 2, 1.9));
        SweepResult<RunSpec> sweep = SweepResult.of("t", runs, Axes.NORM, Axes.LR);
        var perSeed = LrToleranceStudy.largestPerSeed(sweep);
        assertEquals(List.of(0.1, 1.0, 10.0, 1.0), perSeed.doubleColumn(2).asList());
        // seed 0: log10(10 / 0.1) = 2; seed 1: log10(1 / 1) = 0 → mean 1 over two seeds
        Summary ratio = LrToleranceStudy.logRatio(perSeed);
        assertEquals(2, ratio.n());
        assertEquals(1, ratio.mean(), 1e-12);
        // Brackets on the grid {0.1, 1, 10}: seed 0 none [0.1, 1), BN [10, ∞) → BN certainly higher (1);
        // seed 1 none [1, 10), BN [1, 10) → overlap, undecided (NaN, counted as missing).
        Summary signs = LrToleranceStudy.bnCertainlyHigher(perSeed, List.of(0.1, 1.0, 10.0));
        assertEquals(1, signs.n());
        assertEquals(1, signs.missing());
        assertEquals(1, signs.mean(), 0);
        assertEquals(0, LrToleranceStudy.bracket(Double.NaN, List.of(1.0, 0.1)).lastStable(), "never trains: [0, lowest rate)");
        assertEquals(0.1, LrToleranceStudy.bracket(Double.NaN, List.of(1.0, 0.1)).firstUnstable());
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

    private static Results.Run<RunSpec> lenetRun(Norm norm, int batch, long seed, double finalTestAcc) {
        RunSpec c = RunSpec.lenet(Activation.Kind.RELU).withNorm(norm).withBatchSize(batch).withSeed(seed);
        List<RunLog.Point> points = List.of(new RunLog.Point(5, 0, Trainer.TEST_ACC, 0.1), new RunLog.Point(10, 1, Trainer.TEST_ACC, finalTestAcc));
        return new Results.Run<>(c, RunLog.restore(points, -1, null, null, 0));
    }

    @Test
    void batchSizeStatisticsPairIncreasesBySeed() {
        // seed 0: BN 0.30 → 0.60 (+0.30), GN 0.25 → 0.30 (+0.05): 0.25; seed 1: BN +0.20, GN +0.10: 0.10 → mean 0.175
        List<Results.Run<RunSpec>> runs = List.of(
                lenetRun(Norm.BN, 32, 0, 0.70), lenetRun(Norm.BN, 2, 0, 0.40), lenetRun(Norm.GN(2), 32, 0, 0.75), lenetRun(Norm.GN(2), 2, 0, 0.70),
                lenetRun(Norm.BN, 32, 1, 0.80), lenetRun(Norm.BN, 2, 1, 0.60), lenetRun(Norm.GN(2), 32, 1, 0.80), lenetRun(Norm.GN(2), 2, 1, 0.70));
        SweepResult<RunSpec> s = SweepResult.of("t", runs, Axes.NORM, Axes.BATCH_SIZE);
        assertEquals(0.3, BatchSizeStudy.testError(runs.get(0)), 1e-12);
        Summary increase = BatchSizeStudy.errorIncrease(s, Norm.BN, 2, 32);
        assertEquals(2, increase.n());
        assertEquals(0.25, increase.mean(), 1e-12);
        Summary diff = BatchSizeStudy.differenceOfIncreases(s, Norm.BN, Norm.GN(2), 2, 32);
        assertEquals(2, diff.n());
        assertEquals(0.175, diff.mean(), 1e-12);
        assertEquals(Math.sqrt(2 * 0.075 * 0.075), diff.sd(), 1e-12);
        Results.Run<RunSpec> diverged = new Results.Run<>(runs.get(0).spec(), RunLog.restore(List.of(), 3, "NaN", null, 0));
        assertEquals(0.9, BatchSizeStudy.testError(diverged), 1e-12, "divergence policy: a diverged run errs at chance, 1 − 0.1");
    }

    @Test
    void groupNormEquivalencesAreMeasuredAsTheLargestOutputDifference() {
        assertEquals(1.0, BatchSizeStudy.maxAbsDifference(Tensor.of(new float[] {1, 2, 3}, 3),
                Tensor.of(new float[] {1, 2.5f, 2}, 3)), 1e-12);
        Summary ln = BatchSizeStudy.groupEquivalence(false, 3), in = BatchSizeStudy.groupEquivalence(true, 3);
        assertEquals(3, ln.n());
        assertTrue(ln.hi() < BatchSizeStudy.SAME_OUTPUT && in.hi() < BatchSizeStudy.SAME_OUTPUT, ln + " " + in);
        // The statistic can fail: two groups are not LayerNorm.
        var x = Tensor.randn(new Rng(0), 3f, 4, 6, 12, 12);
        double twoGroups = BatchSizeStudy.maxAbsDifference(new GroupNorm(2, 6).forward(x, Mode.TRAIN),
                new LayerNorm(6, 12, 12).forward(x, Mode.TRAIN));
        assertTrue(twoGroups > 0.01, "GN(2) vs LN: " + twoGroups);
    }

    @Test
    void placementStatisticIsBeforeMinusAfterPerActivationPairedBySeed() {
        BiFunction<Placement, Long, Function<Double, Results.Run<RunSpec>>> make = (p, seed) -> acc -> {
            RunSpec c = RunSpec.mlp(List.of(8), Activation.Kind.SIGMOID).withNorm(Norm.BN).withPlacement(p).withSeed(seed);
            return new Results.Run<>(c, RunLog.restore(List.of(new RunLog.Point(10, 1, Trainer.TEST_ACC, acc)), -1, null, null, 0));
        };
        var before = Placement.BEFORE;
        var after = Placement.AFTER;
        List<Results.Run<RunSpec>> runs = List.of(make.apply(before, 0L).apply(0.80), make.apply(after, 0L).apply(0.75),
                make.apply(before, 1L).apply(0.70), make.apply(after, 1L).apply(0.72));
        Summary d = PlacementStudy.beforeMinusAfter(SweepResult.of("t", runs, Axes.PLACEMENT), Activation.Kind.SIGMOID);
        assertEquals(2, d.n());
        assertEquals(0.015, d.mean(), 1e-12);  // (0.05 − 0.02) / 2
        assertEquals(0, PlacementStudy.beforeMinusAfter(SweepResult.of("t", runs, Axes.PLACEMENT), Activation.Kind.RELU).n(),
                "no ReLU runs: no pairs");
    }

    private static Results.Run<RunSpec> gapRun(Norm norm, double dropout, long seed, double trainEvalAcc, double testAcc) {
        RunSpec c = RunSpec.mlp(List.of(8), Activation.Kind.RELU).withNorm(norm).withDropout(dropout).withSeed(seed);
        return new Results.Run<>(c, RunLog.restore(List.of(new RunLog.Point(10, 1, Experiment.TRAIN_EVAL_ACC, trainEvalAcc),
                new RunLog.Point(10, 1, Trainer.TEST_ACC, testAcc)), -1, null, null, 0));
    }

    @Test
    void gapIsEvalTrainAccuracyMinusTestAccuracyAndInteractionsPairBySeed() {
        assertEquals(0.15, RegularizationStudy.gap(gapRun(Norm.NONE, 0, 0, 0.95, 0.80)), 1e-12);
        // seed 0: none 0.20 → 0.10 with dropout (−0.10), BN 0.08 → 0.06 (−0.02): 0.10 − 0.02 = 0.08
        // seed 1: none 0.30 → 0.10 (0.20), BN 0.10 → 0.05 (0.05): 0.15          → mean 0.115
        List<Results.Run<RunSpec>> runs = List.of(
                gapRun(Norm.NONE, 0, 0, 1.0, 0.80), gapRun(Norm.NONE, 0.5, 0, 0.90, 0.80), gapRun(Norm.BN, 0, 0, 0.90, 0.82), gapRun(Norm.BN, 0.5, 0, 0.88, 0.82),
                gapRun(Norm.NONE, 0, 1, 1.0, 0.70), gapRun(Norm.NONE, 0.5, 1, 0.85, 0.75), gapRun(Norm.BN, 0, 1, 0.90, 0.80), gapRun(Norm.BN, 0.5, 1, 0.85, 0.80),
                gapRun(Norm.BN, 0, 2, 0.90, 0.80));  // seed 2 has no partners: left out
        SweepResult<RunSpec> s = SweepResult.of("t", runs, Axes.NORM, Axes.DROPOUT);
        Summary i = s.pairedInteraction(c -> c.norm() == Norm.NONE && c.dropout() == 0, c -> c.norm() == Norm.NONE && c.dropout() == 0.5,
                c -> c.norm() == Norm.BN && c.dropout() == 0, c -> c.norm() == Norm.BN && c.dropout() == 0.5, RegularizationStudy::gap);
        assertEquals(2, i.n());
        assertEquals(0.115, i.mean(), 1e-12);
        assertEquals(Math.sqrt(2 * 0.035 * 0.035), i.sd(), 1e-12);
        Summary plain = s.pairedDifference(c -> c.norm() == Norm.NONE && c.dropout() == 0, c -> c.norm() == Norm.BN && c.dropout() == 0, RegularizationStudy::gap);
        assertEquals(0.16, plain.mean(), 1e-12);  // (0.20 − 0.08 + 0.30 − 0.10) / 2
    }

    @Test
    void affineStatisticIsLearnedMinusFixedPairedBySeedWithADivergedRunAtChance() {
        BiFunction<AffineStudy.Arm, Long, Function<Double, Results.Run<RunSpec>>> make = (arm, seed) -> acc -> {
            RunSpec c = AffineStudy.ARM.apply(RunSpec.mlp(List.of(8), Activation.Kind.SIGMOID), arm).withSeed(seed);
            RunLog log = Double.isNaN(acc) ? RunLog.restore(List.of(), 3, "loss NaN", null, 0)
                    : RunLog.restore(List.of(new RunLog.Point(10, 1, Trainer.TEST_ACC, acc)), -1, null, null, 0);
            return new Results.Run<>(c, log);
        };
        List<Results.Run<RunSpec>> runs = List.of(make.apply(AffineStudy.Arm.BN_LEARNED, 0L).apply(0.80), make.apply(AffineStudy.Arm.BN_FIXED, 0L).apply(0.70),
                make.apply(AffineStudy.Arm.NO_BN, 0L).apply(0.50), make.apply(AffineStudy.Arm.BN_LEARNED, 1L).apply(0.60),
                make.apply(AffineStudy.Arm.BN_FIXED, 1L).apply(Double.NaN), make.apply(AffineStudy.Arm.NO_BN, 1L).apply(0.40));
        SweepResult<RunSpec> s = SweepResult.of("t", runs, AffineStudy.ARM);
        Summary d = AffineStudy.difference(s, AffineStudy.Arm.BN_LEARNED, AffineStudy.Arm.BN_FIXED);
        assertEquals(2, d.n());
        assertEquals((0.10 + 0.50) / 2, d.mean(), 1e-12, "seed 1: the fixed arm diverged and counts at chance, 0.1");
        assertEquals(AffineStudy.Arm.BN_FIXED, AffineStudy.Arm.of(runs.get(1).spec()));
        assertEquals(Norm.NONE, runs.get(2).spec().norm());
        assertTrue(!runs.get(1).spec().normAffine() && runs.get(0).spec().normAffine());
    }

    @Test
    void scaleInvarianceGrowthIsTheLogRatioOfSquaredNormsMeanOverLayers() {
        List<RunLog.Point> points = new ArrayList<>();
        double[][] norms = {{1, 2, 4}, {2, 2, 2}};  // layer 1: ‖w‖ 1 → 2 → 4 at steps 10, 20, 40; layer 2 constant
        int[] steps = {10, 20, 40};
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < 3; i++) points.add(new RunLog.Point(steps[i], i, "bn" + (k + 1) + "/weight_norm", norms[k][i]));
        }
        RunLog log = RunLog.restore(points, -1, null, null, 0);
        assertEquals((2 * Math.log(4) + 0) / 2, ScaleInvarianceStudy.logGrowth(log, false), 1e-12, "from the first log point");
        assertEquals((2 * Math.log(2) + 0) / 2, ScaleInvarianceStudy.logGrowth(log, true), 1e-12, "from step 20, half of 40");
        assertTrue(Double.isNaN(ScaleInvarianceStudy.logGrowth(RunLog.restore(List.of(), -1, null, null, 0), false)), "no BN layers logged");
    }
}
