package org.normlab.studies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.experiment.Engine;
import org.normlab.experiment.Progress;
import org.normlab.experiment.ResultStore;
import org.normlab.experiment.Results;
import org.normlab.experiment.RunSpec;
import org.normlab.experiment.Scale;
import org.normlab.experiment.Schedule;
import org.normlab.experiment.Summary;
import org.normlab.experiment.Verdict;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;

/** C21's statistics on hand-made runs (best rate per seed, the sign and McNemar counts, pairing, TOST at zero spread), its plan, and the study at smoke scale. */
class LearningRatePracticeStudyTest {
    private static final RunSpec BASE = RunSpec.mlp(List.of(8), Activation.Kind.RELU);

    /** A run of {@code seed} at {@code lr} that ends with test (here: validation) accuracy {@code acc} and test loss {@code loss}. */
    private static Results.Run<RunSpec> run(long seed, double lr, double acc, double loss) {
        List<RunLog.Point> p = List.of(new RunLog.Point(10, 1, Trainer.TEST_ACC, acc), new RunLog.Point(10, 1, Trainer.TEST_LOSS, loss));
        return new Results.Run<>(BASE.withLr(lr).withSeed(seed), RunLog.restore(p, -1, null, null, 0));
    }

    private static Results.Run<RunSpec> diverged(long seed, double lr) {
        return new Results.Run<>(BASE.withLr(lr).withSeed(seed), RunLog.restore(List.of(), 3, "loss 1e4 > 1e3", null, 0));
    }

    private static Results.Run<RunSpec> failed(long seed, double lr) {
        return new Results.Run<>(BASE.withLr(lr).withSeed(seed), RunLog.restore(List.of(), -1, null, "out of memory", 0));
    }

    @Test
    void theGridIsExactPowersOfTwoSoScaledRatesAreGridValues() {
        List<Double> g = LearningRatePracticeStudy.log2Grid(-7, 1);
        assertEquals(9, g.size());
        assertEquals(0.0078125, g.get(0));
        assertEquals(2.0, g.get(8));
        for (double eta : g.subList(0, 4)) for (int k : List.of(2, 4, 8, 16)) assertTrue(g.contains(k * eta), k + "·" + eta);
        assertThrows(IllegalArgumentException.class, () -> LearningRatePracticeStudy.log2Grid(1, 1));
    }

    @Test
    void theBestRatePerSeedTakesTheSmallerRateOnATieAndNoneWhenEveryRunDiverged() {
        List<Results.Run<RunSpec>> runs = List.of(
                run(0, 0.5, 0.80, 0.5), run(0, 0.125, 0.80, 0.5), run(0, 0.25, 0.79, 0.5),   // tie 0.125 / 0.5: the smaller
                run(1, 0.125, 0.70, 0.5), run(1, 0.25, 0.75, 0.5), diverged(1, 0.5),         // diverged: at chance, not best
                diverged(2, 0.125), diverged(2, 0.25), failed(2, 0.5),                        // no best rate at all
                run(3, 0.125, 0.05, 0.5), diverged(3, 0.25));                                 // a diverged run scores 0.1 > 0.05
        Map<Long, Double> best = LearningRatePracticeStudy.bestRatePerSeed(runs);
        assertEquals(0.125, best.get(0L));
        assertEquals(0.25, best.get(1L));
        assertTrue(Double.isNaN(best.get(2L)));
        assertEquals(0.25, best.get(3L), "a diverged run scores chance (0.1), above a finished run at 0.05");
    }

    @Test
    void theSignValueIsKnownForDifferentGridValuesEvenAtAnEdgeAndUndecidedOnTies() {
        List<Double> grid = LearningRatePracticeStudy.log2Grid(-3, 0);
        Map<Long, Double> bn = new LinkedHashMap<>(), none = new LinkedHashMap<>();
        bn.put(0L, 1.0);    none.put(0L, 0.25);   // BN at the top edge (censored), none inside: BN certainly higher
        bn.put(1L, 1.0);    none.put(1L, 1.0);    // both at the top edge: unknown
        bn.put(2L, 0.125);  none.put(2L, 0.5);    // BN at the bottom edge: certainly lower
        bn.put(3L, 0.5);    none.put(3L, 0.25);
        bn.put(4L, Double.NaN); none.put(4L, 0.25);  // BN's runs all diverged: excluded
        bn.put(5L, 0.5);                          // none has no seed 5: missing
        Summary s = LearningRatePracticeStudy.certainlyHigher(bn, none);
        assertArrayEquals(new double[] {1, 0, 1}, s.values());
        assertEquals(3, s.missing());
        assertEquals("top", LearningRatePracticeStudy.gridEdge(1.0, grid));
        assertEquals("bottom", LearningRatePracticeStudy.gridEdge(0.125, grid));
        assertEquals("", LearningRatePracticeStudy.gridEdge(0.25, grid));
        assertEquals("", LearningRatePracticeStudy.gridEdge(Double.NaN, grid));
    }

