package org.normlab.experiment.stats;

import java.util.List;

/**
 * An interval-censored value found by bisection, e.g. the largest stable learning rate: the true value lies in
 * [lastStable, firstUnstable], the last rate that trained stably and the first that did not. A search that never
 * met an unstable rate has {@code firstUnstable = +∞}; one that was unstable at its lowest rate has
 * {@code lastStable = 0}. Comparisons are made on log rates, the scale on which such a search is done.
 *
 * <p>Do not report a grid point as the value: report the interval (its geometric midpoint is a point estimate only).
 *
 * @param lastStable the largest rate seen stable (≥ 0)
 * @param firstUnstable the smallest rate seen unstable (&gt; lastStable, may be +∞)
 */
public record BisectionInterval(double lastStable, double firstUnstable) {
    /** Checks 0 ≤ lastStable &lt; firstUnstable. */
    public BisectionInterval {
        if (!(lastStable >= 0 && lastStable < firstUnstable) || Double.isInfinite(lastStable)) {
            throw new IllegalArgumentException("BisectionInterval: expected 0 <= lastStable < firstUnstable, got ["
                    + lastStable + ", " + firstUnstable + "]");
        }
    }

    /**
     * Sure bounds on a value (not a confidence interval: the value lies inside with certainty, given the runs).
     *
     * @param lower the lower bound, possibly −∞
     * @param upper the upper bound, possibly +∞
     */
    public record Bounds(double lower, double upper) {}

    /** [ln lastStable, ln firstUnstable], ends possibly infinite. */
    public Bounds logBounds() {
        return new Bounds(Math.log(lastStable), Math.log(firstUnstable));
    }

    /** √(lastStable·firstUnstable), a point estimate; NaN when an end is 0 or +∞. */
    public double geometricMidpoint() {
        if (lastStable == 0 || Double.isInfinite(firstUnstable)) return Double.NaN;
        return Math.sqrt(lastStable * firstUnstable);
    }

    /**
     * Bounds of the log ratio ln(a/b) of the true values: [ln a.lastStable − ln b.firstUnstable,
     * ln a.firstUnstable − ln b.lastStable].
     */
    public static Bounds logRatio(BisectionInterval a, BisectionInterval b) {
        return new Bounds(Math.log(a.lastStable) - Math.log(b.firstUnstable),
                Math.log(a.firstUnstable) - Math.log(b.lastStable));
    }

    /**
     * The outcome of a paired sign test on intervals.
     *
     * @param aHigher pairs where a's true value is certainly above b's
     * @param bHigher pairs where b's is certainly above a's
     * @param ties pairs whose intervals overlap: the order is unknown
     * @param p the exact two-sided sign test on the decisive pairs (1 when there are none)
     */
    public record SignTest(int aHigher, int bHigher, int ties, double p) {}

    /**
     * The paired sign test of a against b (one pair per seed). Rule: a pair is decided when the intervals do not
     * overlap: a is higher when a.lastStable ≥ b.firstUnstable (a trained stably at a rate where b did not, so
     * a's true value ≥ a.lastStable ≥ b.firstUnstable &gt; b's), and b is higher in the mirror case. Overlapping
     * intervals are ties — the order is unknown — and are left out of the test and reported. The p-value is the
     * exact two-sided binomial test of aHigher out of aHigher + bHigher against ½
     * ({@link Proportions#binomialTest}). Assumptions: pairs independent; ties unrelated to the direction (many
     * ties mean the bisection was too coarse: refine it rather than read the test). Reference:
     * {@code scipy.stats.binomtest(aHigher, aHigher + bHigher, 0.5)}.
     */
    public static SignTest signTest(List<BisectionInterval> a, List<BisectionInterval> b) {
        if (a.size() != b.size() || a.isEmpty()) {
            throw new IllegalArgumentException("BisectionInterval.signTest: expected two non-empty paired lists of "
                    + "equal size, got " + a.size() + " and " + b.size());
        }
        int aHigher = 0;
        int bHigher = 0;
        int ties = 0;
        for (int i = 0; i < a.size(); i++) {
            BisectionInterval x = a.get(i);
            BisectionInterval y = b.get(i);
            if (x.lastStable >= y.firstUnstable) aHigher++;
            else if (y.lastStable >= x.firstUnstable) bHigher++;
            else ties++;
        }
        return new SignTest(aHigher, bHigher, ties, Proportions.binomialTest(aHigher, aHigher + bHigher));
    }
}
