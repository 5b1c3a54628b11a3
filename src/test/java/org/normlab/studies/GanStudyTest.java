package org.normlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.experiment.Anchor;
import org.normlab.experiment.GanSpec;
import org.normlab.experiment.Results;
import org.normlab.experiment.Scale;
import org.normlab.experiment.SweepResult;
import org.normlab.norm.Norm;
import org.normlab.train.GanTrainer;
import org.normlab.train.RunLog;

class GanStudyTest {
    @Test
    void lateMeanAveragesTheLastQuarterOfTraining() {
        GanSpec c = GanStudy.base(Scale.SMOKE).withSteps(100);
        List<RunLog.Point> points = new ArrayList<>();
        double[] modes = {1, 2, 3, 4, 5, 6, 7, 8};  // logged at steps 0, 20, 40, 60, 80, 100 … (only ≤ 100 used)
        for (int i = 0; i <= 5; i++) points.add(new RunLog.Point(20 * i, 0, GanTrainer.MODES_COVERED, modes[i]));
        var run = new Results.Run<>(c, RunLog.restore(points, -1, null, null, 0));
        assertEquals((5 + 6) / 2.0, GanStudy.lateMean(run, GanTrainer.MODES_COVERED), 1e-12, "steps 80 and 100 are > 75");
        assertTrue(Double.isNaN(GanStudy.lateMean(new Results.Run<>(c, RunLog.restore(points, 50, "NaN", null, 0)), GanTrainer.MODES_COVERED)));
    }

    @Test
    void aShortGanRunLogsCoverageAndIsReproducible() {
        GanSpec c = GanStudy.base(Scale.SMOKE).withSteps(40).withLogEvery(20).withEvalSamples(256).withNorm(Norm.BN);
        RunLog a = GanStudy.train(c), b = GanStudy.train(c);
        assertEquals(a.points(), b.points());
        assertEquals(3, a.points().stream().filter(p -> p.metric().equals(GanTrainer.MODES_COVERED)).count(), "steps 0, 20, 40");
        assertTrue(a.points().stream().anyMatch(p -> p.metric().equals(GanTrainer.SAMPLE_X) && p.step() == 40));
        assertTrue(Double.isFinite(a.last(GanTrainer.D_LOSS)));
        double[][] xy = GanStudy.samplesAt(new Results.Run<>(c, a), 40);
        assertEquals(256, xy[0].length, "min(snapshot points, samples per evaluation)");
        assertEquals(256, xy[1].length);
    }

    private static Results.Run<GanSpec> tuningRun(Norm norm, double lr, long seed, double modes, double quality) {
        GanSpec c = GanStudy.base(Scale.SMOKE).withSteps(100).withNorm(norm).withLr(lr).withSeed(seed).withTuning(true);
        List<RunLog.Point> points = List.of(new RunLog.Point(100, 0, GanTrainer.MODES_COVERED, modes), new RunLog.Point(100, 0, GanTrainer.HIGH_QUALITY, quality));
        return new Results.Run<>(c, RunLog.restore(points, -1, null, null, 0));
    }

    @Test
    void eachArmGetsTheRateWithTheBestMeanScoreTheSmallerOnATie() {
        SweepResult<GanSpec> runs = SweepResult.of("t", List.of(
                tuningRun(Norm.NONE, 1e-4, 0, 4, 0.5), tuningRun(Norm.NONE, 1e-4, 1, 4, 0.5),   // 4/8 + 0.5 = 1.0
                tuningRun(Norm.NONE, 1e-3, 0, 8, 0.5), tuningRun(Norm.NONE, 1e-3, 1, 0, 0.5),   // mean (1.5 + 0.5) / 2 = 1.0: a tie
                tuningRun(Norm.BN, 1e-4, 0, 2, 0.1), tuningRun(Norm.BN, 1e-4, 1, 2, 0.1),
                tuningRun(Norm.BN, 1e-3, 0, 6, 0.6), new Results.Run<>(tuningRun(Norm.BN, 1e-3, 1, 8, 1).spec(),
                        RunLog.restore(List.of(), 50, "NaN", null, 0))), GanSpec.NORM, GanSpec.LR);   // (1.35 + 0) / 2 > 0.35
        GanStudy.Tuned t = GanStudy.choose(runs);
        assertEquals(1e-4, t.chosen().get(Norm.NONE), "a tie goes to the smaller rate");
        assertEquals(1e-3, t.chosen().get(Norm.BN), "a diverged tuning run scores 0, not dropped");
        assertEquals(0.675, t.table().doubleColumn(2).get(1), 1e-12);
        assertEquals(4, t.table().intColumn(3).get(0));
    }

    @Test
    void aTuningRunDrawsApartFromTheFinalRunOfItsSeed() {
        GanSpec c = GanStudy.base(Scale.SMOKE).withSteps(20).withLogEvery(20).withEvalSamples(128);
        assertNotEquals(GanStudy.train(c).points(), GanStudy.train(c.withTuning(true)).points());
        assertTrue(c.withTuning(true).canonical().endsWith(";tuning=true"), c.withTuning(true).canonical());
        assertFalse(c.canonical().contains("tuning"), "a final run's key is what it was before tuning runs existed");
    }

    private static Results.Run<GanSpec> coverage(Norm norm, long seed, double modes, double quality) {
        GanSpec c = GanStudy.base(Scale.SMOKE).withSteps(100).withNorm(norm).withSeed(seed);
        List<RunLog.Point> points = List.of(new RunLog.Point(100, 0, GanTrainer.MODES_COVERED, modes), new RunLog.Point(100, 0, GanTrainer.HIGH_QUALITY, quality));
        return new Results.Run<>(c, RunLog.restore(points, -1, null, null, 0));
    }

    @Test
    void theAnchorCountsCollapsedRunsBelowHalfTheModes() {
        assertTrue(GanStudy.collapsed(coverage(Norm.NONE, 0, 3.5, 0.9)));
        assertFalse(GanStudy.collapsed(coverage(Norm.NONE, 0, 4, 0.9)));
        var gan = SweepResult.of("t", List.of(coverage(Norm.NONE, 0, 1, 0.9), coverage(Norm.NONE, 1, 6, 0.5),
                coverage(Norm.BN, 0, 7, 0.6), coverage(Norm.BN, 1, 8, 0.8)), GanSpec.NORM);
        Anchor anchor = GanStudy.anchor(gan);
        assertEquals(Anchor.Shape.YES, anchor.shape());
        assertTrue(anchor.ours().contains("collapsed BN 0 of 2, none 1 of 2"), anchor.ours());
        var worse = SweepResult.of("t", List.of(coverage(Norm.NONE, 0, 8, 0.9), coverage(Norm.BN, 0, 2, 0.1)), GanSpec.NORM);
        assertEquals(Anchor.Shape.NO, GanStudy.anchor(worse).shape());
    }
}
