package org.normlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.experiment.Axes;
import org.normlab.experiment.Experiment;
import org.normlab.experiment.Results;
import org.normlab.experiment.RunSpec;
import org.normlab.experiment.Scale;
import org.normlab.experiment.Summary;
import org.normlab.experiment.SweepResult;
import org.normlab.nn.Linear;
import org.normlab.norm.Norm;
import org.normlab.tensor.Rng;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;
import java.util.ArrayList;

class OtherNormsStudyTest {
    private static Results.Run<RunSpec> run(Norm norm, long seed, int divergedAt, double... loss) { return runAt(20, norm, seed, divergedAt, loss); }

    private static Results.Run<RunSpec> runAt(int depth, Norm norm, long seed, int divergedAt, double... loss) {
        List<RunLog.Point> points = new ArrayList<>();
        for (int i = 0; i < loss.length; i++) points.add(new RunLog.Point(10 * (i + 1), 0, Trainer.TRAIN_LOSS, loss[i]));
        RunSpec spec = OtherNormsStudy.DEPTH.apply(OtherNormsStudy.deepSweep(Scale.SMOKE).specs().get(0), depth).withNorm(norm).withSeed(seed);
        return new Results.Run<>(spec, RunLog.restore(points, divergedAt, divergedAt >= 0 ? "loss NaN" : null, null, 0));
    }

    @Test
    void theDepthAxisBuildsThatManyLinearLayersAndIsReadBack() {
        RunSpec base = OtherNormsStudy.deepSweep(Scale.SMOKE).base();
        for (int depth : List.of(20, 50, 100)) {
            RunSpec s = OtherNormsStudy.DEPTH.apply(base, depth);
            assertEquals(depth, OtherNormsStudy.DEPTH.get(s));
            assertEquals(depth, Experiment.model(s, new Rng(0)).layers().stream().filter(l -> l instanceof Linear).count());
        }
        assertEquals(0, OtherNormsStudy.DEPTH.get(OtherNormsStudy.lrnSweep(Scale.SMOKE).base()), "LeNet has no MLP depth");
        assertEquals(List.of(20, 50), OtherNormsStudy.deepSweep(Scale.DEFAULT).specs().stream().map(OtherNormsStudy.DEPTH::get).distinct().toList());
        assertEquals(List.of(20, 50, 100), OtherNormsStudy.depths(Scale.FULL));
    }

    @Test
    void everyDepthHasItsCriterionAndTheFiftyLayerOneSaysItCameAfterExploratoryRuns() {
        var study = new OtherNormsStudy();
        List<String> claims = study.criteria(Scale.DEFAULT).stream().map(c -> c.claim()).toList();
        assertEquals(List.of("C12", "C15 (20-layer MLP)", "C15 (MBConv)", "C15 (50-layer MLP)"), claims);
        assertTrue(study.criteria(Scale.FULL).stream().anyMatch(c -> c.claim().equals("C15 (100-layer MLP)") && !c.changed()));
        assertTrue(study.criteria(Scale.DEFAULT).get(3).changed() && study.criteria(Scale.DEFAULT).get(3).registration().contains("exploratory"));
        assertTrue(study.criteria(Scale.DEFAULT).get(1).statistic().contains("at depth 20") && study.criteria(Scale.DEFAULT).get(1).registration().contains("depth axis"));
        assertFalse(claims.contains("C15 (100-layer MLP)"));
    }

    @Test
    void eachDepthIsComparedWithinItself() {
        SweepResult<RunSpec> s = SweepResult.of("t", List.of(runAt(20, Norm.NONE, 0, -1, 1.0), runAt(20, Norm.BN, 0, -1, 0.4),
                runAt(50, Norm.NONE, 0, -1, 2.3), runAt(50, Norm.BN, 0, -1, 1.9), runAt(50, Norm.NONE, 1, 40, 2.3), runAt(50, Norm.BN, 1, -1, 2.0)),
                Axes.NORM, OtherNormsStudy.DEPTH);
        assertEquals(0.6, OtherNormsStudy.deepDifference(s, 20).mean(), 1e-12);
        assertEquals(1, OtherNormsStudy.deepDifference(s, 20).n());
        Summary d50 = OtherNormsStudy.deepDifference(s, 50);
        assertEquals(2, d50.n());
        assertEquals(((2.3 - 1.9) + (Math.log(10) - 2.0)) / 2, d50.mean(), 1e-12, "a diverged none run counts at ln 10");
    }

    @Test
    void aDivergedRunCountsAtChanceLoss() {
        assertEquals(0.5, OtherNormsStudy.finalLossOrChance(run(Norm.BN, 0, -1, 2.0, 0.5)), 1e-12);
        assertEquals(Math.log(10), OtherNormsStudy.finalLossOrChance(run(Norm.NONE, 0, 30, 2.0, 0.5)), 1e-12);
    }

    @Test
    void thePairedDifferenceKeepsSeedsWhoseNoneRunDiverged() {
        SweepResult<RunSpec> s = SweepResult.of("t", List.of(run(Norm.NONE, 0, 20, 2.0), run(Norm.BN, 0, -1, 2.0, 0.3),
                run(Norm.NONE, 1, -1, 1.0, 0.9), run(Norm.BN, 1, -1, 1.0, 0.4)), Axes.NORM);
        Summary d = s.pairedDifference(c -> c.norm() == Norm.NONE, c -> c.norm() == Norm.BN, OtherNormsStudy::finalLossOrChance);
        assertEquals(2, d.n());
        assertEquals(((Math.log(10) - 0.3) + (0.9 - 0.4)) / 2, d.mean(), 1e-12);
    }
}
