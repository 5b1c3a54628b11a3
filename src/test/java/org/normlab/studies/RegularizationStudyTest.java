package org.normlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.experiment.Anchor;
import org.normlab.experiment.Axes;
import org.normlab.experiment.Experiment;
import org.normlab.experiment.Results;
import org.normlab.experiment.RunSpec;
import org.normlab.experiment.Scale;
import org.normlab.experiment.SweepResult;
import org.normlab.norm.Norm;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;

/** The regularization study's anchor on hand-made final accuracies. */
class RegularizationStudyTest {
    private static Results.Run<RunSpec> run(Norm norm, double trainAcc, double testAcc) {
        RunSpec c = RegularizationStudy.base(Scale.SMOKE).withNorm(norm).withSeed(0);
        List<RunLog.Point> points = List.of(new RunLog.Point(10, 0, Experiment.TRAIN_EVAL_ACC, trainAcc), new RunLog.Point(10, 0, Trainer.TEST_ACC, testAcc));
        return new Results.Run<>(c, RunLog.restore(points, -1, null, null, 0));
    }

    @Test
    void noisierStatisticsThatFitLessYetTestBetterMatchWuAndHesShape() {
        var bn = run(Norm.BN, 0.95, 0.85);
        var dropout = SweepResult.of("d", List.of(run(Norm.NONE, 0.99, 0.80), bn), Axes.NORM, Axes.DROPOUT);
        var ghost = SweepResult.of("g", List.of(run(Norm.GHOST(8), 0.93, 0.86), bn), Axes.NORM);
        assertEquals(Anchor.Shape.YES, RegularizationStudy.anchor(dropout, ghost).shape());
        var ghostFitsMore = SweepResult.of("g", List.of(run(Norm.GHOST(8), 0.97, 0.84), bn), Axes.NORM);
        Anchor partly = RegularizationStudy.anchor(dropout, ghostFitsMore);
        assertEquals(Anchor.Shape.PARTLY, partly.shape());
        assertEquals(List.of(true, true, false, false), partly.features().stream().map(Anchor.Feature::holds).toList());
    }
}
