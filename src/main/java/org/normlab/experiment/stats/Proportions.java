package org.normlab.experiment.stats;

/**
 * Exact intervals and tests for 0/1 outcomes (a run diverged or not, reached a target or not). A Student-t interval
 * on 0/1 outcomes is wrong at the ends: with 5 successes in 5 it says [1, 1]; these do not.
 *
 * <ul>
 *   <li>{@link #clopperPearson}: the exact (conservative) binomial interval, coverage ≥ level for every true p.
 *   <li>{@link #wilson}: the score interval, coverage close to the level on average, narrower; no continuity
 *       correction.
 *   <li>{@link #fisherExact}: two independent arms (different runs), test of equal success rates.
 *   <li>{@link #mcnemarExact}: two paired arms (same seeds), test on the discordant pairs.
 *   <li>{@link #binomialTest}: the exact two-sided sign test for p = 1/2, used by McNemar and by
 *       {@link BisectionInterval#signTest}.
 * </ul>
 */
public final class Proportions {
    private Proportions() {}

    /**
     * The Clopper–Pearson interval for a binomial proportion: lower = B⁻¹(α/2; k, n − k + 1) (0 when k = 0),
     * upper = B⁻¹(1 − α/2; k + 1, n − k) (1 when k = n), with B⁻¹ the beta quantile and α = 1 − level.
     * Assumption: n independent trials with one success probability. Use it when a claim must hold whatever the true
     * rate (a verdict), especially for k near 0 or n. Reference: statsmodels {@code proportion_confint(k, n,
     * method='beta')}.
     */
    public static Interval clopperPearson(int successes, int trials, double level) {
        checkCounts("Proportions.clopperPearson", successes, trials);
        Check.level("Proportions.clopperPearson", level);
        double half = (1 - level) / 2;
        int k = successes;
        int n = trials;
        double lower = k == 0 ? 0 : Distributions.betaPpf(half, k, n - k + 1);
        double upper = k == n ? 1 : Distributions.betaPpf(1 - half, k + 1, n - k);
        return new Interval(lower, upper, level);
    }

    /**
     * The Wilson score interval: with p̂ = k/n and z = Φ⁻¹(1 − α/2), center = (p̂ + z²/2n)/(1 + z²/n) and half-width
     * z·√(p̂(1 − p̂)/n + z²/4n²)/(1 + z²/n). Assumptions as {@link #clopperPearson}; use it for a descriptive
     * interval (coverage near the level, never empty, never outside [0, 1] up to rounding). Reference: statsmodels
     * {@code proportion_confint(k, n, method='wilson')}.
     */
    public static Interval wilson(int successes, int trials, double level) {
        checkCounts("Proportions.wilson", successes, trials);
        Check.level("Proportions.wilson", level);
        double n = trials;
        double q = successes / n;
        double z = Distributions.normalIsf((1 - level) / 2);
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double center = (q + z2 / (2 * n)) / denominator;
        double half = z * Math.sqrt(q * (1 - q) / n + z2 / (4 * n * n)) / denominator;
        return new Interval(center - half, center + half, level);
    }

    /**
     * Fisher's exact test on the 2×2 table [[a, b], [c, d]] (rows: arms; columns: success, failure). Conditional on
     * the margins, a is hypergeometric: P(a = x) = C(a+b, x)·C(c+d, a+c−x)/C(n, a+c). "Less" is P(X ≤ a) (arm 1 has
     * the lower odds), "greater" P(X ≥ a), two-sided the sum of P(X = x) over every x with P(X = x) ≤ P(X = a)·(1 +
     * 10⁻⁷) (R's tolerance for "equal" probabilities; SciPy 1.14 uses 10⁻¹⁴, which only differs when two
     * probabilities of the table are within 10⁻⁷ relative yet not equal, and which rounding in the probabilities
     * themselves can defeat). A zero row or column sum gives p = 1. Assumptions: the
     * runs are independent. Use it for two arms made of different runs. Reference: {@code scipy.stats.fisher_exact}.
     */
    public static double fisherExact(int a, int b, int c, int d, Alternative alternative) {
        String method = "Proportions.fisherExact";
        if (a < 0 || b < 0 || c < 0 || d < 0) {
            throw new IllegalArgumentException(method + ": expected non-negative counts, got [[" + a + ", " + b
                    + "], [" + c + ", " + d + "]]");
        }
        if (a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0) return 1;
        int row1 = a + b;
        int total = a + b + c + d;
        int col1 = a + c;
        int lo = Math.max(0, col1 - (c + d));
        int hi = Math.min(row1, col1);
        double[] pmf = hypergeometricPmf(total, row1, col1, lo, hi);
        double p = 0;
        switch (alternative) {
            case LESS -> {
                for (int x = lo; x <= a; x++) p += pmf[x - lo];
            }
            case GREATER -> {
                for (int x = a; x <= hi; x++) p += pmf[x - lo];
            }
            case TWO_SIDED -> {
                double cut = pmf[a - lo] * (1 + 1e-7);
                for (int x = lo; x <= hi; x++) if (pmf[x - lo] <= cut) p += pmf[x - lo];
            }
        }
        return Math.min(1, p);
    }

