package org.normlab.experiment.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.normlab.experiment.stats.Reference.close;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * {@link Proportions} against statsmodels ({@code proportion_confint} beta / wilson, {@code mcnemar(exact=True)})
 * and SciPy ({@code fisher_exact}, {@code binomtest}). Wilson's ends near 0 and 1 are compared with an absolute
 * 1e-15 besides the relative 1e-10, since an end that is 0 in exact arithmetic is ±1e-17 after rounding.
 */
class ProportionsTest {
    @Test
    void intervalsMatchStatsmodels() {
        for (JsonNode c : Reference.get("proportions")) {
            int k = c.get("k").asInt();
            int n = c.get("n").asInt();
            double level = c.get("level").asDouble();
            String name = "proportion " + k + "/" + n + " at " + level;
            Interval cp = Proportions.clopperPearson(k, n, level);
            close(c.get("clopper_pearson").get(0).asDouble(), cp.lower(), name + " Clopper-Pearson lower");
            close(c.get("clopper_pearson").get(1).asDouble(), cp.upper(), name + " Clopper-Pearson upper");
            Interval w = Proportions.wilson(k, n, level);
            close(c.get("wilson").get(0).asDouble(), w.lower(), 1e-10, 1e-15, name + " Wilson lower");
            close(c.get("wilson").get(1).asDouble(), w.upper(), 1e-10, 1e-15, name + " Wilson upper");
        }
    }

    @Test
    void fisherMatchesScipy() {
        for (JsonNode c : Reference.get("fisher")) {
            JsonNode t = c.get("table");
            String name = "fisher " + t;
            for (Alternative alt : Alternative.values()) {
                double p = Proportions.fisherExact(t.get(0).get(0).asInt(), t.get(0).get(1).asInt(),
                        t.get(1).get(0).asInt(), t.get(1).get(1).asInt(), alt);
                close(c.get("p_" + alt).asDouble(), p, name + " " + alt);
            }
        }
    }

    @Test
    void mcnemarMatchesStatsmodels() {
        for (JsonNode c : Reference.get("mcnemar")) {
            int b = c.get("only_first").asInt();
            int d = c.get("only_second").asInt();
            close(c.get("p").asDouble(), Proportions.mcnemarExact(b, d), "mcnemar " + b + ", " + d);
        }
    }

    @Test
    void mcnemarOnBooleansCountsTheDiscordantPairs() {
        boolean[] first = {true, true, true, false, true, false};
        boolean[] second = {true, false, false, false, false, true};
        assertEquals(Proportions.mcnemarExact(3, 1), Proportions.mcnemarExact(first, second));
    }

    @Test
    void binomialTestMatchesScipy() {
        for (JsonNode c : Reference.get("binomtest")) {
            int k = c.get("k").asInt();
            int n = c.get("n").asInt();
            close(c.get("p").asDouble(), Proportions.binomialTest(k, n), "binomtest " + k + "/" + n);
        }
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Proportions.clopperPearson(6, 5, 0.95));
        assertEquals("Proportions.clopperPearson: expected 0 <= successes <= trials and trials >= 1, got 6 of 5",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Proportions.wilson(0, 0, 0.95));
        assertEquals("Proportions.wilson: expected 0 <= successes <= trials and trials >= 1, got 0 of 0",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Proportions.fisherExact(1, -1, 2, 3, Alternative.TWO_SIDED));
        assertEquals("Proportions.fisherExact: expected non-negative counts, got [[1, -1], [2, 3]]", e.getMessage());
    }
}
