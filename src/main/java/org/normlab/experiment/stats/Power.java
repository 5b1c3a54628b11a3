package org.normlab.experiment.stats;

import org.apache.commons.math3.special.Gamma;

/**
 * Power of the paired t-test and the number of seeds it needs, from a pilot's paired differences.
 *
 * <p>Formula: with the standardized effect d = mean/sd of the paired differences and n pairs, the t statistic is
 * noncentral t with df = n − 1 and noncentrality δ = d·√n. Power at level α is
 * P(T &gt; t_{1−α/2}) + P(T &lt; t_{α/2}) (two-sided), P(T &gt; t_{1−α}) ("greater") or P(T &lt; t_α) ("less"),
 * computed with the exact noncentral t distribution ({@link NoncentralT}, algorithm AS 243 — no normal
 * approximation). The seeds needed are the smallest integer n ≥ 2 whose power reaches the target; the continuous
 * solution (what statsmodels' {@code TTestPower().solve_power} returns) is given too. Reference: statsmodels
 * {@code TTestPower().power} and {@code solve_power(effect_size, nobs=None, alpha, power, alternative)}.
 *
 * <p>Assumptions: those of the paired t-test, and that the pilot's mean and sd are the true ones. A pilot of a few
 * seeds estimates sd poorly (with 5 seeds the 95% range of the sample sd is 0.35 to 1.67 times the true sd, so the
 * planned seeds, ∝ sd², range from 0.12 to 2.8 times the right number): plan on a conservative (larger) sd, and
 * state the pilot and the rule in the criterion. When to use: choosing the fixed number of seeds before the final
 * runs.
 */
public final class Power {
    /** The largest number of seeds searched. */
    static final double MAX_SEEDS = 1e7;

    private Power() {}

    /**
     * A seeds plan.
     *
     * @param seeds the smallest integer n ≥ 2 reaching the target power
     * @param continuousSeeds the real n at which the power equals the target (statsmodels' {@code solve_power})
     * @param power the power at {@code seeds}
     * @param effectSize d = mean/sd
     */
    public record Plan(int seeds, double continuousSeeds, double power, double effectSize) {}

    /** The power of the paired t-test with n pairs (n may be fractional, as in statsmodels) and effect size d. */
    public static double pairedPower(double n, double effectSize, double alpha, Alternative alternative) {
        String method = "Power.pairedPower";
        Check.alpha(method, alpha);
        if (!(n > 1) || Double.isInfinite(n)) {
            throw new IllegalArgumentException(method + ": expected a finite number of pairs n > 1, got " + n);
        }
        if (!Double.isFinite(effectSize)) {
            throw new IllegalArgumentException(method + ": expected a finite effect size, got " + effectSize);
        }
        double df = n - 1;
        double delta = effectSize * Math.sqrt(n);
        double tail = alternative == Alternative.TWO_SIDED ? alpha / 2 : alpha;
        double power = 0;
        if (alternative != Alternative.LESS) power += NoncentralT.sf(Distributions.tIsf(tail, df), df, delta);
        if (alternative != Alternative.GREATER) power += NoncentralT.cdf(-Distributions.tIsf(tail, df), df, delta);
        return power;
    }

    /** The seeds needed for the paired t-test to detect a mean difference {@code mean} with spread {@code sd}. */
    public static Plan pairedSeeds(double mean, double sd, double alpha, double power, Alternative alternative) {
        String method = "Power.pairedSeeds";
        Check.alpha(method, alpha);
        Check.positive(method, "sd", sd);
        if (!(power > alpha && power < 1)) {
            throw new IllegalArgumentException(method + ": expected a target power in (alpha, 1), got " + power);
        }
        double d = mean / sd;
        boolean wrongWay = (alternative == Alternative.GREATER && !(d > 0))
                || (alternative == Alternative.LESS && !(d < 0)) || d == 0 || !Double.isFinite(d);
        if (wrongWay) {
            throw new IllegalArgumentException(method + ": expected a pilot mean difference in the direction of the "
                    + alternative + " alternative and non-zero, got mean = " + mean + " (sd = " + sd + ")");
        }
        if (pairedPower(MAX_SEEDS, d, alpha, alternative) < power) {
            throw new IllegalArgumentException(method + ": expected an effect detectable with at most " + MAX_SEEDS
                    + " seeds, got effect size " + d);
        }
        double lo = 2;
        if (pairedPower(lo, d, alpha, alternative) >= power) return new Plan(2, solveContinuous(d, alpha, power,
                alternative, 1 + 1e-9), pairedPower(2, d, alpha, alternative), d);
        double continuous = solveContinuous(d, alpha, power, alternative, lo);
        int seeds = (int) Math.ceil(continuous);
        while (pairedPower(seeds, d, alpha, alternative) < power) seeds++;
        while (seeds > 2 && pairedPower(seeds - 1, d, alpha, alternative) >= power) seeds--;
        return new Plan(seeds, continuous, pairedPower(seeds, d, alpha, alternative), d);
    }

