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

        assertEquals(Verdict.Outcome.INCONCLUSIVE, above.judge(Summary.of(0.0, 0.0, 0.0)).outcome(),
                "every seed exactly at the threshold: t undefined, p = 1, no decision");
        assertEquals(1.0, above.judge(Summary.of(0.0, 0.0, 0.0)).evidence().p());
        Verdict.Criterion below = Verdict.Criterion.below("C9", "spread", 0.05);
        assertEquals(Verdict.Outcome.SUPPORTED, below.judge(Summary.of(0.01, 0.012, 0.011)).outcome());
        assertEquals(Verdict.Outcome.NOT_SUPPORTED, below.judge(Summary.of(0.2, 0.21, 0.19)).outcome());
    }

    @Test
    void verdictsReadAsSentencesHtmlAndRows() {
        Verdict v = Verdict.Criterion.above("C2", "loss(none) − loss(BN)", 0).judge(Summary.of(1, 2, 3));
        // t = 2 / (1/√3) = 3.4641 on 2 df: two-sided p = 0.07418 (scipy.stats.ttest_1samp([1, 2, 3], 0))
        assertEquals(0.074180, v.evidence().p(), 1e-5);
        assertEquals("C2 INCONCLUSIVE: [loss(none) − loss(BN)] = 2.00 [-0.484, 4.48] (n=3); p = 0.0742; criterion: above 0.000; "
                + "seeds needed at 80% power: " + v.seedsText(), v.toString());
        assertTrue(v.toHtml().contains("<b>C2</b>") && v.toHtml().contains("INCONCLUSIVE") && v.toHtml().contains("declared before the runs"));
        assertTrue(v.criterion().describe().startsWith("C2 (claim): [loss(none) − loss(BN)]; test: Student t"), v.criterion().describe());
        assertTrue(v.criterion().describe().contains("Divergence: " + Verdict.DIVERGENCE_POLICY));
        var table = Verdict.table("v", List.of(v));
        assertEquals("INCONCLUSIVE", table.stringColumn("outcome").get(0));
        assertEquals(2, table.doubleColumn("mean").get(0), 1e-12);
        assertEquals(0.074180, table.doubleColumn("p").get(0), 1e-5);
    }

    @Test
    void verdictDataCarriesTheNumbersAndNullsWhereJsonHasNoValue() {
        Verdict v = Verdict.Criterion.above("C2", "loss(none) − loss(BN)", 0).judge(Summary.of(1, 2, 3));
        var d = v.data();
        assertEquals(List.of("claim", "statistic", "mean", "ci", "n", "missing", "verdict", "criterion", "kind", "test", "p", "interval",
                "seeds_needed", "plan", "budget", "registration"), List.copyOf(d.keySet()));
        assertEquals(Map.of("test", "paired_t", "a", 2.0, "b", 1.0, "c", 0.0), d.get("plan"), "mean − bound and sd, for seeds at another level");
        assertEquals("C2", d.get("claim"));
        assertEquals("loss(none) − loss(BN)", d.get("statistic"));
        assertEquals(2.0, (Double) d.get("mean"), 1e-12);
        var ci = (List<?>) d.get("ci");
        assertEquals(2 - 2.484138, (Double) ci.get(0), 1e-5);
        assertEquals(2 + 2.484138, (Double) ci.get(1), 1e-5);
        assertEquals(3, d.get("n"));
        assertEquals("INCONCLUSIVE", d.get("verdict"), "[−0.48, 4.48] straddles 0");
        assertEquals(Map.of("direction", "above", "threshold", 0.0), d.get("criterion"));
        assertEquals("claim", d.get("kind"));
        assertEquals(0.074180, (Double) d.get("p"), 1e-5);
        assertEquals("declared before the runs", d.get("registration"));
        var one = Verdict.Criterion.below("C5", "x", 1).judge(Summary.of(3.0)).data();
        assertEquals(Arrays.asList(null, null), one.get("ci"), "one seed: the unbounded interval has no JSON number");
        assertEquals("INCONCLUSIVE", one.get("verdict"));
        assertEquals(null, one.get("p"), "one seed: no test");
        assertEquals(null, Verdict.Criterion.below("C5", "x", 1).judge(Summary.of(Double.NaN)).data().get("mean"));
    }

    @Test
    void checksPassOnlyWhenEveryValueIsWithinTheBoundAndNoneIsMissing() {
        Verdict.Criterion identity = Verdict.Criterion.below("C1", "max |BN(x) − x|", 1e-4).check();
        Verdict pass = identity.judge(Summary.of(1e-7, 3e-7, 2e-7));
        assertEquals(Verdict.Outcome.PASS, pass.outcome());
        assertEquals(3e-7, pass.measured(), 0);
        // 3 of 3: Clopper–Pearson 95% lower end (0.025)^(1/3) = 0.2924 (scipy.stats.binomtest(3, 3).proportion_ci())
        assertEquals(0.29240, pass.evidence().lo(), 1e-5);
        assertEquals(Verdict.Outcome.FAIL, identity.judge(Summary.of(1e-7, 2e-4, 2e-7)).outcome(), "one value over the bound fails");
        assertEquals(Verdict.Outcome.FAIL, identity.judge(Summary.of(1e-7, Double.NaN)).outcome(), "a missing value fails");
        assertEquals(Verdict.Outcome.FAIL, identity.judge(Summary.of()).outcome(), "no values fail");
        Verdict.Criterion caught = Verdict.Criterion.above("C16 (fault)", "1 if caught", 0.5).check();
        assertEquals(Verdict.Outcome.PASS, caught.judge(Summary.of(1, 1, 1)).outcome());
        assertEquals(Verdict.Outcome.FAIL, caught.judge(Summary.of(1, 0, 1)).outcome());
        assertEquals(Verdict.Kind.CHECK, identity.kind());
    }

    @Test
    void twoSidedClaimsAreSupportedOnEitherSide() {
        Verdict.Criterion debated = Verdict.Criterion.either("C14", "before − after", 0);
        assertEquals(Verdict.Outcome.SUPPORTED, debated.judge(Summary.of(-1.0, -1.1, -0.9)).outcome());
        assertEquals(Verdict.Outcome.SUPPORTED, debated.judge(Summary.of(1.0, 1.1, 0.9)).outcome());
        assertEquals(Verdict.Outcome.INCONCLUSIVE, debated.judge(Summary.of(-1.0, 1.0, 0.5)).outcome(), "no margin: never NOT SUPPORTED");
    }

    @Test
    void equivalenceIsDecidedByTostWithTheDeclaredMargin() {
        Verdict.Criterion same = Verdict.Criterion.within("C17", "BN − noisy BN", 0, 0.01);
        // d = 0.001, 0.002, 0.003: mean 0.002, se = 0.001/√3; t₂ = (0.002 − 0.01)/se = −13.856 on 2 df: p = 0.002584
        // (statsmodels ttost_paired); 90% interval inside (−0.01, 0.01).
        Verdict v = same.judge(Summary.of(0.001, 0.002, 0.003));
        assertEquals(Verdict.Outcome.SUPPORTED, v.outcome());
        assertEquals(0.002584, v.evidence().p(), 1e-5);
        assertEquals(0.90, v.evidence().level(), 0);
        assertEquals(Verdict.Outcome.NOT_SUPPORTED, same.judge(Summary.of(0.05, 0.051, 0.049)).outcome(), "well outside the margin");
        assertEquals(Verdict.Outcome.INCONCLUSIVE, same.judge(Summary.of(0.0, 0.02, -0.01)).outcome(), "too wide to tell");
    }

    @Test
    void censoredOrdersAreDecidedByTheExactSignTest() {
        Verdict.Criterion c5 = Verdict.Criterion.signTest("C5", "1 if BN's bracket is certainly above");
        Verdict three = c5.judge(Summary.of(1, 1, 1));
        // 3 of 3: scipy.stats.binomtest(3, 3).pvalue = 0.25; six seeds all one way are the fewest to reach p < 0.05.
        assertEquals(Verdict.Outcome.INCONCLUSIVE, three.outcome(), "three seeds cannot decide a sign test");
        assertEquals(0.25, three.evidence().p(), 1e-12);
        assertEquals(6, three.evidence().seedsNeeded());
        Verdict six = c5.judge(Summary.of(1, 1, 1, 1, 1, 1, Double.NaN));
        assertEquals(Verdict.Outcome.SUPPORTED, six.outcome());
        assertEquals(0.03125, six.evidence().p(), 1e-12);
        assertTrue(six.toString().contains("1 undecided"), six.toString());
        assertEquals(Verdict.Outcome.NOT_SUPPORTED, c5.judge(Summary.of(0, 0, 0, 0, 0, 0)).outcome());
        // 3 of 4 decided one way, 1 undecided: at a share of 3/4 the exact sign test needs 30 decided seeds for 80% power
        // (SciPy, PowerTest), so 30 · 5/4 → 38 seeds in all.
        Verdict mixed = c5.judge(Summary.of(1, 1, 0, 1, Double.NaN));
        assertEquals(Verdict.Outcome.INCONCLUSIVE, mixed.outcome());
        assertEquals(38, mixed.evidence().seedsNeeded());
        assertEquals(-1, c5.judge(Summary.of(1, 0, 1, 0)).evidence().seedsNeeded(), "half each way: no effect seen");
    }

    @Test
    void anInconclusiveLogRankVerdictSaysHowManySeedsItWouldNeed() {
        Verdict.Criterion c2 = Verdict.Criterion.logRank("C2", "steps to target, BN vs none");
        double inf = Double.POSITIVE_INFINITY;
        // BN reaches the target sooner in 2 of 3 seeds, one run of each arm never does: too few events to decide.
        Verdict v = c2.judgeLogRank(new double[] {100, 300, inf}, new double[] {200, 250, inf}, 1000);
        assertEquals(Verdict.Outcome.INCONCLUSIVE, v.outcome());
        assertTrue(v.evidence().seedsNeeded() > 3, "more seeds than the 3 run: " + v.evidence().seedsNeeded());
        Verdict same = c2.judgeLogRank(new double[] {100, 200}, new double[] {200, 100}, 1000);
        assertEquals(-1, same.evidence().seedsNeeded(), "no difference between the arms: no number of seeds is stated");
    }

    @Test
    void aCriterionChangedAfterResultsSaysSoInItsTextAndVerdict() {
        Verdict.Criterion c = Verdict.Criterion.above("C6", "gap", 0).changedAfterResults("seeds 3 → 5 after a first run");
        assertEquals("changed after results: seeds 3 → 5 after a first run", c.registration());
        assertTrue(c.describe().endsWith("Changed after results: seeds 3 → 5 after a first run."), c.describe());
        Verdict v = c.judge(Summary.of(1.0, 1.1, 0.9));
        assertTrue(v.toString().endsWith("(criterion changed after results)"), v.toString());
        assertTrue(v.toHtml().contains("criterion (changed after results: seeds 3 → 5"), v.toHtml());
    }

    @Test
    void aSecondChangeIsAppendedToTheFirst() {
        Verdict.Criterion c = Verdict.Criterion.above("C6", "gap", 0).changedAfterResults("seeds 3 → 5").changedAfterResults("subsets per seed");
        assertEquals("changed after results: seeds 3 → 5; subsets per seed", c.registration());
    }
}
