package org.normlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.diagnostics.BatchEstimates;
import org.normlab.experiment.Engine;
import org.normlab.experiment.Progress;
import org.normlab.experiment.ResultStore;
import org.normlab.experiment.Scale;
import org.normlab.experiment.Verdict;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;

/** The statistics of the small-batch study on hand-made logs, and the whole study at smoke scale. */
class SmallBatchStudyTest {
    private static RunLog losses(double... loss) {
        List<RunLog.Point> p = new ArrayList<>();
        for (int i = 0; i < loss.length; i++) p.add(new RunLog.Point(i + 1, i, Trainer.TRAIN_LOSS, loss[i]));
        return RunLog.restore(p, -1, null, null, 0);
    }

    @Test
    void aSpikeIsALossAboveOneAndAHalfTimesTheMedianOfTheFiveBefore() {
        // Points 5..8 are judged: 1.6 > 1.5·1 (spike), then 1.0, 1.4 (median of 1,1,1,1.6,1 is 1: 1.4 < 1.5), 3 (spike).
        assertEquals(2.0 / 4, SmallBatchStudy.spikeShare(losses(1, 1, 1, 1, 1, 1.6, 1.0, 1.4, 3)), 1e-12);
        assertEquals(0, SmallBatchStudy.spikeShare(losses(5, 4, 3, 2, 1, 0.9, 0.8)), 0, "a falling loss has no spikes");
        assertTrue(Double.isNaN(SmallBatchStudy.spikeShare(losses(1, 2, 3, 4, 5))), "five points judge none");
        assertEquals(1, SmallBatchStudy.spikeShare(RunLog.restore(List.of(), 3, "nan", null, 0)), 0, "a diverged run counts as all spikes");
    }

    @Test
    void theSlopeOfAnExactTwoOverNMinusOneLawIsMinusOne() {
        List<RunLog.Point> p = new ArrayList<>();
        for (int step : new int[] {10, 20}) {
            for (int b : BatchEstimates.BATCH_SIZES) {
                p.add(new RunLog.Point(step, 0, BatchEstimates.metric(1, b, BatchEstimates.VAR_REL_MSE), 2.0 / (b - 1)));
                p.add(new RunLog.Point(step, 0, BatchEstimates.metric(1, b, BatchEstimates.VAR_REL_MSE_PREDICTED), 2.0 / (b - 1) * 1.1));
            }
        }
        RunLog log = RunLog.restore(p, -1, null, null, 0);
        assertEquals(-1, SmallBatchStudy.varianceErrorSlope(log), 1e-12);
        assertEquals(Math.log(1.1), SmallBatchStudy.predictionError(log, 1), 1e-12);
        assertTrue(Double.isNaN(SmallBatchStudy.varianceErrorSlope(RunLog.restore(List.of(), 3, "nan", null, 0))));
    }

    @Test
    void theStudyRunsAtSmokeScaleAndJudgesEveryCriterion() {
        Dataset train = FashionMnist.fromEnvironment().load(FashionMnist.Split.TRAIN), test = FashionMnist.fromEnvironment().load(FashionMnist.Split.TEST);
        SmallBatchStudy.Report r = new SmallBatchStudy().run(Scale.SMOKE, train, test, ResultStore.none(), Progress.none(), Engine.local(2));
        assertEquals(4, r.findings().verdicts().size(), "four criteria judged");
        assertFalse(r.c19Falls().outcome() == Verdict.Outcome.NOT_SUPPORTED, r.c19Falls().toString());
        assertTrue(r.estimateErrors().rowCount() > 0);
        assertEquals(SmallBatchStudy.NORMS.size() * SmallBatchStudy.batchSizes(Scale.SMOKE).size(), r.divergence().rowCount());
    }
}