    @Test
    void theSignTestDecidesOnlyWithSixSeedsAllOneWay() {
        Verdict.Criterion higher = new LearningRatePracticeStudy().criteria(Scale.DEFAULT).get(0);
        Map<Long, Double> bn = new LinkedHashMap<>(), none = new LinkedHashMap<>();
        for (long s = 0; s < 8; s++) {
            bn.put(s, s < 6 ? 0.5 : 0.25);
            none.put(s, 0.25);
        }
        Verdict six = higher.judge(LearningRatePracticeStudy.certainlyHigher(bn, none));
        assertEquals(Verdict.Outcome.SUPPORTED, six.outcome(), six.toString());
        assertEquals(2 * Math.pow(0.5, 6), six.evidence().p(), 1e-12);
        bn.put(5L, 0.25);  // five decided: 2·½⁵ = 0.0625, not enough
        Verdict five = higher.judge(LearningRatePracticeStudy.certainlyHigher(bn, none));
        assertEquals(Verdict.Outcome.INCONCLUSIVE, five.outcome(), five.toString());
        assertEquals(3, five.statistic().missing());
    }

    @Test
    void pairingBySeedAcrossSweepsCountsMissingSeedsAndRefusesTwoRunsOfOneSeed() {
        List<Results.Run<RunSpec>> a = List.of(run(0, 0.1, 0.80, 0.5), run(1, 0.1, 0.82, 0.5), run(2, 0.1, 0.81, 0.5));
        List<Results.Run<RunSpec>> b = List.of(run(1, 0.2, 0.80, 0.5), run(0, 0.2, 0.75, 0.5), diverged(3, 0.2));
        Summary d = LearningRatePracticeStudy.pairBySeed(a, b, r -> r.log().diverged() ? 0.1 : r.log().last(Trainer.TEST_ACC));
        assertEquals(2, d.n());
        assertEquals(2, d.missing(), "seed 2 has no partner, seed 3 none either");
        assertEquals(0.05, d.values()[0], 1e-12);
        assertEquals(0.02, d.values()[1], 1e-12);
        List<Results.Run<RunSpec>> twice = List.of(run(0, 0.1, 0.8, 0.5), run(0, 0.2, 0.8, 0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LearningRatePracticeStudy.pairBySeed(twice, a, r -> 0));
        assertTrue(e.getMessage().contains("seed 0"), e.getMessage());
    }

    @Test
    void mcNemarCountsOnlyTheSeedsWhereExactlyOneRunDiverged() {
        List<Results.Run<RunSpec>> without = List.of(diverged(0, 1), diverged(1, 1), run(2, 1, 0.5, 1), diverged(3, 1), failed(4, 1), run(5, 1, 0.5, 1));
        List<Results.Run<RunSpec>> with = List.of(run(0, 1, 0.6, 1), diverged(1, 1), run(2, 1, 0.6, 1), run(3, 1, 0.6, 1), run(4, 1, 0.6, 1), diverged(5, 1));
        Summary s = LearningRatePracticeStudy.onlyWithoutDiverged(without, with);
        assertArrayEquals(new double[] {1, 1, 0}, s.values());
        assertEquals(3, s.missing(), "both diverged, neither diverged, and a failed run: undecided");
        List<Verdict.Criterion> c = new LearningRatePracticeStudy().criteria(Scale.DEFAULT);
        Verdict v = c.get(c.size() - 2).judge(s);
        assertEquals(Verdict.Outcome.INCONCLUSIVE, v.outcome());
        assertTrue(v.evidence().test().contains("2 of 3 decided, 3 undecided"), v.evidence().test());
    }

    @Test
    void identicalRunsAreEquivalentByTostAndGiveNoDecisionOnTheDifferenceClaim() {
        List<Verdict.Criterion> c = new LearningRatePracticeStudy().criteria(Scale.DEFAULT);
        Summary zeros = Summary.of(0, 0, 0, 0, 0, 0, 0, 0);
        Verdict scaling = c.get(4).judge(zeros);
        assertEquals(Verdict.Direction.WITHIN, scaling.criterion().direction());
        assertEquals(Verdict.Outcome.SUPPORTED, scaling.outcome(), "the tuned rate is k·η₁: the same runs");
        assertEquals(0, scaling.evidence().p());
        Verdict loses = c.get(1).judge(zeros);
        assertEquals(Verdict.Outcome.INCONCLUSIVE, loses.outcome(), "BN's tuned rate is none's: no difference to test");
        assertEquals(1, loses.evidence().p());
        Verdict outside = c.get(4).judge(Summary.of(0.05, 0.06, 0.055, 0.052, 0.058));
        assertEquals(Verdict.Outcome.NOT_SUPPORTED, outside.outcome(), outside.toString());
    }

    @Test
    void thePlanDeclaresNineCriteriaAndTheWarmupControlIsTheScaledRunAtTheLargestBatch() {
        LearningRatePracticeStudy study = new LearningRatePracticeStudy();
        for (Scale scale : Scale.values()) assertEquals(9, study.criteria(scale).size(), scale.toString());
        Scale scale = Scale.DEFAULT;
        double eta1 = 0.125;
        int largest = LearningRatePracticeStudy.BASE_BATCH * LearningRatePracticeStudy.largestMultiple();
        RunSpec scaled = LearningRatePracticeStudy.scalingSweep(scale).specs().stream().filter(s -> s.batchSize() == largest && s.seed() == 0)
                .findFirst().orElseThrow().withLr(LearningRatePracticeStudy.largestMultiple() * eta1);
        List<RunSpec> warm = LearningRatePracticeStudy.warmupSweep(scale, LearningRatePracticeStudy.largestMultiple() * eta1).specs();
        assertEquals(LearningRatePracticeStudy.scalingSweep(scale).name(), LearningRatePracticeStudy.warmupSweep(scale, 1).name(), "one store folder");
        RunSpec constant = warm.stream().filter(s -> s.schedule() == Schedule.CONSTANT && s.seed() == 0).findFirst().orElseThrow();
        assertEquals(scaled.key(), constant.key(), "the constant arm is the scaled arm's run, stored once");
        RunSpec warmed = warm.stream().filter(s -> s.schedule() != Schedule.CONSTANT && s.seed() == 0).findFirst().orElseThrow();
        assertEquals(Schedule.warmup(LearningRatePracticeStudy.warmupSteps(scale), Schedule.CONSTANT), warmed.schedule());
        assertEquals(7, LearningRatePracticeStudy.warmupSteps(scale), "half of the 15 steps of an epoch of 8000 images at batch 512");
        List<Integer> batches = new ArrayList<>();
        for (RunSpec s : LearningRatePracticeStudy.scalingSweep(scale).specs()) if (s.seed() == 0) batches.add(s.batchSize());
        assertEquals(List.of(32, 64, 128, 256, 512), batches);
    }

    @Test
    void theStudyRunsAtSmokeScaleWithEveryVerdictAndTable() {
        Dataset train = FashionMnist.fromEnvironment().load(FashionMnist.Split.TRAIN), test = FashionMnist.fromEnvironment().load(FashionMnist.Split.TEST);
        LearningRatePracticeStudy.Report r = new LearningRatePracticeStudy().run(Scale.SMOKE, train, test, ResultStore.none(), Progress.none(), Engine.local(2));
        assertEquals(9, r.findings().verdicts().size());
        assertEquals(LearningRatePracticeStudy.CLAIMED_MULTIPLES.size(), r.c21Scaling().size());
        assertEquals(LearningRatePracticeStudy.MULTIPLES.size(), r.scalingTable().rowCount());
        assertEquals(6, r.retuneFinals().rowCount());
        assertEquals(2 * 2 * LearningRatePracticeStudy.seeds(Scale.SMOKE), r.bestRatePerSeed().rowCount());
        assertEquals(List.of(r.ioffeAnchor(), r.goyalAnchor()), r.anchors());
        assertEquals(4, r.ioffeAnchor().features().size(), "a rate and an accuracy feature per network");
        assertEquals(r.mlp().lr(Norm.BN) > r.mlp().lr(Norm.NONE), r.ioffeAnchor().features().get(0).holds());
        assertEquals(r.scaling().eta1() * LearningRatePracticeStudy.largestMultiple(),
                r.scaling().scaled().where(c -> c.batchSize() == 512).get(0).spec().lr(), 0);
    }
}
