package org.normlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.experiment.Axes;
import org.normlab.experiment.Results;
import org.normlab.experiment.RunSpec;
import org.normlab.experiment.Scale;
import org.normlab.experiment.Summary;
import org.normlab.experiment.SweepResult;
import org.normlab.norm.Norm;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;
import java.util.ArrayList;

class OtherNormsStudyTest {
    private static Results.Run<RunSpec> run(Norm norm, long seed, int divergedAt, double... loss) {
        List<RunLog.Point> points = new ArrayList<>();
        for (int i = 0; i < loss.length; i++) points.add(new RunLog.Point(10 * (i + 1), 0, Trainer.TRAIN_LOSS, loss[i]));
        return new Results.Run<>(OtherNormsStudy.deepSweep(Scale.SMOKE).specs().get(0).withNorm(norm).withSeed(seed),
                RunLog.restore(points, divergedAt, divergedAt >= 0 ? "loss NaN" : null, null, 0));
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
