package org.normlab.studies;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.normlab.experiment.Scale;
import org.normlab.experiment.Verdict;
import org.normlab.experiment.stats.Proportions;

class LrToleranceSeedsTest {
    /** C5's sign test must be able to decide at full scale: every seed going one way gives p below α. */
    @Test
    void fullScaleHasEnoughSeedsForTheSignTestToDecide() {
        int n = LrToleranceStudy.seeds(Scale.FULL);
        double p = Proportions.binomialTest(n, n);
        assertTrue(p < Verdict.ALPHA, "C5 at full scale: " + n + " of " + n + " seeds one way gives p = " + p + ", not below " + Verdict.ALPHA);
    }
}
