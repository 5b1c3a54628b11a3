package org.normlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.experiment.Anchor;
import org.normlab.experiment.Axes;
import org.normlab.experiment.Results;
import org.normlab.experiment.RunSpec;
import org.normlab.experiment.SweepResult;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.diagnostics.LossLandscape;
import org.normlab.train.RunLog;

/** The statistics of the covariate-shift study on hand-made logs with known answers. */
class CovariateShiftStudyTest {
    private static Results.Run<RunSpec> run(Norm norm, long seed, double[] p15, double[] p50, double[] p85, double[] lossRange) {
        List<RunLog.Point> points = new ArrayList<>();
        String probe = "probe/" + CovariateShiftStudy.PROBE + "/";
        for (int i = 0; i < p50.length; i++) {
            points.add(new RunLog.Point(10 * (i + 1), i, probe + "p15", p15[i]));
            points.add(new RunLog.Point(10 * (i + 1), i, probe + "p50", p50[i]));
            points.add(new RunLog.Point(10 * (i + 1), i, probe + "p85", p85[i]));
            points.add(new RunLog.Point(10 * (i + 1), i, LossLandscape.LOSS_RANGE, lossRange[i]));
        }
        RunSpec c = RunSpec.mlp(List.of(8), Activation.Kind.SIGMOID).withNorm(norm).withSeed(seed);
        return new Results.Run<>(c, RunLog.restore(points, -1, null, null, 0));
    }

    @Test
    void percentileDriftIsTheMeanDistanceTravelledByTheThreePercentilesFromFirstToLastLog() {
        // p15: −1 → −3 (2), p50: 0 → 0.5 via a detour (0.5: only the end points count), p85: 1 → 1 (0) → (2 + 0.5 + 0) / 3.
        var r = run(Norm.NONE, 0, new double[] {-1, -2, -3}, new double[] {0, 5, 0.5}, new double[] {1, 2, 1}, new double[] {0.1, 0.2, 0.6});
        assertEquals(2.5 / 3, CovariateShiftStudy.percentileDrift(r, CovariateShiftStudy.PROBE), 1e-12);
        assertEquals(0.3, CovariateShiftStudy.meanOver(r, LossLandscape.LOSS_RANGE), 1e-12);
        var flat = run(Norm.BN, 0, new double[] {-1, -1}, new double[] {0, 0}, new double[] {1, 1}, new double[] {0, 0});
        assertEquals(0, CovariateShiftStudy.percentileDrift(flat, CovariateShiftStudy.PROBE), 0);
        var single = run(Norm.BN, 0, new double[] {-1}, new double[] {0}, new double[] {1}, new double[] {0});
        assertTrue(Double.isNaN(CovariateShiftStudy.percentileDrift(single, CovariateShiftStudy.PROBE)), "one point has no drift");
        var diverged = new Results.Run<>(flat.spec(), RunLog.restore(List.of(), 3, "nan", null, 0));
        assertTrue(Double.isNaN(CovariateShiftStudy.percentileDrift(diverged, CovariateShiftStudy.PROBE)));
        assertTrue(Double.isNaN(CovariateShiftStudy.meanOver(diverged, LossLandscape.LOSS_RANGE)));
        // Paired by seed, none − BN.
        SweepResult<RunSpec> s = SweepResult.of("t", List.of(r, flat), Axes.NORM);
        assertEquals(2.5 / 3, s.pairedDifference(c -> c.norm().equals(Norm.NONE), c -> c.norm().equals(Norm.BN),
                x -> CovariateShiftStudy.percentileDrift(x, CovariateShiftStudy.PROBE)).mean(), 1e-12);
    }

    @Test
    void theC4AnchorIsMatchedWhenNoneDriftsAndBnStaysFlatAndNotWhenTheyAreSwapped() {
        // none: spread 2 at the start, every percentile moves by 1 → 0.5 × spread; BN: spread 2, moves by 0.1 → 0.05 × spread.
        var drifting = run(Norm.NONE, 0, new double[] {-1, 0}, new double[] {0, 1}, new double[] {1, 2}, new double[] {0, 0});
        var flat = run(Norm.BN, 0, new double[] {-1, -0.9}, new double[] {0, 0.1}, new double[] {1, 1.1}, new double[] {0, 0});
        assertEquals(0.5, CovariateShiftStudy.relativeDrift(drifting, CovariateShiftStudy.PROBE), 1e-12);
        assertEquals(Anchor.Shape.YES, CovariateShiftStudy.anchorC4(SweepResult.of("t", List.of(drifting, flat), Axes.NORM)).shape());
        var swappedNone = run(Norm.NONE, 0, new double[] {-1, -0.9}, new double[] {0, 0.1}, new double[] {1, 1.1}, new double[] {0, 0});
        var swappedBn = run(Norm.BN, 0, new double[] {-1, 0}, new double[] {0, 1}, new double[] {1, 2}, new double[] {0, 0});
        assertEquals(Anchor.Shape.NO, CovariateShiftStudy.anchorC4(SweepResult.of("t", List.of(swappedNone, swappedBn), Axes.NORM)).shape());
    }
}
