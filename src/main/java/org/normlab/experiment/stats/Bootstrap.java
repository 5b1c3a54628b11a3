package org.normlab.experiment.stats;

import java.util.Arrays;
import org.apache.commons.math3.random.Well19937c;

/**
 * Seeded bootstrap intervals for a mean and for a paired mean difference.
 *
 * <p>Resampling: each of the B replicates draws n indices uniformly with replacement and takes the mean of the
 * drawn values. The generator is commons-math's {@link Well19937c} seeded with {@code seed} and indices come from
 * its {@code nextInt(n)}; both are fixed by the pinned commons-math3 3.6.1, so a seed gives the same interval on
 * every JVM. (SciPy's numpy generator draws different indices: its intervals agree with these only in distribution.)
 *
 * <p>Percentile interval at level 1 − 2α: the α and 1 − α quantiles of the replicates, quantiles by linear
 * interpolation between order statistics (numpy's default {@code 'linear'}: position (B − 1)·q).
 *
 * <p>BCa interval (Efron &amp; Tibshirani 1993, 14.3): with θ̂ the sample mean, the bias correction
 * z₀ = Φ⁻¹((#{θ*_b &lt; θ̂} + #{θ*_b ≤ θ̂})/2B), the acceleration from the jackknife means θ₍ᵢ₎ (θ̄ their mean)
 * a = Σ(θ̄ − θ₍ᵢ₎)³ / (6·(Σ(θ̄ − θ₍ᵢ₎)²)^{3/2}), the interval is the quantiles at
 * α₁ = Φ(z₀ + (z₀ + z_α)/(1 − a(z₀ + z_α))) and α₂ = Φ(z₀ + (z₀ + z_{1−α})/(1 − a(z₀ + z_{1−α}))). This is SciPy's
 * {@code bootstrap(method='BCa')}, its default.
 *
 * <p>Assumptions: the observations (or pairs) are independent and identically distributed; B should be ≥ 2000 for a
 * 95% interval (at B = 20000 the ends still carry a Monte-Carlo error of about 0.03 standard errors). When to use:
 * a mean whose sampling distribution may be skewed (few seeds, a bounded metric), as a check beside the t interval;
 * prefer BCa, which corrects the percentile interval's bias and skew. With fewer than about 10 observations no
 * bootstrap interval has its nominal coverage: report it with n and do not use it alone for a verdict.
 */
public final class Bootstrap {
    /** The default number of replicates, as SciPy's. */
    public static final int DEFAULT_RESAMPLES = 9999;

    private Bootstrap() {}

    /** The percentile interval of the mean of {@code x}. */
    public static Interval percentileMean(double[] x, int resamples, double level, long seed) {
        Check.level("Bootstrap.percentileMean", level);
        return percentile(meanReplicates(x, resamples, seed), level);
    }

    /** The BCa interval of the mean of {@code x}. */
    public static Interval bcaMean(double[] x, int resamples, double level, long seed) {
        Check.level("Bootstrap.bcaMean", level);
        return bca(x, meanReplicates(x, resamples, seed), level);
    }

    /** The percentile interval of the mean of the paired differences a − b (pairs resampled together). */
    public static Interval percentilePairedMean(double[] a, double[] b, int resamples, double level, long seed) {
        return percentileMean(Check.differences("Bootstrap.percentilePairedMean", a, b), resamples, level, seed);
    }

    /** The BCa interval of the mean of the paired differences a − b (pairs resampled together). */
    public static Interval bcaPairedMean(double[] a, double[] b, int resamples, double level, long seed) {
        return bcaMean(Check.differences("Bootstrap.bcaPairedMean", a, b), resamples, level, seed);
    }

    /** The B bootstrap means of {@code x} drawn with the generator seeded by {@code seed}. */
    public static double[] meanReplicates(double[] x, int resamples, long seed) {
        String method = "Bootstrap.meanReplicates";
        Check.finite(method, "x", x);
        Check.minLength(method, "x", x, 2);
        if (resamples < 2) {
            throw new IllegalArgumentException(method + ": expected at least 2 resamples, got " + resamples);
        }
        Well19937c rng = new Well19937c(seed);
        int n = x.length;
        double[] replicates = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += x[rng.nextInt(n)];
            replicates[r] = sum / n;
        }
        return replicates;
    }

    /** The percentile interval from given replicates: their (1 − level)/2 and (1 + level)/2 quantiles. */
    public static Interval percentile(double[] replicates, double level) {
        String method = "Bootstrap.percentile";
        Check.finite(method, "replicates", replicates);
        Check.minLength(method, "replicates", replicates, 2);
        Check.level(method, level);
        double[] sorted = replicates.clone();
        Arrays.sort(sorted);
        double alpha = (1 - level) / 2;
        return new Interval(quantile(sorted, alpha), quantile(sorted, 1 - alpha), level);
    }

    /**
     * The BCa interval of the mean of {@code x} from given replicates of that mean. When every jackknife mean is
     * equal (all x equal) the acceleration is undefined and the interval is the single value [x̄, x̄]; SciPy returns
     * NaN there.
     */
    public static Interval bca(double[] x, double[] replicates, double level) {
        String method = "Bootstrap.bca";
        Check.finite(method, "x", x);
        Check.minLength(method, "x", x, 2);
        Check.finite(method, "replicates", replicates);
        Check.minLength(method, "replicates", replicates, 2);
        Check.level(method, level);
        int n = x.length;
        double thetaHat = PairedT.mean(x);
        int below = 0;
        int atOrBelow = 0;
        for (double t : replicates) {
            if (t < thetaHat) below++;
            if (t <= thetaHat) atOrBelow++;
        }
        double z0 = -Distributions.normalIsf((below + atOrBelow) / (2.0 * replicates.length));
        double sum = 0;
        for (double v : x) sum += v;
        double[] jack = new double[n];
        for (int i = 0; i < n; i++) jack[i] = (sum - x[i]) / (n - 1);
        double jackMean = PairedT.mean(jack);
        double num = 0;
        double den = 0;
        for (double j : jack) {
            double u = jackMean - j;
            num += u * u * u;
            den += u * u;
        }
        if (den == 0) return new Interval(thetaHat, thetaHat, level);
        double a = num / (6 * Math.pow(den, 1.5));
        double zAlpha = -Distributions.normalIsf((1 - level) / 2);
        double num1 = z0 + zAlpha;
        double num2 = z0 - zAlpha;
        double alpha1 = Distributions.normalCdf(z0 + num1 / (1 - a * num1));
        double alpha2 = Distributions.normalCdf(z0 + num2 / (1 - a * num2));
        double[] sorted = replicates.clone();
        Arrays.sort(sorted);
        return new Interval(quantile(sorted, alpha1), quantile(sorted, alpha2), level);
    }

    /** The q-quantile of sorted values by linear interpolation at position (n − 1)·q, as numpy's default. */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        if (lo >= sorted.length - 1) return sorted[sorted.length - 1];
        if (lo < 0) return sorted[0];
        double t = h - lo;
        double a = sorted[lo];
        double b = sorted[lo + 1];
        double diff = b - a;
        // numpy's _lerp: interpolate from the nearer end, which keeps the result monotone in q.
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }
}
