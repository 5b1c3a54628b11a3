package org.normlab.experiment;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The answer a study gives to one claim of CLAIMS.md, computed from data against a criterion declared before the
 * runs. The criterion compares the 95% interval of a statistic with a threshold:
 * <ul>
 *   <li>{@code ABOVE t}: SUPPORTED when the whole interval lies above t, NOT SUPPORTED when it lies at or below t,
 *       INCONCLUSIVE when it straddles t;</li>
 *   <li>{@code BELOW t}: the mirror image.</li>
 * </ul>
 */
public record Verdict(String claim, Criterion criterion, Summary statistic, Outcome outcome) {

    public enum Outcome { SUPPORTED, NOT_SUPPORTED, INCONCLUSIVE;
        @Override public String toString() { return name().replace('_', ' '); }
    }

    public enum Direction { ABOVE, BELOW }

    /**
     * What will count as support, fixed before running.
     *
     * @param statistic what is measured, e.g. "test accuracy (BN) − test accuracy (none)"
     */
    public record Criterion(String claim, String statistic, Direction direction, double threshold) {
        public static Criterion above(String claim, String statistic, double threshold) { return new Criterion(claim, statistic, Direction.ABOVE, threshold); }
        public static Criterion below(String claim, String statistic, double threshold) { return new Criterion(claim, statistic, Direction.BELOW, threshold); }

        /** The criterion in words, for the notebook to print before the run. */
        public String describe() {
            String side = direction == Direction.ABOVE ? "above" : "below";
            String other = direction == Direction.ABOVE ? "at or below" : "at or above";
            return String.format(Locale.ROOT, "%s: SUPPORTED if the 95%% interval of [%s] lies entirely %s %s; NOT SUPPORTED if it lies entirely %s %s; otherwise INCONCLUSIVE.",
                    claim, statistic, side, fmt(threshold), other, fmt(threshold));
        }

        public Verdict judge(Summary s) {
            Outcome o;
            if (s.n() == 0) o = Outcome.INCONCLUSIVE;
            else if (direction == Direction.ABOVE) o = s.lo() > threshold ? Outcome.SUPPORTED : s.hi() <= threshold ? Outcome.NOT_SUPPORTED : Outcome.INCONCLUSIVE;
            else o = s.hi() < threshold ? Outcome.SUPPORTED : s.lo() >= threshold ? Outcome.NOT_SUPPORTED : Outcome.INCONCLUSIVE;
            return new Verdict(claim, this, s, o);
        }
    }

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.4g", v); }

    /** One sentence: "C2 SUPPORTED: [statistic] = 0.12 [0.10, 0.14] (n=3), criterion: above 0". */
    @Override
    public String toString() {
        return claim + " " + outcome + ": [" + criterion.statistic() + "] = " + statistic.format(3) + "; criterion: "
                + (criterion.direction() == Direction.ABOVE ? "above " : "below ") + fmt(criterion.threshold());
    }

    /** A compact HTML block for notebooks (the kernel extension shows it when a verdict is a cell's value). */
    public String toHtml() {
        String color = switch (outcome) { case SUPPORTED -> "#1a7f37"; case NOT_SUPPORTED -> "#cf222e"; case INCONCLUSIVE -> "#9a6700"; };
        return "<div style=\"border-left:6px solid " + color + ";padding:6px 12px;margin:4px 0;font-family:sans-serif\">"
                + "<div style=\"font-size:1.15em\"><b>" + esc(claim) + "</b> — <b style=\"color:" + color + "\">" + outcome + "</b></div>"
                + "<div><code>" + esc(criterion.statistic()) + "</code> = " + esc(statistic.format(3)) + "</div>"
                + "<div style=\"color:#57606a\">criterion (declared before the runs): " + esc(criterion.describe()) + "</div></div>";
    }

    /** The MIME type under which notebooks carry a verdict as data, so reports and README tables read it, never the prose. */
    public static final String MIME_TYPE = "application/vnd.normlab.verdict+json";

    /**
     * The verdict as plain data (for {@link #MIME_TYPE}): claim, statistic, mean, ci [lo, hi], n, verdict, criterion.
     * Non-finite numbers (no value, or the unbounded interval of one seed) become null, since JSON has no NaN or ∞.
     */
    public Map<String, Object> data() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("claim", claim);
        m.put("statistic", criterion.statistic());
        m.put("mean", finite(statistic.mean()));
        m.put("ci", Arrays.asList(finite(statistic.lo()), finite(statistic.hi())));
        m.put("n", statistic.n());
        m.put("missing", statistic.missing());
        m.put("verdict", outcome.toString());
        Map<String, Object> rule = new LinkedHashMap<>(); // ordered, so re-executed notebooks do not churn
        rule.put("direction", criterion.direction().name().toLowerCase(Locale.ROOT));
        rule.put("threshold", criterion.threshold());
        m.put("criterion", rule);
        return m;
    }

    private static Double finite(double v) { return Double.isFinite(v) ? v : null; }

    private static String esc(String s) { return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"); }

    /** Verdicts as report rows: claim, outcome, statistic, mean, lo, hi, n, criterion. */
    public static Table table(String name, List<Verdict> verdicts) {
        StringColumn claim = StringColumn.create("claim"), outcome = StringColumn.create("outcome"), stat = StringColumn.create("statistic"),
                criterion = StringColumn.create("criterion");
        DoubleColumn mean = DoubleColumn.create("mean"), lo = DoubleColumn.create("ci95_lo"), hi = DoubleColumn.create("ci95_hi");
        IntColumn n = IntColumn.create("n");
        for (Verdict v : verdicts) {
            claim.append(v.claim());
            outcome.append(v.outcome().toString());
            stat.append(v.criterion().statistic());
            mean.append(v.statistic().mean());
            lo.append(v.statistic().lo());
            hi.append(v.statistic().hi());
            n.append(v.statistic().n());
            criterion.append((v.criterion().direction() == Direction.ABOVE ? "above " : "below ") + fmt(v.criterion().threshold()));
        }
        return Table.create(name, claim, outcome, stat, mean, lo, hi, n, criterion);
    }
}