    /**
     * The exact McNemar test for paired 0/1 outcomes: only discordant pairs carry information; with b pairs where
     * arm 1 succeeded and arm 2 failed and c the reverse, under H₀ b ~ Binomial(b + c, 1/2) and the two-sided p is
     * min(1, 2·P(X ≤ min(b, c))). Use it for two arms run on the same seeds (one pair per seed). Reference:
     * statsmodels {@code mcnemar(table, exact=True)}.
     */
    public static double mcnemarExact(int onlyFirst, int onlySecond) {
        if (onlyFirst < 0 || onlySecond < 0) {
            throw new IllegalArgumentException("Proportions.mcnemarExact: expected non-negative discordant counts, got "
                    + onlyFirst + " and " + onlySecond);
        }
        return binomialTest(onlyFirst, onlyFirst + onlySecond);
    }

    /** The exact McNemar test on paired 0/1 outcomes given as booleans per seed (see the counts form). */
    public static double mcnemarExact(boolean[] first, boolean[] second) {
        if (first.length != second.length) {
            throw new IllegalArgumentException("Proportions.mcnemarExact: expected paired arrays of equal length, got "
                    + first.length + " and " + second.length);
        }
        int onlyFirst = 0;
        int onlySecond = 0;
        for (int i = 0; i < first.length; i++) {
            if (first[i] && !second[i]) onlyFirst++;
            if (second[i] && !first[i]) onlySecond++;
        }
        return mcnemarExact(onlyFirst, onlySecond);
    }

    /**
     * The exact two-sided binomial test of p = 1/2 (the sign test): min(1, 2·P(X ≤ min(k, n − k))) for
     * X ~ Binomial(n, 1/2); 1 when n = 0. Reference: {@code scipy.stats.binomtest(k, n, 0.5)}.
     */
    public static double binomialTest(int successes, int trials) {
        checkCounts("Proportions.binomialTest", successes, trials, 0);
        if (trials == 0) return 1;
        int k = Math.min(successes, trials - successes);
        // log C(n, i) - n log 2, summed from i = 0 up to k in log space so that large n does not underflow.
        double logTerm = -trials * Math.log(2);
        double logSum = logTerm;
        for (int i = 1; i <= k; i++) {
            logTerm += Math.log((trials - i + 1.0) / i);
            logSum = logAddExp(logSum, logTerm);
        }
        return Math.min(1, 2 * Math.exp(logSum));
    }

    /** P(X = x) for x in [lo, hi], X hypergeometric (population, successes in it, draws); ratios from the mode. */
    private static double[] hypergeometricPmf(int population, int good, int draws, int lo, int hi) {
        double[] logW = new double[hi - lo + 1];
        for (int x = lo; x < hi; x++) {
            // P(x + 1) / P(x) = (good − x)(draws − x) / ((x + 1)(population − good − draws + x + 1))
            double ratio = ((double) (good - x) * (draws - x))
                    / ((double) (x + 1) * (population - good - draws + x + 1));
            logW[x + 1 - lo] = logW[x - lo] + Math.log(ratio);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double w : logW) max = Math.max(max, w);
        double sum = 0;
        for (double w : logW) sum += Math.exp(w - max);
        double[] pmf = new double[logW.length];
        for (int i = 0; i < pmf.length; i++) pmf[i] = Math.exp(logW[i] - max) / sum;
        return pmf;
    }

    private static double logAddExp(double x, double y) {
        double m = Math.max(x, y);
        return m + Math.log(Math.exp(x - m) + Math.exp(y - m));
    }

    private static void checkCounts(String method, int successes, int trials) {
        checkCounts(method, successes, trials, 1);
    }

    private static void checkCounts(String method, int successes, int trials, int minTrials) {
        if (trials < minTrials || successes < 0 || successes > trials) {
            throw new IllegalArgumentException(method + ": expected 0 <= successes <= trials and trials >= " + minTrials
                    + ", got " + successes + " of " + trials);
        }
    }
}
