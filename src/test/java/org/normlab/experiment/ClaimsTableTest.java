package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.experiment.stats.Alternative;
import org.normlab.experiment.stats.Power;

class ClaimsTableTest {
    private static ClaimsTable.Row claim(String name, Verdict.Outcome raw, double p) {
        return new ClaimsTable.Row("01-x", name, Verdict.Kind.CLAIM, raw, raw, "s", "t", 1, 0.5, 1.5, p, Double.NaN, 3, 0, Double.NaN, 0,
                SeedsPlan.NONE, 0, "b", "declared before the runs");
    }

    @Test
    void holmAdjustsTheFamilyAndTurnsWeakDecisionsInconclusive() {
        // Holm on (0.01, 0.04, 0.03): sorted 0.01·3 = 0.03, 0.03·2 = 0.06, max(0.06, 0.04·1) = 0.06
        // (statsmodels multipletests([0.01, 0.04, 0.03], method='holm')).
        List<ClaimsTable.Row> rows = ClaimsTable.claims(List.of(claim("A", Verdict.Outcome.SUPPORTED, 0.01),
                claim("B", Verdict.Outcome.NOT_SUPPORTED, 0.04), claim("C", Verdict.Outcome.SUPPORTED, 0.03)));
        assertEquals(List.of(0.03, 0.06, 0.06), rows.stream().map(ClaimsTable.Row::pAdjusted).toList());
        assertEquals(List.of(Verdict.Outcome.SUPPORTED, Verdict.Outcome.INCONCLUSIVE, Verdict.Outcome.INCONCLUSIVE),
                rows.stream().map(ClaimsTable.Row::adjusted).toList());
        assertEquals(Verdict.Outcome.NOT_SUPPORTED, rows.get(1).raw(), "the raw verdict is kept beside the adjusted one");
    }

    @Test
    void checksAndDemosStayOutOfTheFamily() {
        Verdict check = Verdict.Criterion.below("C1", "max |BN(x) − x|", 1e-4).check().judge(Summary.of(1e-7, 2e-7));
        Verdict demo = Verdict.Criterion.above("C5 (demo)", "gap", 0).demo().judge(Summary.of(1.0, 1.1, 0.9));
        Verdict claim = Verdict.Criterion.above("C2", "gap", 0).judge(Summary.of(1.0, 1.1, 0.9));
        List<ClaimsTable.Row> rows = ClaimsTable.rows("12-debugging", List.of(check, demo, claim));
        assertEquals(List.of("C2"), ClaimsTable.claims(rows).stream().map(ClaimsTable.Row::claim).toList());
        assertEquals(List.of("C1"), ClaimsTable.checks(rows).stream().map(ClaimsTable.Row::claim).toList());
        String md = ClaimsTable.markdown(rows, "smoke");
        assertTrue(md.contains("| C2 | [`12-debugging`](notebooks/12-debugging.ipynb) | **SUPPORTED** | SUPPORTED |"), md);
        assertTrue(md.contains("**Checks**") && md.contains("| C1 |") && md.contains("**PASS**") && !md.contains("C5 (demo)"), md);
        assertEquals(1, ClaimsTable.claimsTable("t", rows).rowCount());
        assertEquals(1, ClaimsTable.checksTable("t", rows).rowCount());
    }

    @Test
    void aClaimInconclusiveAfterAdjustmentCarriesTheSeedsItNeedsAtHolmsStrictestLevel() {
        // Three paired claims; the second is SUPPORTED on its own (p < 0.05) but not after Holm across the three.
        Verdict.Criterion above = Verdict.Criterion.above("A", "gap", 0);
        Summary strong = Summary.of(1.0, 1.1, 0.9, 1.05, 0.95), weak = Summary.of(0.2, 0.5, 0.1, 0.45, 0.05), none = Summary.of(0.1, -0.1, 0.05);
        List<Verdict> verdicts = List.of(above.judge(strong), Verdict.Criterion.above("B", "gap", 0).judge(weak), Verdict.Criterion.above("C", "gap", 0).judge(none));
        assertEquals(Verdict.Outcome.SUPPORTED, verdicts.get(1).outcome(), verdicts.get(1).toString());
        List<ClaimsTable.Row> rows = ClaimsTable.claims(ClaimsTable.rows("01-x", verdicts));
        ClaimsTable.Row b = rows.get(1), c = rows.get(2);
        assertEquals(Verdict.Outcome.INCONCLUSIVE, b.adjusted(), "p " + b.p() + ", Holm " + b.pAdjusted());
        assertEquals(0, b.seedsNeeded(), "decisive on its own: no seeds at α");
        assertEquals(Power.pairedSeeds(weak.mean(), weak.sd(), 0.05 / 3, 0.8, Alternative.TWO_SIDED).seeds(), b.seedsNeededAdjusted());
        assertEquals(Power.pairedSeeds(none.mean(), none.sd(), 0.05, 0.8, Alternative.TWO_SIDED).seeds(), c.seedsNeeded());
        assertEquals(Power.pairedSeeds(none.mean(), none.sd(), 0.05 / 3, 0.8, Alternative.TWO_SIDED).seeds(), c.seedsNeededAdjusted());
        assertTrue(c.seedsNeededAdjusted() > c.seedsNeeded(), "a stricter level needs more seeds");
        assertEquals(0, rows.get(0).seedsNeededAdjusted(), "a claim decided after adjustment needs none");
        String md = ClaimsTable.markdown(ClaimsTable.rows("01-x", verdicts), "full");
        assertTrue(md.contains("; " + b.seedsNeededAdjusted() + " needed at 80% power at α/3 |"), md);
        assertTrue(md.contains("; " + c.seedsNeeded() + " needed at 80% power (α), " + c.seedsNeededAdjusted() + " at α/3 |"), md);
    }

    @Test
    void anEquivalenceClaimLeftInconclusivePlansItsSeedsByTheTostPower() {
        Verdict v = Verdict.Criterion.within("E", "accuracy difference", 0, 0.01).judge(Summary.of(0.004, -0.006, 0.012, -0.002));
        assertEquals(Verdict.Outcome.INCONCLUSIVE, v.outcome(), v.toString());
        Summary s = v.statistic();
        assertEquals(Power.tostSeeds(s.mean(), s.sd(), 0.01, 0.05, 0.8), v.evidence().seedsNeeded());
        assertTrue(v.evidence().seedsNeeded() > s.n(), v.toString());
    }

    @Test
    void thePlanSurvivesTheRecordsTheClaimsTableIsBuiltFrom() {
        SeedsPlan plan = SeedsPlan.of("sign", 3, 3, 1);
        assertEquals(new SeedsPlan(SeedsPlan.Test.SIGN, 3, 3, 1), plan);
        assertEquals(SeedsPlan.NONE, SeedsPlan.of("", 0, 0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SeedsPlan.of("bayes", 0, 0, 0));
        assertEquals("SeedsPlan: expected a test among none, paired_t, sign, log_rank, tost, got 'bayes'", e.getMessage());
        // 3 of 3 decided and 1 undecided: the sign test's decided seeds at α, scaled by 4/3.
        assertEquals((int) Math.ceil(Power.signTestSeeds(1.0, 0.05, 0.8) * 4 / 3.0 - 1e-9), plan.seedsAt(0.05));
    }
}
