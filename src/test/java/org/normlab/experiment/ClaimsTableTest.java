package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClaimsTableTest {
    private static ClaimsTable.Row claim(String name, Verdict.Outcome raw, double p) {
        return new ClaimsTable.Row("01-x", name, Verdict.Kind.CLAIM, raw, raw, "s", "t", 1, 0.5, 1.5, p, Double.NaN, 3, 0, Double.NaN, 0,
                "b", "declared before the runs");
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
}
