package org.normlab.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.normlab.experiment.stats.Multiplicity;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The claims table and the checks table of a report, made from verdicts: the empirical claims of one family, their
 * p-values adjusted by Holm's step-down method (family-wise error rate α = 0.05 under any dependence), each row
 * showing the adjusted and the raw verdict; identities and implementation checks apart, pass/fail with the measured
 * value; demos in neither.
 *
 * <p>Adjusted verdict: a raw SUPPORTED or NOT SUPPORTED stays when its Holm-adjusted p is below α, and becomes
 * INCONCLUSIVE otherwise; a claim with no p (fewer than two seeds) enters the family with p = 1. Holm's step-down
 * with the decision's direction read from the estimate's side keeps the family-wise error (including errors of
 * direction) at α.
 */
public final class ClaimsTable {
    /** The adjustment the claims table applies. */
    public static final String METHOD = "Holm";

    private ClaimsTable() {}

    /**
     * One row of the claims or checks table.
     *
     * @param source where the verdict was computed (a study or notebook name)
     * @param kind claim, check or demo
     * @param raw the verdict of the claim's own test
     * @param adjusted the verdict after the family's adjustment (for checks and demos: the raw verdict)
     * @param estimate the mean of the per-seed statistic
     * @param lo the lower end of its 95% interval
     * @param hi the upper end
     * @param p the raw p-value (NaN: none)
     * @param pAdjusted the Holm-adjusted p-value (NaN for checks and demos)
     * @param n the seeds (or values) the statistic is made of
     * @param excluded values missing from the statistic (diverged, failed or absent)
     * @param measured for a check: the deciding value (largest for a bound below, smallest for one above)
     * @param seedsNeeded for a claim INCONCLUSIVE on its own, the seeds its test would need at 80% power at α (0: n/a)
     * @param plan what the claim's test saw, to plan seeds at another level
     * @param seedsNeededAdjusted for a claim INCONCLUSIVE after Holm's adjustment, the seeds its test would need at
     *                            80% power at α/m, m the family's size (0: n/a, or not adjusted yet)
     */
    public record Row(String source, String claim, Verdict.Kind kind, Verdict.Outcome raw, Verdict.Outcome adjusted,
                      String statistic, String test, double estimate, double lo, double hi, double p, double pAdjusted,
                      int n, int excluded, double measured, int seedsNeeded, SeedsPlan plan, int seedsNeededAdjusted,
                      String budget, String registration) {
        /** A verdict as an unadjusted row. */
        public static Row of(String source, Verdict v) {
            // A sign test's estimate is a share: its interval is the exact one, not a t interval on 0/1 values.
            boolean sign = v.criterion().method() == Verdict.Method.SIGN && v.criterion().kind() != Verdict.Kind.CHECK;
            return new Row(source, v.claim(), v.criterion().kind(), v.outcome(), v.outcome(), v.criterion().statistic(),
                    v.evidence().test(), v.statistic().mean(), sign ? v.evidence().lo() : v.statistic().lo(), sign ? v.evidence().hi() : v.statistic().hi(),
                    v.evidence().p(), Double.NaN,
                    v.statistic().n(), v.statistic().missing(), v.criterion().kind() == Verdict.Kind.CHECK ? v.measured() : Double.NaN,
                    v.evidence().seedsNeeded(), v.evidence().plan(), 0, v.criterion().budget(), v.criterion().registration());
        }

        /** This row after adjustment in a family of {@code m}: its adjusted verdict and p, and if INCONCLUSIVE the seeds at α/m. */
        Row adjustedTo(Verdict.Outcome o, double pAdj, int m) {
            int atFamilyLevel = o == Verdict.Outcome.INCONCLUSIVE ? plan.seedsAt(Verdict.ALPHA / m) : 0;
            return new Row(source, claim, kind, raw, o, statistic, test, estimate, lo, hi, p, pAdj, n, excluded, measured, seedsNeeded, plan,
                    atFamilyLevel, budget, registration);
        }

        public boolean changedAfterResults() { return registration.startsWith("changed"); }
    }

