package org.normlab.experiment.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.normlab.experiment.stats.Reference.close;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link Bootstrap}. Java's generator (Well19937c) and numpy's draw different resamples, so SciPy is matched in two
 * ways: exactly (relative 1e-10) for the interval computed from the same replicates (SciPy's own
 * {@code _bca_interval} and {@code np.percentile} on replicates the script drew), and in distribution for the
 * whole procedure on a sample of 200, where both ends must agree within 0.15 standard errors of the mean. With
 * 20000 replicates each end has a Monte-Carlo error of about 0.03 standard errors per implementation, so 0.15 is
 * about 3.5 times the error of the difference; an interval at the wrong level (90% for 95%) is 0.3 off and fails.
 * The measured differences are in docs/decisions/stats-reference.md.
 */
class BootstrapTest {
    private static final double ENDS_WITHIN_SE = 0.15;

    @Test
    void intervalFromGivenReplicatesMatchesScipy() {
        JsonNode ref = Reference.get("bootstrap");
        double[] x = Reference.doubles(ref.get("x"));
        double[] replicates = Reference.doubles(ref.get("replicates"));
        for (JsonNode c : ref.get("exact")) {
            double level = c.get("level").asDouble();
            Interval bca = Bootstrap.bca(x, replicates, level);
            close(c.get("bca").get(0).asDouble(), bca.lower(), "BCa lower at " + level);
            close(c.get("bca").get(1).asDouble(), bca.upper(), "BCa upper at " + level);
            Interval pct = Bootstrap.percentile(replicates, level);
            close(c.get("percentile").get(0).asDouble(), pct.lower(), "percentile lower at " + level);
            close(c.get("percentile").get(1).asDouble(), pct.upper(), "percentile upper at " + level);
        }
    }

    @Test
    void wholeProcedureAgreesWithScipyInDistribution() {
        JsonNode d = Reference.get("bootstrap").get("distribution");
        double[] x = Reference.doubles(d.get("x"));
        double[] y = Reference.doubles(d.get("y"));
        int resamples = d.get("resamples").asInt();
        double se = d.get("se").asDouble();
        double sePaired = d.get("se_paired").asDouble();
        near(d.get("percentile"), Bootstrap.percentileMean(x, resamples, 0.95, 7), se, "percentile");
        near(d.get("BCa"), Bootstrap.bcaMean(x, resamples, 0.95, 7), se, "BCa");
        near(d.get("percentile_paired"), Bootstrap.percentilePairedMean(x, y, resamples, 0.95, 7), sePaired,
                "paired percentile");
        near(d.get("BCa_paired"), Bootstrap.bcaPairedMean(x, y, resamples, 0.95, 7), sePaired, "paired BCa");
    }

    @Test
    void aSeedGivesTheSameIntervalEveryTime() {
        double[] x = {0.31, 0.27, 0.35, 0.30, 0.29, 0.41, 0.26, 0.33};
        assertArrayEquals(Bootstrap.meanReplicates(x, 500, 42), Bootstrap.meanReplicates(x, 500, 42));
        assertFalse(Arrays.equals(Bootstrap.meanReplicates(x, 500, 42), Bootstrap.meanReplicates(x, 500, 43)),
                "another seed draws other resamples");
        assertEquals(Bootstrap.bcaMean(x, 2000, 0.95, 42), Bootstrap.bcaMean(x, 2000, 0.95, 42));
        // Pinned from this implementation (not from SciPy): a change of generator, of its seeding or of the draw
        // order changes every seeded interval in the reports, and must be a deliberate, visible change.
        Interval pinned = Bootstrap.percentileMean(x, 2000, 0.95, 42);
        assertEquals(PINNED_LOWER, pinned.lower(), "pinned lower (seed 42)");
        assertEquals(PINNED_UPPER, pinned.upper(), "pinned upper (seed 42)");
    }

    private static final double PINNED_LOWER = 0.28625;
    private static final double PINNED_UPPER = 0.34875;

    @Test
    void constantDataGiveAPointInterval() {
        double[] x = {2, 2, 2, 2};
        assertEquals(new Interval(2, 2, 0.95), Bootstrap.bcaMean(x, 100, 0.95, 1));
        assertEquals(new Interval(2, 2, 0.95), Bootstrap.percentileMean(x, 100, 0.95, 1));
    }

    @Test
    void quantileInterpolatesAsNumpy() {
        double[] sorted = {1, 2, 4, 8};
        assertEquals(1, Bootstrap.quantile(sorted, 0));
        assertEquals(8, Bootstrap.quantile(sorted, 1));
        assertEquals(3, Bootstrap.quantile(sorted, 0.5));
        assertEquals(1.75, Bootstrap.quantile(sorted, 0.25));
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Bootstrap.percentileMean(new double[] {1, 2}, 1, 0.95, 1));
        assertEquals("Bootstrap.meanReplicates: expected at least 2 resamples, got 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Bootstrap.bcaPairedMean(new double[] {1, 2}, new double[] {1}, 100, 0.95, 1));
        assertEquals("Bootstrap.bcaPairedMean: expected paired arrays of equal length, got 2 and 1", e.getMessage());
    }

    private static void near(JsonNode expected, Interval actual, double se, String what) {
        close(expected.get(0).asDouble(), actual.lower(), 0, ENDS_WITHIN_SE * se, what + " lower");
        close(expected.get(1).asDouble(), actual.upper(), 0, ENDS_WITHIN_SE * se, what + " upper");
    }
}
