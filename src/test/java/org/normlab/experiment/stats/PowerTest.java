package org.normlab.experiment.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.normlab.experiment.stats.Reference.close;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * {@link Power} and {@link NoncentralT} against SciPy's {@code nct} and statsmodels' {@code TTestPower}. SciPy's
 * {@code nct} is Boost's (accurate to about 1e-15), NormLab's is the AS 243 series stopped at an error bound of
 * 1e-15: the CDF is compared to absolute 1e-11. The power and the continuous seeds solved on it (brentq, xtol
 * 1e-13) are compared to absolute 1e-10 and relative 1e-9, looser because SciPy's {@code t.isf} critical value is
 * itself off by up to ~1e-12 relative, which moves the power by ~1e-11 (docs/decisions/stats-reference.md).
 * statsmodels 0.14.4 computes the power with {@code scipy.special.nctdtr} (CDFLIB), which is off by up to about
 * 1e-8: its power is compared to absolute 5e-8 and its {@code solve_power} to relative 1e-6. The integer seeds
 * must be equal.
 */
class PowerTest {
    private static final double SERIES = 1e-11;
    private static final double POWER = 1e-10;
    private static final double CDFLIB = 5e-8;

    @Test
    void noncentralTMatchesScipy() {
        for (JsonNode c : Reference.get("power").get("nct")) {
            double t = c.get("t").asDouble();
            double df = c.get("df").asDouble();
            double nc = c.get("nc").asDouble();
            close(c.get("cdf").asDouble(), NoncentralT.cdf(t, df, nc), 0, SERIES,
                    "nct cdf(" + t + "; " + df + ", " + nc + ")");
        }
    }

    @Test
    void powerMatchesStatsmodels() {
        for (JsonNode c : Reference.get("power").get("power")) {
            double d = c.get("d").asDouble();
            double n = c.get("n").asDouble();
            double alpha = c.get("alpha").asDouble();
            Alternative alt = Reference.alternative(c.get("alternative").asText());
            double power = Power.pairedPower(n, d, alpha, alt);
            close(c.get("power_boost").asDouble(), power, 0, POWER, "power (SciPy nct) d=" + d + " n=" + n + " " + alt);
            close(c.get("power").asDouble(), power, 0, CDFLIB, "power (statsmodels) d=" + d + " n=" + n + " " + alt);
        }
    }

    @Test
    void seedsMatchStatsmodelsSolvePower() {
        for (JsonNode c : Reference.get("power").get("seeds")) {
            double mean = c.get("mean").asDouble();
            double sd = c.get("sd").asDouble();
            double alpha = c.get("alpha").asDouble();
            double power = c.get("power").asDouble();
            Alternative alt = Reference.alternative(c.get("alternative").asText());
            String name = "seeds mean=" + mean + " sd=" + sd + " " + alt;
            Power.Plan plan = Power.pairedSeeds(mean, sd, alpha, power, alt);
            close(c.get("continuous_seeds_boost").asDouble(), plan.continuousSeeds(), 1e-9, 0,
                    name + " continuous (SciPy nct)");
            close(c.get("continuous_seeds").asDouble(), plan.continuousSeeds(), 1e-6, 0,
                    name + " continuous (statsmodels)");
            assertEquals(c.get("seeds").asInt(), plan.seeds(), name + " seeds");
            assertTrue(plan.power() >= power, name + " reaches the power");
            assertTrue(Power.pairedPower(plan.seeds() - 1, plan.effectSize(), alpha, alt) < power || plan.seeds() == 2,
                    name + " one seed fewer does not");
        }
    }

    @Test
    void pilotDifferencesGiveTheirMeanAndSd() {
        double[] pilot = {0.02, 0.07, -0.01, 0.05, 0.04};
        PairedT.Result r = PairedT.ofDifferences(pilot, 0, 0.95);
        assertEquals(Power.pairedSeeds(r.meanDifference(), r.sdDifference(), 0.05, 0.8, Alternative.TWO_SIDED),
                Power.pairedSeeds(pilot, 0.05, 0.8, Alternative.TWO_SIDED));
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Power.pairedSeeds(-0.1, 0.2, 0.05, 0.8, Alternative.GREATER));
        assertEquals("Power.pairedSeeds: expected a pilot mean difference in the direction of the GREATER "
                + "alternative and non-zero, got mean = -0.1 (sd = 0.2)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Power.pairedSeeds(0.1, 0.2, 0.05, 0.01, Alternative.TWO_SIDED));
        assertEquals("Power.pairedSeeds: expected a target power in (alpha, 1), got 0.01", e.getMessage());
    }