    /** The seeds needed, with mean and sd taken from a pilot's paired differences. */
    public static Plan pairedSeeds(double[] pilotDifferences, double alpha, double power, Alternative alternative) {
        PairedT.Result pilot = PairedT.ofDifferences(pilotDifferences, 0, 0.95);
        return pairedSeeds(pilot.meanDifference(), pilot.sdDifference(), alpha, power, alternative);
    }

    /** The real n ≥ lo where the power, increasing in n, crosses the target: bisection down to adjacent doubles. */
    private static double solveContinuous(double d, double alpha, double power, Alternative alternative, double lo) {
        return Distributions.solveDecreasing(n -> -pairedPower(n, d, alpha, alternative), -power, lo, MAX_SEEDS);
    }

    /**
     * The power of the exact two-sided sign test ({@link Proportions#binomialTest}) with n decided seeds when each seed
     * goes the first arm's way with probability {@code share}: P(the test rejects at alpha) = Σ over the k it rejects of
     * C(n, k)·share^k·(1 − share)^(n − k). Reference: the same sum with {@code scipy.stats.binom.pmf} and
     * {@code scipy.stats.binomtest}.
     */
    public static double signTestPower(int n, double share, double alpha) {
        if (!(share >= 0 && share <= 1)) throw new IllegalArgumentException("Power.signTestPower: expected a share in [0, 1], got " + share);
        Check.alpha("Power.signTestPower", alpha);
        // The test rejects k ≤ c and k ≥ n − c (it is symmetric and its p-value grows towards n/2): c by bisection.
        int lo = -1, hi = n / 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) / 2;
            if (Proportions.binomialTest(mid, n) < alpha) lo = mid;
            else hi = mid - 1;
        }
        int c = lo;
        if (c < 0) return 0;
        double power = 0;
        for (int k = 0; k <= n; k++) if (k <= c || k >= n - c) power += Math.exp(logBinomialPmf(k, n, share));
        return Math.min(1, power);
    }

    /**
     * The smallest number of decided seeds whose sign test reaches {@code power} at the share of seeds seen going one
     * way (the exact power is not monotone in n; the smallest n that reaches it is the usual answer); -1 when no n up to
     * {@link #MAX_SIGN_SEEDS} does (a share near 1/2).
     */
    public static int signTestSeeds(double share, double alpha, double power) {
        if (!(power > alpha && power < 1)) throw new IllegalArgumentException("Power.signTestSeeds: expected a target power in (alpha, 1), got " + power);
        if (share == 0.5) return -1;
        for (int n = 1; n <= EXACT_SIGN_SEEDS; n++) if (signTestPower(n, share, alpha) >= power) return n;
        // Beyond it, the normal approximation: n = ((z_{α/2}·½ + z_β·√(p(1 − p))) / (p − ½))².
        double z = Distributions.normalIsf(alpha / 2) * 0.5 + Distributions.normalIsf(1 - power) * Math.sqrt(share * (1 - share));
        double n = Math.ceil(Math.pow(z / (share - 0.5), 2));
        return n > MAX_SEEDS_STATED ? -1 : (int) Math.max(n, EXACT_SIGN_SEEDS + 1);
    }

    /** Up to this many seeds {@link #signTestSeeds} sums the exact binomial power; above, the normal approximation. */
    public static final int EXACT_SIGN_SEEDS = 2_000;
    /** Above this many seeds a plan says "more than 10⁷" (-1), as the paired-t plan does. */
    public static final int MAX_SEEDS_STATED = 10_000_000;

    /**
     * Events a two-sided log-rank test needs to detect hazard ratio exp(logHazardRatio) with equal arms (Schoenfeld
     * 1983): D = 4·(z_{1−α/2} + z_power)² / (ln HR)², rounded up. HR = 2 at α = 0.05 and 80% power needs 66 events.
     */
    public static int logRankEvents(double logHazardRatio, double alpha, double power) {
        Check.alpha("Power.logRankEvents", alpha);
        if (!(power > alpha && power < 1)) throw new IllegalArgumentException("Power.logRankEvents: expected a target power in (alpha, 1), got " + power);
        if (!(Math.abs(logHazardRatio) > 0) || !Double.isFinite(logHazardRatio)) {
            throw new IllegalArgumentException("Power.logRankEvents: expected a finite non-zero log hazard ratio, got " + logHazardRatio);
        }
        double z = Distributions.normalIsf(alpha / 2) + Distributions.normalIsf(1 - power);
        return (int) Math.ceil(4 * z * z / (logHazardRatio * logHazardRatio) - 1e-9);
    }

    /**
     * The power of the paired TOST ({@link Tost#paired}) with n pairs, for a true mean difference {@code delta} from
     * the equivalence centre, spread {@code sd} and margin {@code margin} (equivalence: |mean| &lt; margin), at level
     * alpha for each one-sided test: max(0, F(−t_c; n − 1, δ_U) − F(t_c; n − 1, δ_L)), F the noncentral t distribution
     * function, t_c = t_{1−α, n−1}, δ_L = (delta + margin)·√n / sd, δ_U = (delta − margin)·√n / sd. This is the
     * noncentral-t approximation of PowerTOST's {@code method = "nct"} (Labes et al.): P(A) + P(B) − 1 for the two
     * one-sided rejections A and B, a lower bound on P(A and B), so the seeds planned from it are never too few.
     * Reference: the same formula with {@code scipy.stats.nct} and a simulation of the paired TOST.
     */
    public static double tostPower(int n, double delta, double sd, double margin, double alpha) {
        String method = "Power.tostPower";
        Check.alpha(method, alpha);
        Check.positive(method, "sd", sd);
        Check.positive(method, "margin", margin);
        if (n < 2) throw new IllegalArgumentException(method + ": expected at least 2 pairs, got " + n);
        if (!Double.isFinite(delta)) throw new IllegalArgumentException(method + ": expected a finite mean difference, got " + delta);
        double df = n - 1, tc = Distributions.tIsf(alpha, df), root = Math.sqrt(n);
        double power = NoncentralT.cdf(-tc, df, (delta - margin) * root / sd) - NoncentralT.cdf(tc, df, (delta + margin) * root / sd);
        return Math.max(0, power);
    }

    /**
     * The smallest n ≥ 2 whose {@link #tostPower} reaches {@code power}; −1 when the difference lies at or beyond the
     * margin (no number of seeds shows equivalence) or more than {@link #MAX_SEEDS_STATED} are needed.
     */
    public static int tostSeeds(double delta, double sd, double margin, double alpha, double power) {
        if (!(power > alpha && power < 1)) throw new IllegalArgumentException("Power.tostSeeds: expected a target power in (alpha, 1), got " + power);
        if (!(Math.abs(delta) < margin)) return -1;
        int lo = 2, hi = 2;
        while (tostPower(hi, delta, sd, margin, alpha) < power) {
            if (hi == MAX_SEEDS_STATED) return -1;
            lo = hi;
            hi = (int) Math.min(MAX_SEEDS_STATED, 2L * hi);
        }
        if (hi == 2) return 2;
        // The power grows with n: the smallest n reaching it lies in (lo, hi].
        while (hi - lo > 1) {
            int mid = lo + (hi - lo) / 2;
            if (tostPower(mid, delta, sd, margin, alpha) >= power) hi = mid;
            else lo = mid;
        }
        return hi;
    }

    private static double logBinomialPmf(int k, int n, double p) {
        if (p == 0) return k == 0 ? 0 : Double.NEGATIVE_INFINITY;
        if (p == 1) return k == n ? 0 : Double.NEGATIVE_INFINITY;
        return logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
    }

    /** ln C(n, k) by the log-gamma function (commons-math), accurate to ~1e-14 relative for the n used here. */
    private static double logChoose(int n, int k) {
        return Gamma.logGamma(n + 1.0) - Gamma.logGamma(k + 1.0) - Gamma.logGamma(n - k + 1.0);
    }
}
