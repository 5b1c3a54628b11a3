package org.normlab.experiment;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.normlab.experiment.stats.Alternative;
import org.normlab.experiment.stats.Interval;
import org.normlab.experiment.stats.LogRank;
import org.normlab.experiment.stats.PairedT;
import org.normlab.experiment.stats.Proportions;
import org.normlab.experiment.stats.Tost;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The answer a study gives to one claim of docs/claims.md, computed from data against a criterion declared in
 * docs/criteria before the runs (or marked as changed after them). A criterion names its kind, its statistic (one
 * value per seed), its test and its threshold:
 * <ul>
 *   <li>a <b>claim</b> ({@link Kind#CLAIM}) is tested with a Student t on the per-seed values against the threshold,
 *       two-sided p, and a three-way decision from the 95% interval: {@code ABOVE t} is SUPPORTED when the whole
 *       interval lies above t, NOT SUPPORTED when it lies at or below t, INCONCLUSIVE when it straddles t
 *       ({@code BELOW t} the mirror image); {@code EITHER t} (a two-sided claim: "it matters") is SUPPORTED when the
 *       interval excludes t on either side; {@code WITHIN t ± m} (an equivalence claim, "≈") is decided by TOST at
 *       α = 0.05 with the declared margin m;</li>
 *   <li>a <b>check</b> ({@link Kind#CHECK}: an identity or an implementation check) passes when every value, with
 *       none missing, lies on the declared side of the bound;</li>
 *   <li>a <b>demo</b> ({@link Kind#DEMO}) is judged like a claim but stays out of the claims family.</li>
 * </ul>
 * A verdict carries its test, its p-value and, for an INCONCLUSIVE claim, the seeds a paired t-test would need at
 * 80% power for the effect the data show. The claims table ({@link ClaimsTable}) adjusts the p-values of a family
 * (Holm) and shows raw and adjusted verdicts.
 */
public record Verdict(String claim, Criterion criterion, Summary statistic, Outcome outcome, Evidence evidence) {

    /** The level of every test: a 95% interval, α = 0.05 two-sided; TOST at α = 0.05 on each side. */
    public static final double ALPHA = 0.05;

    /** The power an INCONCLUSIVE claim's seed count is planned for. */
    public static final double POWER = 0.8;

    /** The family every empirical claim belongs to unless its criterion names another. */
    public static final String CLAIMS_FAMILY = "NormLab claims (every empirical claim of the README table), Holm, α = 0.05";

    /** The one divergence policy, stated in every criterion. */
    public static final String DIVERGENCE_POLICY = "a run whose loss turns non-finite or exceeds 10³ stops and is recorded as "
            + "diverged, a run that throws as failed; such a run takes its metric's chance value where the metric has one "
            + "(training or test loss ln 10, accuracy 0.1, error 0.9); where it has none its seed is excluded from the "
            + "statistic and counted as excluded (n and the excluded seeds are shown with the verdict); no seed is dropped "
            + "silently";

    public enum Outcome { SUPPORTED, NOT_SUPPORTED, INCONCLUSIVE, PASS, FAIL;
        @Override public String toString() { return name().replace('_', ' '); }
    }

    /** Which side of the threshold supports the claim; EITHER for two-sided claims, WITHIN for equivalences. */
    public enum Direction { ABOVE, BELOW, EITHER, WITHIN }

    /**
     * How a claim's per-seed values are tested: Student t on continuous values (TOST for {@link Direction#WITHIN}),
     * or the exact sign test on per-seed orders known from censored values (1 where the first arm's value is
     * certainly higher, 0 where it is certainly lower, NaN where the order is unknown: left out and counted), or the
     * log-rank test on steps to a target as censored outcomes ({@link Criterion#judgeLogRank}: a run that never reached
     * the target is censored at the budget).
     */
    public enum Method { STUDENT_T, SIGN, LOG_RANK }

    /** An empirical claim (in the claims family), an identity or implementation check, or a demo (in no family). */
    public enum Kind { CLAIM, CHECK, DEMO;
        @Override public String toString() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * What the test found.
     *
     * @param test the test in words
     * @param p the p-value of the decision (NaN when no test could run, e.g. one seed; for checks there is none)
     * @param lo the lower end of the interval the decision used (for checks: the Clopper–Pearson interval of the
     *           share of passing values)
     * @param hi its upper end
     * @param level the interval's level
     * @param seedsNeeded for an INCONCLUSIVE claim, the seeds its test would need at 80% power at α for the
     *                    observed effect (0: not applicable, −1: more than 10⁷)
     * @param plan what the test saw, to plan seeds at another level (Holm's α/m in the claims table)
     */
    public record Evidence(String test, double p, double lo, double hi, double level, int seedsNeeded, SeedsPlan plan) {
        Evidence(String test, double p, double lo, double hi, double level, Outcome outcome, SeedsPlan plan) {
            this(test, p, lo, hi, level, outcome == Outcome.INCONCLUSIVE ? plan.seedsAt(ALPHA) : 0, plan);
        }
    }

    /**
     * What will count as support, fixed before running.
     *
     * @param statistic what is measured, one value per seed, e.g. "test accuracy (BN) − test accuracy (none)"
     * @param margin the equivalence margin of a {@link Direction#WITHIN} criterion (0 otherwise)
     * @param method the test of a claim (checks use none)
     * @param family the family whose multiplicity the claims table controls
     * @param divergence the divergence policy in words
     * @param revision empty when declared before the runs; otherwise what was changed after seeing results, and why
     * @param budget the runs behind the statistic (filled from the study's plan, see {@link Study#declaredCriteria})
     * @param learningRate how the runs' learning rate was set: tuned per arm on a validation split, or why it is fixed
     *                     (filled from {@link Study#learningRate}; recorded in the criteria file, not in the verdict's text)
     */
    public record Criterion(String claim, String statistic, Direction direction, double threshold, double margin,
                            Kind kind, Method method, String family, String divergence, String revision, String budget,
                            String learningRate) {
        public Criterion {
            if (direction == Direction.WITHIN && !(margin > 0)) {
                throw new IllegalArgumentException("Criterion " + claim + ": an equivalence needs a margin > 0, got " + margin);
            }
            if (kind == Kind.CHECK && (direction == Direction.EITHER || direction == Direction.WITHIN)) {
                throw new IllegalArgumentException("Criterion " + claim + ": a check needs a bound ABOVE or BELOW, got " + direction);
            }
        }

        private static Criterion claim(String claim, String statistic, Direction d, double threshold, double margin) {
            return new Criterion(claim, statistic, d, threshold, margin, Kind.CLAIM, Method.STUDENT_T, CLAIMS_FAMILY, DIVERGENCE_POLICY, "", "", "");
        }

        public static Criterion above(String claim, String statistic, double threshold) { return claim(claim, statistic, Direction.ABOVE, threshold, 0); }
        public static Criterion below(String claim, String statistic, double threshold) { return claim(claim, statistic, Direction.BELOW, threshold, 0); }

        /**
         * A claim on censored values (e.g. largest stable learning rates bracketed by a grid): per seed 1 when the
         * first arm's value is certainly above the second's, 0 when certainly below, NaN when the brackets overlap;
         * exact two-sided sign test, SUPPORTED when p &lt; 0.05 and the first arm is higher more often.
         */
        public static Criterion signTest(String claim, String statistic) {
            return new Criterion(claim, statistic, Direction.ABOVE, 0.5, 0, Kind.CLAIM, Method.SIGN, CLAIMS_FAMILY, DIVERGENCE_POLICY, "", "", "");
        }

        /**
         * A claim on steps to a target, a censored outcome (a run that never reaches it within its budget is censored
         * there): the two-sided log-rank test of the first arm against the second, SUPPORTED when p &lt; 0.05 and the
         * first arm reaches the target sooner (z &gt; 0). Judged by {@link #judgeLogRank}.
         */
        public static Criterion logRank(String claim, String statistic) {
            return new Criterion(claim, statistic, Direction.ABOVE, 0, 0, Kind.CLAIM, Method.LOG_RANK, CLAIMS_FAMILY, DIVERGENCE_POLICY, "", "", "");
        }

        /** A two-sided claim: SUPPORTED when the statistic differs from {@code threshold} on either side. */
        public static Criterion either(String claim, String statistic, double threshold) { return claim(claim, statistic, Direction.EITHER, threshold, 0); }

        /** An equivalence claim: SUPPORTED when TOST puts the mean within {@code center ± margin}. */
        public static Criterion within(String claim, String statistic, double center, double margin) {
            return claim(claim, statistic, Direction.WITHIN, center, margin);
        }

        /** This criterion as an identity or implementation check (pass/fail, outside the claims family). */
        public Criterion check() { return new Criterion(claim, statistic, direction, threshold, margin, Kind.CHECK, method, "checks (no multiplicity adjustment)", divergence, revision, budget, learningRate); }

        /** This criterion as a demo (outside the claims family). */
        public Criterion demo() { return new Criterion(claim, statistic, direction, threshold, margin, Kind.DEMO, method, "demos (outside the claims family)", divergence, revision, budget, learningRate); }

        /**
         * This criterion marked as changed after seeing results, saying what changed and why; a criterion changed before
         * keeps its earlier revision, the new one appended after "; ".
         */
        public Criterion changedAfterResults(String what) {
            return new Criterion(claim, statistic, direction, threshold, margin, kind, method, family, divergence,
                    revision.isEmpty() ? what : revision + "; " + what, budget, learningRate);
        }

        public Criterion withBudget(String b) { return new Criterion(claim, statistic, direction, threshold, margin, kind, method, family, divergence, revision, b, learningRate); }

        public Criterion withLearningRate(String how) {
            return new Criterion(claim, statistic, direction, threshold, margin, kind, method, family, divergence, revision, budget, how);
        }

        public boolean changed() { return !revision.isEmpty(); }

        /** "declared before the runs", or "changed after results: …". */
        public String registration() { return changed() ? "changed after results: " + revision : "declared before the runs"; }

        /** The test in words. */
        public String test() {
            if (kind == Kind.CHECK) return "every value " + (direction == Direction.ABOVE ? "above " : "below ") + fmt(threshold) + ", none missing";
            if (method == Method.SIGN) return "exact two-sided sign test on the seeds whose order is certain (binomial, ½), Clopper–Pearson 95% interval of the share";
            if (method == Method.LOG_RANK) return "two-sided log-rank test of the steps to target, first arm against second, a run that never "
                    + "reached the target censored at the budget (z > 0: the first arm sooner); the estimate is the per-seed steps saved "
                    + "with never counted as the budget (a bound, not the test), Student t 95% interval";
            return switch (direction) {
                case ABOVE, BELOW -> "Student t of the per-seed values against " + fmt(threshold) + ", two-sided p, 95% interval";
                case EITHER -> "two-sided Student t of the per-seed values against " + fmt(threshold) + ", 95% interval";
                case WITHIN -> "TOST (two one-sided t-tests, α = 0.05 each) for equivalence within " + fmt(threshold) + " ± " + fmt(margin)
                        + ", 90% interval";
            };
        }

        /** The decision rule in words. */
        public String rule() {
            if (kind == Kind.CHECK) return "PASS if " + test() + "; otherwise FAIL";
            if (method == Method.SIGN) return "SUPPORTED if the sign test's p < 0.05 and the first arm is certainly higher in more seeds; "
                    + "NOT SUPPORTED if p < 0.05 the other way; otherwise INCONCLUSIVE";
            if (method == Method.LOG_RANK) return "SUPPORTED if the log-rank p < 0.05 and z > 0 (the first arm reaches the target sooner); "
                    + "NOT SUPPORTED if p < 0.05 and z < 0; otherwise INCONCLUSIVE";
            return switch (direction) {
                case ABOVE -> "SUPPORTED if the 95% interval lies entirely above " + fmt(threshold) + "; NOT SUPPORTED if it lies entirely at or below "
                        + fmt(threshold) + "; otherwise INCONCLUSIVE";
                case BELOW -> "SUPPORTED if the 95% interval lies entirely below " + fmt(threshold) + "; NOT SUPPORTED if it lies entirely at or above "
                        + fmt(threshold) + "; otherwise INCONCLUSIVE";
                case EITHER -> "SUPPORTED (it matters) if the 95% interval excludes " + fmt(threshold) + " on either side; otherwise INCONCLUSIVE";
                case WITHIN -> "SUPPORTED if the TOST p < 0.05 (the 90% interval inside " + fmt(threshold - margin) + " … " + fmt(threshold + margin)
                        + "); NOT SUPPORTED if the 95% interval lies entirely outside it; otherwise INCONCLUSIVE";
            };
        }

        /** The criterion in words, for the notebook to print before the run. */
        public String describe() {
            return String.format(Locale.ROOT, "%s (%s): [%s]; test: %s; %s. Family: %s. Divergence: %s. %s.",
                    claim, kind, statistic, test(), rule(), family, divergence, capitalized(registration()));
        }

        /**
         * Every field of the criterion as labelled text, in a fixed order: what docs/criteria/&lt;study&gt;.txt records
         * and what the pre-registration test compares field by field.
         */
        public Map<String, String> fields() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("claim", claim);
            m.put("kind", kind.toString());
            m.put("statistic", statistic);
            m.put("direction", direction.name().toLowerCase(Locale.ROOT));
            m.put("threshold", Double.toString(threshold));
            m.put("margin", Double.toString(margin));
            m.put("method", method.name().toLowerCase(Locale.ROOT));
            m.put("test", test());
            m.put("rule", rule());
            m.put("family", family);
            m.put("divergence", divergence);
            m.put("budget", budget);
            m.put("learning rate", learningRate);
            m.put("registration", registration());
            return m;
        }

        /**
         * Judges a {@link Method#LOG_RANK} criterion on the steps to target of two arms paired by seed (the same
         * length; +∞ where a run never reached the target, e.g. diverged), censored at {@code budget}. The verdict's
         * statistic is the per-seed steps saved by the first arm, min(second, budget) − min(first, budget).
         */
        public Verdict judgeLogRank(double[] first, double[] second, double budget) {
            if (method != Method.LOG_RANK) throw new IllegalArgumentException("Criterion " + claim + ": judgeLogRank needs method log_rank, got " + method);
            if (first.length != second.length || first.length == 0) {
                throw new IllegalArgumentException("Criterion " + claim + ": expected the same number (> 0) of seeds per arm, got "
                        + first.length + " and " + second.length);
            }
            double[] saved = new double[first.length];
            for (int i = 0; i < first.length; i++) saved[i] = Math.min(second[i], budget) - Math.min(first[i], budget);
            Summary s = Summary.of(saved);
            boolean[] reachedFirst = LogRank.reached(first, budget), reachedSecond = LogRank.reached(second, budget);
            LogRank.Result r = LogRank.test(LogRank.censoredAtBudget(first, budget), reachedFirst,
                    LogRank.censoredAtBudget(second, budget), reachedSecond, Alternative.TWO_SIDED);
            double p = Double.isNaN(r.p()) ? 1 : r.p();
            Outcome o = p < ALPHA ? (r.z() > 0 ? Outcome.SUPPORTED : Outcome.NOT_SUPPORTED) : Outcome.INCONCLUSIVE;
            String test = test() + String.format(Locale.ROOT, " (z = %.3g; reached %d of %d vs %d of %d within %.0f steps)", r.z(),
                    count(reachedFirst), first.length, count(reachedSecond), second.length, budget);
            return new Verdict(claim, this, s, o, new Evidence(test, p, s.lo(), s.hi(), 1 - ALPHA, o, logRankPlan(r, first.length)));
        }

        /**
         * The log-rank plan: Schoenfeld's events for the hazard ratio seen (Peto's estimate, ln HR = (O − E) / V of the
         * first arm), scaled by the events per seed seen (two runs per seed); no effect when the arms did not differ
         * or no run reached the target.
         */
        private static SeedsPlan logRankPlan(LogRank.Result r, int seeds) {
            if (!(r.variance() > 0) || r.events() == 0 || r.observedX() == r.expectedX()) return SeedsPlan.logRank(0, 0, seeds);
            return SeedsPlan.logRank((r.observedX() - r.expectedX()) / r.variance(), r.events(), seeds);
        }

        private static int count(boolean[] b) {
            int n = 0;
            for (boolean x : b) if (x) n++;
            return n;
        }

        public Verdict judge(Summary s) {
            if (method == Method.LOG_RANK) throw new IllegalArgumentException("Criterion " + claim + ": a log-rank criterion is judged by judgeLogRank, not on a summary");
            if (kind == Kind.CHECK) return judgeCheck(s);
            if (method == Method.SIGN) return judgeSign(s);
            return direction == Direction.WITHIN ? judgeEquivalence(s) : judgeDifference(s);
        }

        private Verdict judgeCheck(Summary s) {
            double[] v = s.values();
            int pass = (int) Arrays.stream(v).filter(x -> direction == Direction.ABOVE ? x > threshold : x < threshold).count();
            int all = s.n() + s.missing();
            Outcome o = s.n() > 0 && s.missing() == 0 && pass == s.n() ? Outcome.PASS : Outcome.FAIL;
            Interval share = all == 0 ? new Interval(0, 1, 1 - ALPHA) : Proportions.clopperPearson(pass, all, 1 - ALPHA);
            return new Verdict(claim, this, s, o, new Evidence(test() + " (" + pass + " of " + all + ")", Double.NaN,
                    share.lower(), share.upper(), 1 - ALPHA, 0, SeedsPlan.NONE));
        }

        private Verdict judgeSign(Summary s) {
            int higher = (int) Arrays.stream(s.values()).filter(x -> x == 1).count(), decided = s.n();
            if (Arrays.stream(s.values()).anyMatch(x -> x != 0 && x != 1)) {
                throw new IllegalArgumentException("Criterion " + claim + ": a sign test expects per-seed values 1, 0 or NaN, got " + Arrays.toString(s.values()));
            }
            double p = Proportions.binomialTest(higher, decided);
            Outcome o = p < ALPHA ? (2 * higher > decided ? Outcome.SUPPORTED : Outcome.NOT_SUPPORTED) : Outcome.INCONCLUSIVE;
            Interval share = decided == 0 ? new Interval(0, 1, 1 - ALPHA) : Proportions.clopperPearson(higher, decided, 1 - ALPHA);
            return new Verdict(claim, this, s, o, new Evidence(test() + " (" + higher + " of " + decided + " decided, "
                    + s.missing() + " undecided)", p, share.lower(), share.upper(), 1 - ALPHA, o, SeedsPlan.sign(higher, decided, s.missing())));
        }

        private Verdict judgeDifference(Summary s) {
            Outcome o;
            if (s.n() < 2) o = Outcome.INCONCLUSIVE;
            else if (direction == Direction.ABOVE) o = s.lo() > threshold ? Outcome.SUPPORTED : s.hi() <= threshold ? Outcome.NOT_SUPPORTED : Outcome.INCONCLUSIVE;
            else if (direction == Direction.BELOW) o = s.hi() < threshold ? Outcome.SUPPORTED : s.lo() >= threshold ? Outcome.NOT_SUPPORTED : Outcome.INCONCLUSIVE;
            else o = s.lo() > threshold || s.hi() < threshold ? Outcome.SUPPORTED : Outcome.INCONCLUSIVE;
            PairedT.Result t = tTest(s, threshold);
            double p = t == null ? Double.NaN : Double.isNaN(t.pTwoSided()) ? 1 : t.pTwoSided();
            // Every value exactly at the threshold (zero spread) leaves t undefined, p = 1: no decision either way.
            if (o != Outcome.INCONCLUSIVE && p >= ALPHA) o = Outcome.INCONCLUSIVE;
            return new Verdict(claim, this, s, o, new Evidence(test(), p, s.lo(), s.hi(), 1 - ALPHA, o, SeedsPlan.pairedT(s, threshold)));
        }

        private Verdict judgeEquivalence(Summary s) {
            double low = threshold - margin, high = threshold + margin;
            if (s.n() < 2 || tTest(s, threshold) == null) {
                return new Verdict(claim, this, s, Outcome.INCONCLUSIVE, new Evidence(test(), Double.NaN, s.lo(), s.hi(), 1 - ALPHA, 0, SeedsPlan.NONE));
            }
            Tost.Result r = Tost.paired(s.values(), new double[s.n()], low, high, ALPHA);
            Interval ninety = r.paired().interval();
            boolean outside = s.lo() >= high || s.hi() <= low;
            Outcome o = r.p() < ALPHA ? Outcome.SUPPORTED : outside ? Outcome.NOT_SUPPORTED : Outcome.INCONCLUSIVE;
            double p;
            if (s.mean() > low && s.mean() < high) p = r.p();
            else {
                PairedT.Result t = tTest(s, s.mean() >= high ? high : low);
                p = Double.isNaN(t.pTwoSided()) ? 1 : t.pTwoSided();
            }
            return new Verdict(claim, this, s, o, new Evidence(test(), p, ninety.lower(), ninety.upper(), ninety.level(), o, SeedsPlan.tost(s, threshold, margin)));
        }

        private static PairedT.Result tTest(Summary s, double nullValue) {
            double[] v = s.values();
            if (v.length < 2 || Arrays.stream(v).anyMatch(x -> !Double.isFinite(x))) return null;
            return PairedT.ofDifferences(v, nullValue, 1 - ALPHA);
        }
    }

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.4g", v); }

    private static String capitalized(String s) { return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1); }

    /** Whether the verdict decides the claim (SUPPORTED or NOT SUPPORTED). */
    public boolean decisive() { return outcome == Outcome.SUPPORTED || outcome == Outcome.NOT_SUPPORTED; }

    /** The criterion's bound in a few words: "above 0", "≠ 0", "within 0 ± 0.01". */
    public String bound() {
        return switch (criterion.direction()) {
            case ABOVE -> "above " + fmt(criterion.threshold());
            case BELOW -> "below " + fmt(criterion.threshold());
            case EITHER -> "≠ " + fmt(criterion.threshold());
            case WITHIN -> "within " + fmt(criterion.threshold()) + " ± " + fmt(criterion.margin());
        };
    }

    /** "p = 0.012", or "p n/a". */
    public String pText() { return Double.isNaN(evidence.p()) ? "p n/a" : String.format(Locale.ROOT, "p = %.3g", evidence.p()); }

    /**
     * One sentence: "C2 SUPPORTED: [statistic] = 0.12 [0.10, 0.14] (n=3); p = 0.01 (Student t …); criterion: above 0".
     * A check reads "C1 PASS: [statistic] max 3.1e-07 (n=5); every value below 0.0001, none missing (5 of 5)".
     */
    @Override
    public String toString() {
        if (criterion.kind() == Kind.CHECK) {
            return claim + " " + outcome + ": [" + criterion.statistic() + "] " + measuredText() + "; " + evidence.test();
        }
        String s = claim + " " + outcome + ": [" + criterion.statistic() + "] = " + estimateText() + "; " + pText()
                + "; criterion: " + bound();
        if (evidence.seedsNeeded() != 0) s += "; seeds needed at 80% power: " + seedsText();
        return criterion.changed() ? s + " (criterion changed after results)" : s;
    }

    /** The estimate and its 95% interval: the t interval, or for a sign test the exact interval of the share. */
    public String estimateText() {
        if (criterion.method() != Method.SIGN) return statistic.format(3);
        String f = "%.3g";
        String v = statistic.n() == 0 ? "n/a" : String.format(Locale.ROOT, f + " [" + f + ", " + f + "]", statistic.mean(), evidence.lo(), evidence.hi());
        return v + " (n=" + statistic.n() + (statistic.missing() > 0 ? ", " + statistic.missing() + " undecided" : "") + ")";
    }

    /** For a check, the value that decides it: the largest value for a bound below, the smallest for one above. */
    public double measured() { return criterion.direction() == Direction.ABOVE ? statistic.min() : statistic.max(); }

    private String measuredText() {
        String which = criterion.direction() == Direction.ABOVE ? "min " : "max ";
        return which + String.format(Locale.ROOT, "%.3g", measured()) + " (n=" + statistic.n()
                + (statistic.missing() > 0 ? ", " + statistic.missing() + " missing" : "") + ")";
    }

    /** "12", "> 10⁷", or "" when not applicable. */
    public String seedsText() { return evidence.seedsNeeded() == 0 ? "" : evidence.seedsNeeded() < 0 ? "> 10⁷" : Integer.toString(evidence.seedsNeeded()); }

    /** A compact HTML block for notebooks (the kernel extension shows it when a verdict is a cell's value). */
    public String toHtml() {
        String color = switch (outcome) {
            case SUPPORTED, PASS -> "#1a7f37";
            case NOT_SUPPORTED, FAIL -> "#cf222e";
            case INCONCLUSIVE -> "#9a6700";
        };
        String value = criterion.kind() == Kind.CHECK ? measuredText() + "; " + evidence.test()
                : "= " + estimateText() + "; " + pText() + " (" + evidence.test() + ")"
                + (evidence.seedsNeeded() != 0 ? "; seeds needed at 80% power: " + seedsText() : "");
        return "<div style=\"border-left:6px solid " + color + ";padding:6px 12px;margin:4px 0;font-family:sans-serif\">"
                + "<div style=\"font-size:1.15em\"><b>" + esc(claim) + "</b> — <b style=\"color:" + color + "\">" + outcome + "</b>"
                + " <span style=\"color:#57606a\">(" + criterion.kind() + ")</span></div>"
                + "<div><code>" + esc(criterion.statistic()) + "</code> " + esc(value) + "</div>"
                + "<div style=\"color:#57606a\">criterion (" + esc(criterion.registration()) + "): " + esc(criterion.describe()) + "</div></div>";
    }

    /** The MIME type under which notebooks carry a verdict as data, so reports and README tables read it, never the prose. */
    public static final String MIME_TYPE = "application/vnd.normlab.verdict+json";

    /**
     * The verdict as plain data (for {@link #MIME_TYPE}): claim, statistic, mean, ci [lo, hi], n, missing, verdict,
     * criterion, then kind, test, p, interval [lo, hi, level] of the decision, seeds_needed, measured (checks), budget
     * and registration. Non-finite numbers (no value, or the unbounded interval of one seed) become null, since JSON
     * has no NaN or ∞.
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
        if (criterion.direction() == Direction.WITHIN) rule.put("margin", criterion.margin());
        m.put("criterion", rule);
        m.put("kind", criterion.kind().toString());
        m.put("test", evidence.test());
        m.put("p", finite(evidence.p()));
        m.put("interval", Arrays.asList(finite(evidence.lo()), finite(evidence.hi()), evidence.level()));
        m.put("seeds_needed", evidence.seedsNeeded());
        SeedsPlan plan = evidence.plan();
        Map<String, Object> planned = new LinkedHashMap<>();
        planned.put("test", plan.testName());
        planned.put("a", plan.a());
        planned.put("b", plan.b());
        planned.put("c", plan.c());
        m.put("plan", planned);
        if (criterion.kind() == Kind.CHECK) m.put("measured", finite(measured()));
        m.put("budget", criterion.budget());
        m.put("registration", criterion.registration());
        return m;
    }

    private static Double finite(double v) { return Double.isFinite(v) ? v : null; }

    private static String esc(String s) { return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"); }

    /** Verdicts as report rows: claim, kind, outcome, statistic, mean, lo, hi, n, missing, test, p, criterion, registration. */
    public static Table table(String name, List<Verdict> verdicts) {
        StringColumn claim = StringColumn.create("claim"), kind = StringColumn.create("kind"), outcome = StringColumn.create("outcome"),
                stat = StringColumn.create("statistic"), test = StringColumn.create("test"), criterion = StringColumn.create("criterion"),
                registration = StringColumn.create("registration");
        DoubleColumn mean = DoubleColumn.create("mean"), lo = DoubleColumn.create("ci95_lo"), hi = DoubleColumn.create("ci95_hi"),
                p = DoubleColumn.create("p");
        IntColumn n = IntColumn.create("n"), missing = IntColumn.create("missing");
        for (Verdict v : verdicts) {
            claim.append(v.claim());
            kind.append(v.criterion().kind().toString());
            outcome.append(v.outcome().toString());
            stat.append(v.criterion().statistic());
            mean.append(v.statistic().mean());
            lo.append(v.statistic().lo());
            hi.append(v.statistic().hi());
            n.append(v.statistic().n());
            missing.append(v.statistic().missing());
            test.append(v.evidence().test());
            p.append(v.evidence().p());
            criterion.append(v.bound());
            registration.append(v.criterion().registration());
        }
        return Table.create(name, claim, kind, outcome, stat, mean, lo, hi, n, missing, test, p, criterion, registration);
    }
}
