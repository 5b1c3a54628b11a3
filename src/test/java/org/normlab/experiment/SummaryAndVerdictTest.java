package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

class SummaryAndVerdictTest {
    @Test
    void meanAndStudentTIntervalMatchHandComputedValues() {
        // 1, 2, 3: mean 2, s = 1, t(0.975, 2) = 4.302653, half-width = 4.302653 / √3 = 2.484138
        Summary s = Summary.of(1, 2, 3);
        assertEquals(3, s.n());
        assertEquals(2, s.mean(), 1e-12);
        assertEquals(1, s.sd(), 1e-12);
        assertEquals(2 - 2.484138, s.lo(), 1e-5);
        assertEquals(2 + 2.484138, s.hi(), 1e-5);
        // Five values 10, 12, 9, 11, 13: mean 11, s = √2.5, t(0.975, 4) = 2.776445
        Summary f = Summary.of(10, 12, 9, 11, 13);
        assertEquals(11 - 2.776445 * Math.sqrt(2.5) / Math.sqrt(5), f.lo(), 1e-5);
    }

    @Test
    void missingValuesAreCountedNotAveraged() {
        Summary s = Summary.of(1, Double.NaN, 3);
        assertEquals(2, s.n());
        assertEquals(1, s.missing());
        assertEquals(2, s.mean(), 1e-12);
        Summary one = Summary.of(5);
        assertEquals(Double.NEGATIVE_INFINITY, one.lo());
        assertEquals(0, Summary.of(Double.NaN).n());
        assertEquals("2.00 [-10.7, 14.7] (n=2, 1 missing)", s.format(3));
    }

    @Test
    void outcomesFollowTheDeclaredCriterion() {
        Verdict.Criterion above = Verdict.Criterion.above("C2", "gap", 0);
        assertEquals(Verdict.Outcome.SUPPORTED, above.judge(Summary.of(1.0, 1.1, 0.9)).outcome());
        assertEquals(Verdict.Outcome.NOT_SUPPORTED, above.judge(Summary.of(-1.0, -1.1, -0.9)).outcome());
        assertEquals(Verdict.Outcome.INCONCLUSIVE, above.judge(Summary.of(-1.0, 1.0, 0.5)).outcome());
        assertEquals(Verdict.Outcome.INCONCLUSIVE, above.judge(Summary.of(3.0)).outcome(), "one seed cannot decide");
        assertEquals(Verdict.Outcome.INCONCLUSIVE, above.judge(Summary.of(Double.NaN)).outcome());

        Verdict.Criterion below = Verdict.Criterion.below("C9", "spread", 0.05);
        assertEquals(Verdict.Outcome.SUPPORTED, below.judge(Summary.of(0.01, 0.012, 0.011)).outcome());
        assertEquals(Verdict.Outcome.NOT_SUPPORTED, below.judge(Summary.of(0.2, 0.21, 0.19)).outcome());
    }

    @Test
    void verdictsReadAsSentencesHtmlAndRows() {
        Verdict v = Verdict.Criterion.above("C2", "loss(none) − loss(BN)", 0).judge(Summary.of(1, 2, 3));
        assertEquals("C2 INCONCLUSIVE: [loss(none) − loss(BN)] = 2.00 [-0.484, 4.48] (n=3); criterion: above 0.000", v.toString());
        assertTrue(v.toHtml().contains("<b>C2</b>") && v.toHtml().contains("INCONCLUSIVE"));
        assertTrue(v.criterion().describe().startsWith("C2: SUPPORTED if the 95% interval of [loss(none) − loss(BN)] lies entirely above 0.000"));
        var table = Verdict.table("v", List.of(v));
        assertEquals("INCONCLUSIVE", table.stringColumn("outcome").get(0));
        assertEquals(2, table.doubleColumn("mean").get(0), 1e-12);
    }

    @Test
    void verdictDataCarriesTheNumbersAndNullsWhereJsonHasNoValue() {
        Verdict v = Verdict.Criterion.above("C2", "loss(none) − loss(BN)", 0).judge(Summary.of(1, 2, 3));
        var d = v.data();
        assertEquals(List.of("claim", "statistic", "mean", "ci", "n", "missing", "verdict", "criterion"), List.copyOf(d.keySet()));
        assertEquals("C2", d.get("claim"));
        assertEquals("loss(none) − loss(BN)", d.get("statistic"));
        assertEquals(2.0, (Double) d.get("mean"), 1e-12);
        var ci = (List<?>) d.get("ci");
        assertEquals(2 - 2.484138, (Double) ci.get(0), 1e-5);
        assertEquals(2 + 2.484138, (Double) ci.get(1), 1e-5);
        assertEquals(3, d.get("n"));
        assertEquals("INCONCLUSIVE", d.get("verdict"), "[−0.48, 4.48] straddles 0");
        assertEquals(Map.of("direction", "above", "threshold", 0.0), d.get("criterion"));
        var one = Verdict.Criterion.below("C5", "x", 1).judge(Summary.of(3.0)).data();
        assertEquals(Arrays.asList(null, null), one.get("ci"), "one seed: the unbounded interval has no JSON number");
        assertEquals("INCONCLUSIVE", one.get("verdict"));
        assertEquals(null, Verdict.Criterion.below("C5", "x", 1).judge(Summary.of(Double.NaN)).data().get("mean"));
    }
}
