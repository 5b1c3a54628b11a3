package org.normlab.experiment.stats;

/**
 * Equivalence by two one-sided paired t-tests (TOST) with a declared margin.
 *
 * <p>Formula: with the paired differences d_i = a_i − b_i, d̄, se = s/√n and df = n − 1 as in {@link PairedT}, test
 * H₀: μ ≤ low against μ &gt; low with t₁ = (d̄ − low)/se, p₁ = P(T ≥ t₁), and H₀: μ ≥ high against μ &lt; high with
 * t₂ = (d̄ − high)/se, p₂ = P(T ≤ t₂). The TOST p-value is max(p₁, p₂); the verdict is {@link Verdict#EQUIVALENT}
 * when it is below α, which is the same as the (1 − 2α) two-sided t interval lying inside (low, high).
 *
 * <p>Assumptions: those of the paired t-test. When to use: a claim that two arms are "about the same" or that a
 * change is "no worse than" a margin; the margin must be declared in the criterion before the runs (a margin chosen
 * after seeing the data makes any verdict possible). A non-significant ordinary t-test is not evidence of
 * equivalence; this is. Reference: {@code statsmodels.stats.weightstats.ttost_paired(a, b, low, high)}.
 */
public final class Tost {
    private Tost() {}

    /** The equivalence verdict. */
    public enum Verdict { EQUIVALENT, NOT_EQUIVALENT }

    /**
     * The outcome of a TOST.
     *
     * @param low the lower equivalence bound on the mean difference
     * @param high the upper equivalence bound
     * @param tLower t₁ against {@code low}
     * @param pLower p₁ = P(T ≥ t₁)
     * @param tUpper t₂ against {@code high}
     * @param pUpper p₂ = P(T ≤ t₂)
     * @param df the degrees of freedom n − 1
     * @param p max(p₁, p₂)
     * @param alpha the level of each one-sided test
     * @param verdict EQUIVALENT when p &lt; alpha
     * @param paired the paired t-test of the differences against 0, for the estimate and its interval
     */
    public record Result(double low, double high, double tLower, double pLower, double tUpper, double pUpper,
                         double df, double p, double alpha, Verdict verdict, PairedT.Result paired) {}

    /** TOST with the symmetric margin (−margin, +margin) on the mean of a − b, at level alpha. */
    public static Result paired(double[] a, double[] b, double margin, double alpha) {
        Check.positive("Tost.paired", "margin", margin);
        return paired(a, b, -margin, margin, alpha);
    }

    /** TOST with the bounds (low, high) on the mean of a − b, at level alpha. */
    public static Result paired(double[] a, double[] b, double low, double high, double alpha) {
        String method = "Tost.paired";
        double[] d = Check.differences(method, a, b);
        Check.minLength(method, "a", d, 2);
        Check.alpha(method, alpha);
        if (!(low < high) || !Double.isFinite(low) || !Double.isFinite(high)) {
            throw new IllegalArgumentException(
                    method + ": expected finite bounds low < high, got low = " + low + ", high = " + high);
        }
        PairedT.Result lower = PairedT.ofDifferences(d, low, 0.95);
        PairedT.Result upper = PairedT.ofDifferences(d, high, 0.95);
        double p = Math.max(lower.pGreater(), upper.pLess());
        Verdict verdict = p < alpha ? Verdict.EQUIVALENT : Verdict.NOT_EQUIVALENT;
        return new Result(low, high, lower.t(), lower.pGreater(), upper.t(), upper.pLess(), lower.df(), p, alpha,
                verdict, PairedT.ofDifferences(d, 0, 1 - 2 * alpha));
    }
}
