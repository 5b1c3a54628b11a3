package org.normlab.experiment.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.normlab.experiment.stats.Reference.close;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Censored outcomes: {@link LogRank} against {@code scipy.stats.logrank}, {@link RankTests} against
 * {@code scipy.stats.wilcoxon} / {@code mannwhitneyu}, {@link BisectionInterval#signTest} against
 * {@code scipy.stats.binomtest} on counts made by the rule applied independently in the script. All at relative
 * 1e-10 (the exact rank distributions are sums of exact counts, the normal tails come from erfc).
 */
class CensoredTest {
    @Test
    void logRankMatchesScipy() {
        for (JsonNode c : Reference.get("logrank")) {
            String name = "logrank " + c.get("name").asText();
            for (Alternative alt : Alternative.values()) {
                LogRank.Result r = LogRank.test(Reference.doubles(c.get("time_x")),
                        Reference.booleans(c.get("event_x")), Reference.doubles(c.get("time_y")),
                        Reference.booleans(c.get("event_y")), alt);
                if (r.events() == 0) {
                    // SciPy: 0/0 = NaN; documented here as "no evidence": z = 0, p = 1
                    assertTrue(Double.isNaN(c.get("p_" + alt).asDouble()), name + " SciPy gives NaN");
                    assertEquals(0, r.z(), name + " z");
                    assertEquals(1, r.p(), name + " p");
                    continue;
                }
                close(c.get("z").asDouble(), r.z(), name + " z");
                close(c.get("p_" + alt).asDouble(), r.p(), name + " p " + alt);
            }
        }
    }

    @Test
    void stepsToTargetAreCensoredAtTheBudget() {
        double[] steps = {30, Double.POSITIVE_INFINITY, 120, 100};
        assertArrayEquals(new double[] {30, 100, 100, 100}, LogRank.censoredAtBudget(steps, 100));
        assertArrayEquals(new boolean[] {true, false, false, true}, LogRank.reached(steps, 100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogRank.censoredAtBudget(new double[] {30, Double.NaN}, 100));
        assertEquals("LogRank.censoredAtBudget: expected no NaN in steps, got steps[1] = NaN", e.getMessage());
    }

    @Test
    void signedRankMatchesScipy() {
        for (JsonNode c : Reference.get("wilcoxon")) {
            String name = "wilcoxon " + c.get("name").asText();
            for (Alternative alt : Alternative.values()) {
                RankTests.Result r;
                if (c.has("d")) {
                    RankTests.Method method = c.get("method").asText().equals("approx") ? RankTests.Method.NORMAL
                            : RankTests.Method.AUTO;
                    r = RankTests.signedRank(Reference.doubles(c.get("d")), alt, method,
                            c.get("correction").asBoolean());
                } else {
                    r = RankTests.signedRankNeverWorst(Reference.doubles(c.get("steps_a")),
                            Reference.doubles(c.get("steps_b")), c.get("budget").asDouble(), alt);
                }
                close(c.get("stat_" + alt).asDouble(), r.statistic(), name + " statistic " + alt);
                close(c.get("p_" + alt).asDouble(), r.p(), name + " p " + alt);
            }
        }
    }

    @Test
    void signedRankUsesScipysChoiceOfExactOrNormal() {
        assertTrue(RankTests.signedRank(new double[] {1, -1, 2, 2, -3}, Alternative.TWO_SIDED,
                RankTests.Method.AUTO, false).exact(), "n <= 50 without zeros: exact, even with ties");
        assertFalse(RankTests.signedRank(new double[] {0, 1, 2, 3, 4}, Alternative.TWO_SIDED,
                RankTests.Method.AUTO, false).exact(), "a zero difference: normal");
        double[] big = new double[51];
        for (int i = 0; i < big.length; i++) big[i] = i + 1;
        assertFalse(RankTests.signedRank(big, Alternative.TWO_SIDED, RankTests.Method.AUTO, false).exact(),
                "n > 50: normal");
    }

    @Test
    void mannWhitneyMatchesScipy() {
        for (JsonNode c : Reference.get("mannwhitney")) {
            String name = "mannwhitney " + c.get("name").asText();
            for (Alternative alt : Alternative.values()) {
                RankTests.Result r = RankTests.mannWhitney(Reference.doubles(c.get("x")), Reference.doubles(c.get("y")),
                        alt);
                close(c.get("u1").asDouble(), r.statistic(), name + " U1");
                close(c.get("p_" + alt).asDouble(), r.p(), name + " p " + alt);
            }
        }
    }

    @Test
    void bisectionSignTestMatchesTheRuleAndScipy() {
        for (JsonNode c : Reference.get("bisection")) {
            String name = "bisection " + c.get("name").asText();
            BisectionInterval.SignTest r = BisectionInterval.signTest(intervals(c.get("a")), intervals(c.get("b")));
            assertEquals(c.get("a_higher").asInt(), r.aHigher(), name + " a higher");
            assertEquals(c.get("b_higher").asInt(), r.bHigher(), name + " b higher");
            assertEquals(c.get("ties").asInt(), r.ties(), name + " ties");
            close(c.get("p").asDouble(), r.p(), name + " p");
        }
    }

    @Test
    void bisectionIntervalBoundsTheLogRatio() {
        BisectionInterval a = new BisectionInterval(0.2, 0.4);
        BisectionInterval b = new BisectionInterval(0.05, 0.1);
        BisectionInterval.Bounds r = BisectionInterval.logRatio(a, b);
        close(Math.log(2), r.lower(), "lower");
        close(Math.log(8), r.upper(), "upper");
        assertEquals(new BisectionInterval.Bounds(Math.log(0.2), Math.log(0.4)), a.logBounds());
        assertEquals(Double.NEGATIVE_INFINITY, BisectionInterval.logRatio(new BisectionInterval(0, 0.1), b).lower());
        close(Math.sqrt(0.08), a.geometricMidpoint(), "midpoint");
        assertTrue(Double.isNaN(new BisectionInterval(0.4, Double.POSITIVE_INFINITY).geometricMidpoint()));
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BisectionInterval(0.2, 0.1));
        assertEquals("BisectionInterval: expected 0 <= lastStable < firstUnstable, got [0.2, 0.1]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LogRank.test(new double[] {1, 2},
                new boolean[] {true}, new double[] {1}, new boolean[] {true}, Alternative.TWO_SIDED));
        assertEquals("LogRank.test: expected one event flag per time, got 2 times and 1 flags for x, 1 and 1 for y",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RankTests.signedRank(new double[] {0, 0},
                Alternative.TWO_SIDED, RankTests.Method.AUTO, false));
        assertEquals("RankTests.signedRank: expected at least one non-zero difference, got all 2 zero",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RankTests.mannWhitney(new double[] {1, Double.NaN},
                new double[] {1}, Alternative.TWO_SIDED));
        assertEquals("RankTests.mannWhitney: expected no NaN in x, got x[1] = NaN", e.getMessage());
    }

    private static List<BisectionInterval> intervals(JsonNode list) {
        List<BisectionInterval> out = new ArrayList<>();
        for (JsonNode pair : list) out.add(new BisectionInterval(pair.get(0).asDouble(), pair.get(1).asDouble()));
        return out;
    }
}
