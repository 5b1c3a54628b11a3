package org.normlab.experiment.stats;

import org.apache.commons.math3.special.Gamma;

/**
 * The CDF of the noncentral t distribution with df degrees of freedom and noncentrality δ, which commons-math lacks.
 *
 * <p>Algorithm AS 243 (Lenth 1989) as refined in R's {@code pnt}: for t ≥ 0,
 * P(T ≤ t) = Φ(−δ) + Σ_{j≥0} [p_j·I_x(j + ½, df/2) + q_j·I_x(j + 1, df/2)] with x = t²/(t² + df),
 * p_j = ½e^{−δ²/2}(δ²/2)^j/j!, q_j = δe^{−δ²/2}(δ²/2)^j/(√2·Γ(j + 3/2)); the incomplete beta terms follow by
 * recurrence, and the series stops when its remaining mass bounds the error; t &lt; 0 uses
 * P(T ≤ t; δ) = 1 − P(T ≤ −t; −δ). For df &gt; 4·10⁵ or δ² &gt; 1416 it uses the normal approximation of
 * Abramowitz &amp; Stegun 26.7.10. The series stops at an error bound of 10⁻¹⁵ (R uses 10⁻¹²); against SciPy's
 * Boost implementation it agrees to 10⁻¹¹ absolute for df up to a few hundred, the error growing with df (rounding
 * in the incomplete beta terms) to about 10⁻¹⁰ at df = 3·10⁵ (docs/decisions/stats-reference.md).
 */
final class NoncentralT {
    private static final int MAX_ITERATIONS = 1000;
    private static final double ERROR_MAX = 1e-15;

    private NoncentralT() {}

    /** P(T ≤ t) for T ~ t(df, δ). */
    static double cdf(double t, double df, double delta) {
        if (!(df > 0)) throw new IllegalArgumentException("NoncentralT.cdf: expected df > 0, got " + df);
        if (delta == 0) return Distributions.tCdf(t, df);
        if (Double.isInfinite(t)) return t < 0 ? 0 : 1;
        boolean negative = t < 0;
        double tt = negative ? -t : t;
        double del = negative ? -delta : delta;
        if (df > 4e5 || del * del > 2 * Math.log(2) * 1021) {
            double s = 1 / (4 * df);
            double z = (tt * (1 - s) - del) / Math.sqrt(1 + tt * tt * 2 * s);
            double lower = Distributions.normalCdf(z);
            return negative ? 1 - lower : lower;
        }
        double x = t * t / (t * t + df);
        double tnc = 0;
        if (x > 0) {
            double lambda = del * del;
            double p = 0.5 * Math.exp(-0.5 * lambda);
            double q = Math.sqrt(2 / Math.PI) * p * del;
            double s = 0.5 - p;
            if (s < 1e-7) s = -0.5 * Math.expm1(-0.5 * lambda);
            double a = 0.5;
            double b = 0.5 * df;
            double rxb = Math.pow(1 - x, b);
            double albeta = 0.5 * Math.log(Math.PI) + Gamma.logGamma(b) - Gamma.logGamma(0.5 + b);
            double xodd = Distributions.betaCdf(x, a, b);
            double godd = 2 * rxb * Math.exp(a * Math.log(x) - albeta);
            double xeven = b * x < Math.ulp(1.0) ? b * x : 1 - rxb;
            double geven = b * x * rxb;
            tnc = p * xodd + q * xeven;
            for (int it = 1; it <= MAX_ITERATIONS; it++) {
                a += 1;
                xodd -= godd;
                xeven -= geven;
                godd *= x * (a + b - 1) / a;
                geven *= x * (a + b - 0.5) / (a + 0.5);
                p *= lambda / (2 * it);
                q *= lambda / (2 * it + 1);
                tnc += p * xodd + q * xeven;
                s -= p;
                if (s < -1e-10 || (s <= 0 && it > 1)) break;
                double errorBound = 2 * s * (xodd - godd);
                if (Math.abs(errorBound) < ERROR_MAX) break;
            }
        }
        tnc += Distributions.normalCdf(-del);
        tnc = Math.min(tnc, 1);
        return negative ? 1 - tnc : tnc;
    }

    /** P(T &gt; t) for T ~ t(df, δ). */
    static double sf(double t, double df, double delta) {
        return 1 - cdf(t, df, delta);
    }
}
