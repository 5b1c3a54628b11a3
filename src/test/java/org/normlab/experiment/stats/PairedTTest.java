package org.normlab.experiment.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.normlab.experiment.stats.Reference.close;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** {@link PairedT} and {@link Tost} against SciPy's {@code ttest_rel} and statsmodels' {@code ttost_paired}. */
class PairedTTest {
    @Test
    void matchesScipyTtestRel() {
        for (JsonNode c : Reference.get("paired_t")) {
            String name = "paired_t " + c.get("name").asText();
            double level = c.get("level").asDouble();
            PairedT.Result r = PairedT.test(Reference.doubles(c.get("a")), Reference.doubles(c.get("b")),
                    c.get("null").asDouble(), level);
            close(c.get("mean").asDouble(), r.meanDifference(), name + " mean");
            close(c.get("sd").asDouble(), r.sdDifference(), name + " sd");
            close(c.get("t").asDouble(), r.t(), name + " t");
            assertEquals(c.get("df").asDouble(), r.df(), name + " df");
            for (Alternative alt : Alternative.values()) {
                close(c.get("p_" + alt).asDouble(), r.p(alt), name + " p " + alt);
                Interval ci = r.interval(level, alt);
                close(c.get("ci_" + alt).get(0).asDouble(), ci.lower(), name + " ci lower " + alt);
                close(c.get("ci_" + alt).get(1).asDouble(), ci.upper(), name + " ci upper " + alt);
            }
            assertEquals(r.interval(level, Alternative.TWO_SIDED), r.interval(), name + " interval()");
        }
    }

    @Test
    void matchesStatsmodelsTtostPaired() {
        for (JsonNode c : Reference.get("tost")) {
            String name = "tost " + c.get("name").asText();
            double alpha = c.get("alpha").asDouble();
            Tost.Result r = Tost.paired(Reference.doubles(c.get("a")), Reference.doubles(c.get("b")),
                    c.get("low").asDouble(), c.get("high").asDouble(), alpha);
            close(c.get("p").asDouble(), r.p(), name + " p");
            close(c.get("t_lower").asDouble(), r.tLower(), name + " t lower");
            close(c.get("p_lower").asDouble(), r.pLower(), name + " p lower");
            close(c.get("t_upper").asDouble(), r.tUpper(), name + " t upper");
            close(c.get("p_upper").asDouble(), r.pUpper(), name + " p upper");
            assertEquals(c.get("df").asDouble(), r.df(), name + " df");
            Tost.Verdict expected = c.get("equivalent").asBoolean() ? Tost.Verdict.EQUIVALENT
                    : Tost.Verdict.NOT_EQUIVALENT;
            assertEquals(expected, r.verdict(), name + " verdict");
            // TOST at alpha is the (1 − 2 alpha) interval lying inside the bounds
            Interval ci = r.paired().interval();
            assertEquals(expected == Tost.Verdict.EQUIVALENT, ci.lower() > r.low() && ci.upper() < r.high(),
                    name + " interval inclusion");
        }
    }

    @Test
    void symmetricMarginIsTheBoundsMinusAndPlusMargin() {
        double[] a = {1.0, 1.1, 0.9, 1.05};
        double[] b = {1.0, 1.0, 1.0, 1.0};
        assertEquals(Tost.paired(a, b, -0.2, 0.2, 0.05), Tost.paired(a, b, 0.2, 0.05));
    }

    @Test
    void zeroSpreadFollowsScipy() {
        PairedT.Result shifted = PairedT.test(new double[] {2, 3, 4}, new double[] {1, 2, 3});
        assertEquals(Double.POSITIVE_INFINITY, shifted.t());
        assertEquals(0, shifted.pTwoSided());
        PairedT.Result same = PairedT.test(new double[] {2, 3, 4}, new double[] {2, 3, 4});
        assertTrue(Double.isNaN(same.t()) && Double.isNaN(same.pTwoSided()));
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairedT.test(new double[] {1, 2, 3}, new double[] {1, 2}));
        assertEquals("PairedT.test: expected paired arrays of equal length, got 3 and 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PairedT.test(new double[] {1}, new double[] {2}));
        assertEquals("PairedT.ofDifferences: expected at least 2 values in d, got 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PairedT.test(new double[] {1, Double.NaN}, new double[] {2, 3}));
        assertEquals("PairedT.test: expected finite values in a, got a[1] = NaN", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Tost.paired(new double[] {1, 2}, new double[] {2, 3}, -0.0, 0.05));
        assertEquals("Tost.paired: expected a finite margin > 0, got -0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PairedT.test(new double[] {1, 2}, new double[] {2, 3}, 0, 1.5));
        assertEquals("PairedT.ofDifferences: expected a confidence level in (0, 1), got 1.5", e.getMessage());
    }
}
