package org.normlab.experiment;

import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Mean and 95% confidence interval of a statistic over seeds (Student's t, n − 1 degrees of freedom):
 * <pre>  mean ± t₀.₉₇₅(n − 1) · s / √n,   s² = Σ (xᵢ − mean)² / (n − 1)</pre>
 * NaN values (e.g. a target never reached) are kept out of the mean and counted in {@code missing}.
 * With one value the interval is (−∞, ∞): one seed says nothing about spread. The values themselves are kept (in
 * {@link #values()}), so that a verdict can run the test its criterion names on them.
 */
public record Summary(int n, int missing, double mean, double sd, double lo, double hi, double[] values) {

    public Summary {
        values = values.clone();
    }

    /** The values the summary was made from, NaN left out, in their order. */
    @Override
    public double[] values() { return values.clone(); }

    /** The smallest value (NaN when there is none). */
    public double min() { return Arrays.stream(values).min().orElse(Double.NaN); }

    /** The largest value (NaN when there is none). */
    public double max() { return Arrays.stream(values).max().orElse(Double.NaN); }

    public static Summary of(double... values) {
        double[] finite = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        int n = finite.length, missing = values.length - n;
        if (n == 0) return new Summary(0, missing, Double.NaN, Double.NaN, Double.NaN, Double.NaN, finite);
        double mean = Arrays.stream(finite).sum() / n;
        if (n == 1) return new Summary(1, missing, mean, Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, finite);
        double ss = 0;
        for (double v : finite) ss += (v - mean) * (v - mean);
        double sd = Math.sqrt(ss / (n - 1));
        double half = new TDistribution(n - 1).inverseCumulativeProbability(0.975) * sd / Math.sqrt(n);
        return new Summary(n, missing, mean, sd, mean - half, mean + half, finite);
    }

    /** "0.841 [0.835, 0.847] (n=3)". */
    public String format(int digits) {
        String f = "%." + digits + "g";
        String s = n == 0 ? "n/a" : String.format(Locale.ROOT, f + " [" + f + ", " + f + "]", mean, lo, hi);
        return s + " (n=" + n + (missing > 0 ? ", " + missing + " missing" : "") + ")";
    }

    @Override
    public String toString() { return format(3); }
}
