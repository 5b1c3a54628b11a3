package org.normlab.experiment.stats;

/**
 * Paired Student-t test and interval for the mean difference {@code d_i = a_i - b_i}.
 *
 * <p>Formula: d̄ = Σ d_i / n, s = √(Σ (d_i − d̄)² / (n − 1)), se = s / √n, t = (d̄ − μ₀) / se with n − 1 degrees of
 * freedom; the two-sided interval at level 1 − α is d̄ ± t_{1−α/2, n−1} · se; p-values are P(T ≥ t) ("greater"),
 * P(T ≤ t) ("less") and 2·P(T ≥ |t|) (two-sided).
 *
 * <p>Assumptions: the pairs are independent and the differences are roughly normal (or n is large enough for the
 * mean to be). When to use: a continuous paired outcome per seed (final loss, accuracy) with no censoring and no
 * ceiling. For 0/1 outcomes use {@link Proportions}; for outcomes some runs never reach use {@link LogRank} or
 * {@link RankTests}; for "no worse than" or "about the same" claims use {@link Tost}.
 *
 * <p>Zero spread: when every difference is equal, se = 0 and t is ±∞ (p = 0) or, when the differences are all zero,
 * undefined (t and p are NaN), exactly as SciPy's {@code ttest_rel}. Reference: {@code scipy.stats.ttest_rel} and its
 * {@code confidence_interval}.
 */
public final class PairedT {
    private PairedT() {}

    /**
     * The outcome of a paired t-test.
     *
     * @param n the number of pairs
     * @param meanDifference d̄
     * @param sdDifference s, the sample standard deviation of the differences
     * @param standardError s / √n
     * @param t the t statistic against the null value {@code nullValue}
     * @param df the degrees of freedom n − 1
     * @param nullValue μ₀
     * @param pTwoSided 2·P(T ≥ |t|)
     * @param pGreater P(T ≥ t), for the alternative "mean difference &gt; μ₀"
     * @param pLess P(T ≤ t), for the alternative "mean difference &lt; μ₀"
     * @param interval the two-sided interval for the mean difference
     */
    public record Result(int n, double meanDifference, double sdDifference, double standardError, double t,
                         double df, double nullValue, double pTwoSided, double pGreater, double pLess,
                         Interval interval) {
        /** The p-value for the given alternative. */
        public double p(Alternative alternative) {
            return switch (alternative) {
                case TWO_SIDED -> pTwoSided;
                case GREATER -> pGreater;
                case LESS -> pLess;
            };
        }

        /**
         * The interval matching an alternative: two-sided, or one-sided [d̄ − t_{1−α}·se, ∞) for "greater" and
         * (−∞, d̄ + t_{1−α}·se] for "less" (as SciPy's {@code confidence_interval} of a one-sided test).
         */
        public Interval interval(double level, Alternative alternative) {
            Check.level("PairedT.Result.interval", level);
            double alpha = 1 - level;
            return switch (alternative) {
                case TWO_SIDED -> twoSided(meanDifference, standardError, df, level);
                case GREATER -> new Interval(meanDifference - Distributions.tIsf(alpha, df) * standardError,
                        Double.POSITIVE_INFINITY, level);
                case LESS -> new Interval(Double.NEGATIVE_INFINITY,
                        meanDifference + Distributions.tIsf(alpha, df) * standardError, level);
            };
        }
    }

    /** The paired test of a − b against 0 with a two-sided 95% interval. */
    public static Result test(double[] a, double[] b) {
        return ofDifferences(Check.differences("PairedT.test", a, b), 0, 0.95);
    }

    /** The paired test of a − b against {@code nullValue} with a two-sided interval at {@code level}. */
    public static Result test(double[] a, double[] b, double nullValue, double level) {
        return ofDifferences(Check.differences("PairedT.test", a, b), nullValue, level);
    }

    /** The one-sample t-test of the differences {@code d} against {@code nullValue}, interval at {@code level}. */
    public static Result ofDifferences(double[] d, double nullValue, double level) {
        String method = "PairedT.ofDifferences";
        Check.finite(method, "d", d);
        Check.minLength(method, "d", d, 2);
        Check.level(method, level);
        if (!Double.isFinite(nullValue)) {
            throw new IllegalArgumentException(method + ": expected a finite null value, got " + nullValue);
        }
        int n = d.length;
        double mean = mean(d);
        double ss = 0;
        for (double x : d) ss += (x - mean) * (x - mean);
        double sd = Math.sqrt(ss / (n - 1));
        double se = sd / Math.sqrt(n);
        double df = n - 1;
        double t = (mean - nullValue) / se;
        double pGreater = Distributions.tSf(t, df);
        double pLess = Distributions.tCdf(t, df);
        double pTwo = Double.isNaN(t) ? Double.NaN : Math.min(1, 2 * Distributions.tSf(Math.abs(t), df));
        return new Result(n, mean, sd, se, t, df, nullValue, pTwo, pGreater, pLess, twoSided(mean, se, df, level));
    }

    private static Interval twoSided(double mean, double se, double df, double level) {
        double half = Distributions.tIsf((1 - level) / 2, df) * se;
        return new Interval(mean - half, mean + half, level);
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }
}
