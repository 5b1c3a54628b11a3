package org.normlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.experiment.GanSpec;
import org.normlab.experiment.Results;
import org.normlab.experiment.Scale;
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
}