    /** Rows of verdicts from one source, in order. */
    public static List<Row> rows(String source, List<Verdict> verdicts) {
        return verdicts.stream().map(v -> Row.of(source, v)).toList();
    }

    /**
     * The claim rows among {@code rows}, in their order, with Holm-adjusted p-values and verdicts over all of them
     * (the family); checks and demos are left out.
     */
    public static List<Row> claims(List<Row> rows) {
        List<Row> claims = rows.stream().filter(r -> r.kind() == Verdict.Kind.CLAIM).toList();
        if (claims.isEmpty()) return List.of();
        double[] p = claims.stream().mapToDouble(r -> Double.isNaN(r.p()) ? 1 : r.p()).toArray();
        double[] adjusted = Multiplicity.holm(p);
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < claims.size(); i++) {
            Row r = claims.get(i);
            boolean decisive = r.raw() == Verdict.Outcome.SUPPORTED || r.raw() == Verdict.Outcome.NOT_SUPPORTED;
            out.add(r.adjustedTo(decisive && adjusted[i] < Verdict.ALPHA ? r.raw() : Verdict.Outcome.INCONCLUSIVE, adjusted[i], claims.size()));
        }
        return out;
    }

    /** The check rows among {@code rows}, in their order. */
    public static List<Row> checks(List<Row> rows) {
        return rows.stream().filter(r -> r.kind() == Verdict.Kind.CHECK).toList();
    }

    /** The claims table: claim, adjusted verdict, raw verdict, statistic, test, estimate, ci95, p, p (Holm), n, excluded, seeds needed, budget. */
    public static Table claimsTable(String name, List<Row> rows) {
        List<Row> claims = claims(rows);
        StringColumn source = StringColumn.create("source"), claim = StringColumn.create("claim"), adj = StringColumn.create("adjusted verdict"),
                raw = StringColumn.create("raw verdict"), stat = StringColumn.create("statistic"), test = StringColumn.create("test"),
                seeds = StringColumn.create("seeds needed (80% power)"), seedsAdjusted = StringColumn.create("seeds needed (80% power, α/m)"), budget = StringColumn.create("budget"), reg = StringColumn.create("registration");
        DoubleColumn est = DoubleColumn.create("estimate"), lo = DoubleColumn.create("ci95_lo"), hi = DoubleColumn.create("ci95_hi"),
                p = DoubleColumn.create("p"), pAdj = DoubleColumn.create("p (" + METHOD + ")");
        IntColumn n = IntColumn.create("n"), excluded = IntColumn.create("excluded");
        for (Row r : claims) {
            source.append(r.source());
            claim.append(r.claim());
            adj.append(r.adjusted().toString());
            raw.append(r.raw().toString());
            stat.append(r.statistic());
            test.append(r.test());
            est.append(r.estimate());
            lo.append(r.lo());
            hi.append(r.hi());
            p.append(r.p());
            pAdj.append(r.pAdjusted());
            n.append(r.n());
            excluded.append(r.excluded());
            seeds.append(seedsText(r.seedsNeeded()));
            seedsAdjusted.append(seedsText(r.seedsNeededAdjusted()));
            budget.append(r.budget());
            reg.append(r.registration());
        }
        return Table.create(name, source, claim, adj, raw, stat, test, est, lo, hi, p, pAdj, n, excluded, seeds, seedsAdjusted, budget, reg);
    }

    /** The checks table: check, result, statistic, test, measured value, n, excluded. */
    public static Table checksTable(String name, List<Row> rows) {
        StringColumn source = StringColumn.create("source"), claim = StringColumn.create("check"), result = StringColumn.create("result"),
                stat = StringColumn.create("statistic"), test = StringColumn.create("test");
        DoubleColumn measured = DoubleColumn.create("measured");
        IntColumn n = IntColumn.create("n"), excluded = IntColumn.create("excluded");
        for (Row r : checks(rows)) {
            source.append(r.source());
            claim.append(r.claim());
            result.append(r.raw().toString());
            stat.append(r.statistic());
            test.append(r.test());
            measured.append(r.measured());
            n.append(r.n());
            excluded.append(r.excluded());
        }
        return Table.create(name, source, claim, result, stat, test, measured, n, excluded);
    }

    /**
     * The README's claims and checks tables in Markdown, for rows whose source is a notebook (linked as
     * {@code notebooks/<source>.ipynb}). The scales line names the scale(s) the verdicts were computed at.
     */
    public static String markdown(List<Row> rows, String scales) {
        List<Row> claims = claims(rows), checks = checks(rows);
        StringBuilder sb = new StringBuilder();
        if (claims.isEmpty() && checks.isEmpty()) {
            return "_No computed verdicts in the committed notebooks yet: `make notebooks` fills this table._\n";
        }
        long changed = claims.stream().filter(Row::changedAfterResults).count();
        long noP = claims.stream().filter(r -> Double.isNaN(r.p())).count();
        sb.append("Scale: `").append(scales).append("`. **Claims**: the family of ").append(claims.size())
                .append(" empirical claims, p-values adjusted by ").append(METHOD)
                .append(" (family-wise α = 0.05); the adjusted verdict is the one to read, the raw verdict is each claim's own test. ")
                .append("Estimate: mean of the per-seed statistic [95% interval]; n seeds (excluded: diverged, failed or missing, ")
                .append("never dropped silently; for an INCONCLUSIVE claim, the seeds its test would need at 80% power for the effect ")
                .append("seen: at α = 0.05 on its own, and at α/m = 0.05/").append(claims.size())
                .append(", the level at which a claim passes Holm's adjustment whatever the others' p-values; no number when every seed "
                        + "gave the same value, so no effect and no spread were seen); budget: the runs behind it. ")
                .append(changed).append(" claims marked † had their criterion or design changed after results were seen.")
                .append(noP == 0 ? "" : " " + noP + " claims have no p-value (one seed, or computed before verdicts recorded p: "
                        + "re-execute with `make notebooks`) and enter the family with p = 1.")
                .append("\n\n");
        sb.append("| claim | notebook | adjusted verdict | raw verdict | statistic | test | estimate [95% interval] | p | p (Holm) | n | budget |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : claims) {
            sb.append("| ").append(cell(r.claim())).append(r.changedAfterResults() ? " †" : "").append(" | ").append(link(r.source()))
                    .append(" | **").append(r.adjusted()).append("** | ").append(r.raw()).append(" | ").append(cell(r.statistic()))
                    .append(" | ").append(cell(r.test())).append(" | ").append(num(r.estimate())).append(" [").append(num(r.lo())).append(", ")
                    .append(num(r.hi())).append("] | ").append(num(r.p())).append(" | ").append(num(r.pAdjusted())).append(" | ")
                    .append(r.n()).append(r.excluded() > 0 ? " (" + r.excluded() + " excluded)" : "")
                    .append(seedsCell(r, claims.size())).append(" | ")
                    .append(cell(r.budget())).append(" |\n");
        }
        if (!checks.isEmpty()) {
            sb.append("\n**Checks** (identities and implementation checks; pass/fail, not claims, not in the family):\n\n");
            sb.append("| check | notebook | result | statistic | test | measured | n |\n|---|---|---|---|---|---|---|\n");
            for (Row r : checks) {
                sb.append("| ").append(cell(r.claim())).append(" | ").append(link(r.source())).append(" | **").append(r.raw()).append("** | ")
                        .append(cell(r.statistic())).append(" | ").append(cell(r.test())).append(" | ").append(num(r.measured())).append(" | ")
                        .append(r.n()).append(r.excluded() > 0 ? " (" + r.excluded() + " excluded)" : "").append(" |\n");
            }
        }
        return sb.toString();
    }

    private static String link(String source) { return "[`" + source + "`](notebooks/" + source + ".ipynb)"; }

    /** "; 8 needed at 80% power (α), 25 at α/57", or the part that applies, or nothing. */
    private static String seedsCell(Row r, int m) {
        String raw = r.seedsNeeded() != 0 ? seedsText(r.seedsNeeded()) + " needed at 80% power (α)" : "";
        if (r.seedsNeededAdjusted() == 0) return raw.isEmpty() ? "" : "; " + raw;
        String adjusted = seedsText(r.seedsNeededAdjusted()) + (raw.isEmpty() ? " needed at 80% power" : "") + " at α/" + m;
        return "; " + (raw.isEmpty() ? adjusted : raw + ", " + adjusted);
    }

    private static String seedsText(int s) { return s == 0 ? "" : s < 0 ? "> 10⁷" : Integer.toString(s); }

    static String num(double x) { return Double.isFinite(x) ? String.format(Locale.ROOT, "%.3g", x) : "–"; }

    private static String cell(String s) { return s.replace("|", "\\|").replace("\n", " "); }

    /** Parses a kind or outcome written by {@link Verdict#data()}, e.g. "NOT SUPPORTED". */
    static Verdict.Outcome outcome(String text) {
        return Arrays.stream(Verdict.Outcome.values()).filter(o -> o.toString().equals(text.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("ClaimsTable: expected a verdict among "
                        + Arrays.toString(Verdict.Outcome.values()) + ", got '" + text + "'"));
    }

    static Verdict.Kind kind(String text, String claim, Function<String, Verdict.Kind> declared) {
        String t = text.trim();
        return t.isEmpty() ? declared.apply(claim) : Verdict.Kind.valueOf(t.toUpperCase(Locale.ROOT));
    }

    /**
     * Rows read from a table of verdict records as {@code scripts/claims.py} writes them from notebook outputs:
     * columns source, claim, kind, verdict, statistic, test, mean, lo, hi, p, n, missing, measured, seeds_needed,
     * plan_test, plan_a, plan_b, plan_c, budget, registration. Empty cells are fields a notebook computed before they
     * existed: p → none (the claim enters the family with p = 1), kind → {@code declaredKind} of the claim's name (its
     * criterion's kind in code), plan → none (no seeds planned at α/m).
     */
    public static List<Row> fromRecords(Table t, Function<String, Verdict.Kind> declaredKind) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            rows.add(new Row(t.stringColumn("source").get(i), t.stringColumn("claim").get(i),
                    kind(t.stringColumn("kind").get(i), t.stringColumn("claim").get(i), declaredKind),
                    outcome(t.stringColumn("verdict").get(i)), outcome(t.stringColumn("verdict").get(i)), t.stringColumn("statistic").get(i),
                    t.stringColumn("test").get(i), d(t, "mean", i), d(t, "lo", i), d(t, "hi", i), d(t, "p", i), Double.NaN,
                    (int) d(t, "n", i), (int) d(t, "missing", i), d(t, "measured", i), (int) orZero(d(t, "seeds_needed", i)),
                    plan(t, i), 0, t.stringColumn("budget").get(i), t.stringColumn("registration").get(i).isEmpty() ? "not recorded"
                    : t.stringColumn("registration").get(i)));
        }
        return rows;
    }

    private static SeedsPlan plan(Table t, int i) {
        if (!t.columnNames().contains("plan_test")) return SeedsPlan.NONE;
        return SeedsPlan.of(t.stringColumn("plan_test").get(i), orZero(d(t, "plan_a", i)), orZero(d(t, "plan_b", i)), orZero(d(t, "plan_c", i)));
    }

    private static double orZero(double v) { return Double.isNaN(v) ? 0 : v; }

    private static double d(Table t, String column, int i) {
        DoubleColumn c = t.doubleColumn(column);
        return c.isMissing(i) ? Double.NaN : c.getDouble(i);
    }
}
