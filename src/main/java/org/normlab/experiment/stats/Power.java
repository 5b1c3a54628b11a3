package org.normlab.experiment.stats;

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
}
