package org.normlab.experiment.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Rank tests that need no normality and accept "never" as the worst outcome: the Wilcoxon signed-rank test (paired)
 * and the Mann–Whitney U test (two independent samples). Values may be {@code +∞} ("never reached the target" in
 * steps-to-target, where lower is better): ranks only need order, and all the "nevers" tie with each other.
 *
 * <p>Both follow SciPy 1.14 in statistic, ties, corrections and in when they use the exact distribution, so that a
 * verdict can be reproduced there:
 * <ul>
 *   <li>Signed-rank ({@code scipy.stats.wilcoxon}, zero_method 'wilcox'): zero differences are dropped; ranks of
 *       |d| are averaged over ties; W⁺ is the rank sum of the positive differences. Exact when n ≤ 50 and there are
 *       no zeros (ties allowed: the exact null distribution is that of untied ranks and a tied W⁺ is rounded toward
 *       the conservative side); else normal with mean n(n+1)/4 and variance (n(n+1)(2n+1) − Σ(t³ − t)/2)/24 over
 *       the tie groups t, continuity correction ½ only if asked (SciPy's default is none).
 *   <li>Mann–Whitney ({@code scipy.stats.mannwhitneyu}): U₁ = R₁ − n₁(n₁+1)/2. Exact when the smaller sample has
 *       ≤ 8 values and there are no ties, else normal with mean n₁n₂/2, variance
 *       n₁n₂/12·((n + 1) − Σ(t³ − t)/(n(n − 1))), continuity correction ½ by default.
 * </ul>
 *
 * <p>Assumptions: independent pairs (signed-rank: differences symmetric about their median under H₀) or independent
 * samples (Mann–Whitney: exchangeable under H₀). When to use: outcomes with a ceiling, a heavy tail or runs that
 * never reach a target. For censoring at different budgets per run use {@link LogRank}.
 */
public final class RankTests {
    private RankTests() {}

    /** Which null distribution to use; {@link #AUTO} is SciPy's rule given in the class comment. */
    public enum Method { AUTO, EXACT, NORMAL }

    /**
     * The outcome of a rank test.
     *
     * @param statistic SciPy's statistic: for the signed-rank min(W⁺, W⁻) when two-sided, else W⁺; for
     *     Mann–Whitney U₁
     * @param z the standardized statistic when the normal approximation was used (NaN when exact)
     * @param p the p-value
     * @param n the number of non-zero differences (signed-rank) or n₁ + n₂ (Mann–Whitney)
     * @param exact whether the exact null distribution was used
     */
    public record Result(double statistic, double z, double p, int n, boolean exact) {}

    /** The signed-rank test of the paired differences a − b, SciPy's defaults (AUTO, no continuity correction). */
    public static Result signedRank(double[] a, double[] b, Alternative alternative) {
        String method = "RankTests.signedRank";
        Check.notNaN(method, "a", a);
        Check.notNaN(method, "b", b);
        Check.sameLength(method, a, b);
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            if (a[i] == b[i]) d[i] = 0; // ∞ − ∞ is NaN, but two "nevers" are a tie
            else d[i] = a[i] - b[i];
        }
        return signedRank(d, alternative, Method.AUTO, false);
    }

    /**
     * The signed-rank test of steps-to-target where some runs never reach the target ({@code +∞}, or any value above
     * {@code budget}). Rule: "never" is scored 2·budget + 1, so that a pair in which exactly one run never reaches
     * the target has a larger |difference| than any pair in which both do (those differ by at most the budget):
     * never is worse than any reached value, and a pair split by never carries the highest ranks. Two nevers tie
     * (difference 0, dropped as SciPy's zero_method 'wilcox'). Lower steps are better, so "less" means arm a
     * reaches the target sooner. NaN is refused, as in {@link LogRank#censoredAtBudget}: a missing run is not a
     * "never".
     */
    public static Result signedRankNeverWorst(double[] stepsA, double[] stepsB, double budget,
                                              Alternative alternative) {
        String method = "RankTests.signedRankNeverWorst";
        Check.positive(method, "budget", budget);
        return signedRank(neverAsWorst(method, "stepsA", stepsA, budget), neverAsWorst(method, "stepsB", stepsB,
                budget), alternative);
    }

    /**
     * The signed-rank test of the differences {@code d}.
     *
     * @param continuity subtract ½ from |W⁺ − mean| in the normal approximation (SciPy's {@code correction})
     */
    public static Result signedRank(double[] d, Alternative alternative, Method method, boolean continuity) {
        String name = "RankTests.signedRank";
        Check.notNaN(name, "d", d);
        Check.minLength(name, "d", d, 1);
        int zeros = 0;
        for (double v : d) if (v == 0) zeros++;
        boolean exact = switch (method) {
            case AUTO -> d.length <= 50 && zeros == 0;
            case EXACT -> {
                if (d.length > 1000) {
                    throw new IllegalArgumentException(
                            name + ": expected at most 1000 differences for the exact method, got " + d.length);
                }
                if (zeros > 0) {
                    throw new IllegalArgumentException(
                            name + ": expected no zero differences for the exact method, got " + zeros);
                }
                yield true;
            }
            case NORMAL -> false;
        };
        int n = d.length - zeros;
        if (n == 0) {
            throw new IllegalArgumentException(name + ": expected at least one non-zero difference, got all "
                    + d.length + " zero");
        }
        double[] abs = new double[n];
        double[] sign = new double[n];
        int k = 0;
        for (double v : d) {
            if (v != 0) {
                abs[k] = Math.abs(v);
                sign[k++] = Math.signum(v);
            }
        }
        Ranks ranks = Ranks.of(abs);
        double rPlus = 0;
        double rMinus = 0;
        for (int i = 0; i < n; i++) {
            if (sign[i] > 0) rPlus += ranks.rank[i];
            else rMinus += ranks.rank[i];
        }
        double statistic = alternative == Alternative.TWO_SIDED ? Math.min(rPlus, rMinus) : rPlus;
        if (exact) {
            double[] cdf = signedRankCdf(n);
            int lo = (int) Math.floor(rPlus);
            int hi = (int) Math.ceil(rPlus);
            double less = cdf[hi];
            double greater = lo == 0 ? 1 : 1 - cdf[lo - 1];
            double p = switch (alternative) {
                case LESS -> less;
                case GREATER -> greater;
                case TWO_SIDED -> Math.min(1, 2 * Math.min(less, greater));
            };
            return new Result(statistic, Double.NaN, p, n, true);
        }
        double mean = n * (n + 1) * 0.25;
        double var = (n * (n + 1.0) * (2.0 * n + 1) - ranks.tieTerm / 2) / 24;
        double se = Math.sqrt(var);
        double z = (rPlus - mean) / se;
        if (continuity) {
            double s = switch (alternative) {
                case GREATER -> 1;
                case LESS -> -1;
                case TWO_SIDED -> Math.signum(z);
            };
            z -= s * 0.5 / se;
        }
        double p = Distributions.pValue(z, Distributions::normalSf, alternative);
        return new Result(statistic, alternative == Alternative.TWO_SIDED ? -Math.abs(z) : z, p, n, false);
    }

    /** The Mann–Whitney U test of x against y, SciPy's defaults (AUTO, continuity correction). */
    public static Result mannWhitney(double[] x, double[] y, Alternative alternative) {
        return mannWhitney(x, y, alternative, Method.AUTO, true);
    }

    /**
     * The Mann–Whitney U test of x against y ("greater": x tends to be larger).
     *
     * @param continuity subtract ½ from U in the normal approximation (SciPy's {@code use_continuity})
     */
    public static Result mannWhitney(double[] x, double[] y, Alternative alternative, Method method,
                                     boolean continuity) {
        String name = "RankTests.mannWhitney";
        Check.notNaN(name, "x", x);
        Check.notNaN(name, "y", y);
        Check.minLength(name, "x", x, 1);
        Check.minLength(name, "y", y, 1);
        int n1 = x.length;
        int n2 = y.length;
        double[] pooled = new double[n1 + n2];
        System.arraycopy(x, 0, pooled, 0, n1);
        System.arraycopy(y, 0, pooled, n1, n2);
        Ranks ranks = Ranks.of(pooled);
        double r1 = 0;
        for (int i = 0; i < n1; i++) r1 += ranks.rank[i];
        double u1 = r1 - n1 * (n1 + 1) / 2.0;
        double u2 = (double) n1 * n2 - u1;
        double u = switch (alternative) {
            case GREATER -> u1;
            case LESS -> u2;
            case TWO_SIDED -> Math.max(u1, u2);
        };
        double factor = alternative == Alternative.TWO_SIDED ? 2 : 1;
        boolean exact = switch (method) {
            case AUTO -> Math.min(n1, n2) <= 8 && !ranks.hasTies;
            case EXACT -> true;
            case NORMAL -> false;
        };
        if (exact) {
            double p = factor * mannWhitneySf((int) u, n1, n2);
            return new Result(u1, Double.NaN, Math.min(1, p), n1 + n2, true);
        }
        int n = n1 + n2;
        double s = Math.sqrt(n1 * (double) n2 / 12 * ((n + 1) - ranks.tieTerm / ((double) n * (n - 1))));
        double numerator = u - n1 * (double) n2 / 2;
        if (continuity) numerator -= 0.5;
        double z = numerator / s;
        double p = factor * Distributions.normalSf(z);
        return new Result(u1, z, Math.min(1, Math.max(0, p)), n, false);
    }

    /** P(W⁺ ≤ w) for w = 0..n(n+1)/2 with n untied ranks: counts of subsets of {1..n} by sum, over 2ⁿ. */
    static double[] signedRankCdf(int n) {
        int max = n * (n + 1) / 2;
        double[] count = new double[max + 1];
        count[0] = 1;
        for (int r = 1; r <= n; r++) {
            for (int s = Math.min(max, r * (r + 1) / 2); s >= r; s--) count[s] += count[s - r];
        }
        double total = Math.pow(2, n);
        double[] cdf = new double[max + 1];
        double running = 0;
        for (int s = 0; s <= max; s++) {
            running += count[s];
            cdf[s] = running / total;
        }
        return cdf;
    }

    /**
     * P(U ≥ u) for samples of sizes n1, n2 without ties, from the recursion
     * P_{m,k}(u) = m/(m+k)·P_{m−1,k}(u − k) + k/(m+k)·P_{m,k−1}(u), m the smaller size.
     */
    static double mannWhitneySf(int u, int n1, int n2) {
        int m = Math.min(n1, n2);
        int k = Math.max(n1, n2);
        int max = m * k;
        if (u <= 0) return 1;
        if (u > max) return 0;
        // p[i][v]: P(U = v) for sizes (i, j) at the current j.
        double[][] p = new double[m + 1][max + 1];
        for (int i = 0; i <= m; i++) p[i][0] = 1; // j = 0: U is 0
        for (int j = 1; j <= k; j++) {
            double[][] next = new double[m + 1][max + 1];
            next[0][0] = 1;
            for (int i = 1; i <= m; i++) {
                double wi = i / (double) (i + j);
                double wj = j / (double) (i + j);
                for (int v = 0; v <= i * j; v++) {
                    double fromI = v >= j ? next[i - 1][v - j] : 0;
                    next[i][v] = wi * fromI + wj * p[i][v];
                }
            }
            p = next;
        }
        double[] pmf = p[m];
        // sum the smaller side, as SciPy does, so that tail probabilities keep their precision
        int complement = max - u;
        if (u > complement) {
            double s = 0;
            for (int v = u; v <= max; v++) s += pmf[v];
            return s;
        }
        double below = 0;
        for (int v = 0; v < u; v++) below += pmf[v];
        return 1 - below;
    }

    private static double[] neverAsWorst(String method, String name, double[] steps, double budget) {
        Check.notNaN(method, name, steps);
        double[] out = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] < 0) {
                throw new IllegalArgumentException(method + ": expected steps >= 0 in " + name + ", got " + name + "["
                        + i + "] = " + steps[i]);
            }
            out[i] = steps[i] > budget ? 2 * budget + 1 : steps[i];
        }
        return out;
    }

    /** Average ranks (1-based) with ties, and the tie term Σ(t³ − t) over tie groups. */
    static final class Ranks {
        final double[] rank;
        final double tieTerm;
        final boolean hasTies;

        private Ranks(double[] rank, double tieTerm, boolean hasTies) {
            this.rank = rank;
            this.tieTerm = tieTerm;
            this.hasTies = hasTies;
        }

        static Ranks of(double[] x) {
            int n = x.length;
            Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparingDouble(i -> x[i]));
            double[] rank = new double[n];
            double tieTerm = 0;
            boolean hasTies = false;
            int i = 0;
            while (i < n) {
                int j = i;
                while (j + 1 < n && x[order[j + 1]] == x[order[i]]) j++;
                double average = (i + j + 2) / 2.0;
                for (int q = i; q <= j; q++) rank[order[q]] = average;
                double t = j - i + 1;
                if (t > 1) hasTies = true;
                tieTerm += t * t * t - t;
                i = j + 1;
            }
            return new Ranks(rank, tieTerm, hasTies);
        }
    }
}