    /**
     * The sign test's exact power against the same sum in SciPy (sum of binom.pmf over the k that binomtest rejects),
     * the smallest n reaching 80% power found the same way, and Schoenfeld's events with SciPy's norm.isf
     * (scripts/stats/reference.py, "sign_power").
     */
    @Test
    void signTestPowerAndSeedsMatchScipy() {
        JsonNode ref = Reference.get("sign_power");
        for (JsonNode c : ref.get("power")) {
            close(c.get("power").asDouble(), Power.signTestPower(c.get("n").asInt(), c.get("share").asDouble(), 0.05), 1e-12, 1e-15,
                    "sign power n=" + c.get("n") + ", share=" + c.get("share"));
        }
        for (JsonNode c : ref.get("seeds")) {
            assertEquals(c.get("seeds").asInt(), Power.signTestSeeds(c.get("share").asDouble(), 0.05, 0.8), "sign seeds at share " + c.get("share"));
        }
        assertEquals(-1, Power.signTestSeeds(0.5, 0.05, 0.8));
        assertTrue(Power.signTestSeeds(0.52, 0.05, 0.8) > Power.EXACT_SIGN_SEEDS, "a share near 1/2 needs thousands of seeds");
    }

    @Test
    void logRankEventsFollowSchoenfeld() {
        for (JsonNode c : Reference.get("sign_power").get("schoenfeld")) {
            double hr = c.get("hazard_ratio").asDouble();
            assertEquals((int) Math.ceil(c.get("events").asDouble()), Power.logRankEvents(Math.log(hr), 0.05, 0.8), "events at HR " + hr);
        }
        assertEquals(66, Power.logRankEvents(-Math.log(2), 0.05, 0.8), "the textbook's 66 events for HR 2, either direction");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Power.logRankEvents(0, 0.05, 0.8));
        assertEquals("Power.logRankEvents: expected a finite non-zero log hazard ratio, got 0.0", e.getMessage());
    }

    /**
     * The paired TOST's power against the same noncentral-t formula with SciPy's nct, the smallest n reaching 80% by
     * a search over n, and a simulation of statsmodels' ttost_paired (4000 runs): the formula, a lower bound, is never
     * more than the simulated power plus three of its standard errors (scripts/stats/reference.py, "tost_power").
     */
    @Test
    void tostPowerAndSeedsMatchScipyAndBoundTheSimulatedPower() {
        JsonNode ref = Reference.get("tost_power");
        for (JsonNode c : ref.get("power")) {
            double power = Power.tostPower(c.get("n").asInt(), c.get("delta").asDouble(), c.get("sd").asDouble(), c.get("margin").asDouble(),
                    c.get("alpha").asDouble());
            String what = "TOST power n=" + c.get("n") + ", delta=" + c.get("delta") + ", alpha=" + c.get("alpha");
            close(c.get("power").asDouble(), power, 1e-9, 1e-12, what);
            double sim = c.get("simulated").asDouble(), se = Math.sqrt(sim * (1 - sim) / c.get("sims").asDouble());
            assertTrue(power <= sim + 3 * se, what + ": the formula " + power + " exceeds the simulated " + sim);
        }
        for (JsonNode c : ref.get("seeds")) {
            assertEquals(c.get("seeds").asInt(), Power.tostSeeds(c.get("delta").asDouble(), c.get("sd").asDouble(), c.get("margin").asDouble(),
                    c.get("alpha").asDouble(), 0.8), "TOST seeds at delta " + c.get("delta") + ", alpha " + c.get("alpha"));
        }
        assertEquals(-1, Power.tostSeeds(0.012, 0.01, 0.01, 0.05, 0.8), "a difference beyond the margin is never shown equivalent");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Power.tostPower(10, 0, 0.01, 0, 0.05));
        assertTrue(e.getMessage().startsWith("Power.tostPower: "), e.getMessage());
    }
}
