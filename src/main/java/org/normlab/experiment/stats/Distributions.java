package org.normlab.experiment.stats;

import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Erf;

/**
 * Tail probabilities and quantiles of the normal, Student-t and beta distributions, computed from commons-math's
 * special functions so that small tail probabilities keep their relative precision (commons-math's
 * {@code cumulativeProbability} returns {@code 1 - tail}, which loses it, and its quantiles stop at an absolute
 * accuracy of 1e-9). Quantiles are found by bisection over the ordered bit patterns of non-negative doubles, which
 * ends on adjacent doubles after at most 64 evaluations.
 */
final class Distributions {
    /** Continued-fraction tolerance for the regularized incomplete beta function. */
    private static final double BETA_EPSILON = 1e-15;

    private Distributions() {}

    /** P(Z &gt; z) for a standard normal Z. */
    static double normalSf(double z) {
        return 0.5 * Erf.erfc(z / Math.sqrt(2));
    }

    /** P(Z ≤ z) for a standard normal Z. */
    static double normalCdf(double z) {
        return normalSf(-z);
    }

    /** The z with P(Z &gt; z) = q, for q in (0, 1). */
    static double normalIsf(double q) {
        if (q == 0.5) return 0;
        if (q > 0.5) return -normalIsf(1 - q);
        return solveDecreasing(Distributions::normalSf, q, 0, 40);
    }

    /** P(T &gt; t) for Student's t with {@code df} degrees of freedom (df may be fractional). */
    static double tSf(double t, double df) {
        if (Double.isNaN(t)) return Double.NaN;
        if (t == Double.POSITIVE_INFINITY) return 0;
        if (t == Double.NEGATIVE_INFINITY) return 1;
        if (t < 0) return 1 - tSf(-t, df);
        return 0.5 * Beta.regularizedBeta(df / (df + t * t), 0.5 * df, 0.5, BETA_EPSILON);
    }

    /** P(T ≤ t) for Student's t with {@code df} degrees of freedom. */
    static double tCdf(double t, double df) {
        return tSf(-t, df);
    }

    /** The t with P(T &gt; t) = q, for q in (0, 1). */
    static double tIsf(double q, double df) {
        if (q == 0.5) return 0;
        if (q > 0.5) return -tIsf(1 - q, df);
        return solveDecreasing(t -> tSf(t, df), q, 0, Double.MAX_VALUE);
    }

    /** The regularized incomplete beta function I_x(a, b), the CDF of Beta(a, b) at x. */
    static double betaCdf(double x, double a, double b) {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        return Beta.regularizedBeta(x, a, b, BETA_EPSILON);
    }

    /** The x in [0, 1] with I_x(a, b) = p. */
    static double betaPpf(double p, double a, double b) {
        return solveDecreasing(x -> -betaCdf(x, a, b), -p, 0, 1);
    }

    /**
     * The x in [lo, hi] (0 ≤ lo &lt; hi) where the non-increasing {@code f} crosses {@code target}: bisection on the
     * bit patterns of doubles, whose order is the order of the non-negative values they encode.
     */
    static double solveDecreasing(DoubleUnaryOperator f, double target, double lo, double hi) {
        long a = Double.doubleToRawLongBits(lo);
        long b = Double.doubleToRawLongBits(hi);
        while (b - a > 1) {
            long m = a + (b - a) / 2;
            if (f.applyAsDouble(Double.longBitsToDouble(m)) > target) a = m;
            else b = m;
        }
        double xa = Double.longBitsToDouble(a);
        double xb = Double.longBitsToDouble(b);
        return Math.abs(f.applyAsDouble(xa) - target) <= Math.abs(f.applyAsDouble(xb) - target) ? xa : xb;
    }

    /** The p-value of a statistic whose null distribution is symmetric, from its survival function. */
    static double pValue(double stat, DoubleUnaryOperator sf, Alternative alternative) {
        return switch (alternative) {
            case GREATER -> sf.applyAsDouble(stat);
            case LESS -> sf.applyAsDouble(-stat);
            case TWO_SIDED -> Math.min(1, 2 * sf.applyAsDouble(Math.abs(stat)));
        };
    }
}
