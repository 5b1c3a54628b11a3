package org.normlab.experiment.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Adjusted p-values for a family of tests; an adjusted p below α is a rejection at family level α.
 *
 * <p>Holm (step-down, controls the family-wise error rate under any dependence): sort the m p-values ascending,
 * p₍₁₎ ≤ … ≤ p₍ₘ₎; p̃₍ᵢ₎ = min(1, max_{j ≤ i} (m − j + 1)·p₍ⱼ₎). Use it when any single false claim matters (the
 * claims table of a report).
 *
 * <p>Benjamini–Hochberg (step-up, controls the false discovery rate for independent or positively dependent tests):
 * p̃₍ᵢ₎ = min(1, min_{j ≥ i} p₍ⱼ₎ / (j/m)). Use it when a family is screened and a controlled share of false
 * discoveries is acceptable.
 *
 * <p>Both are order-preserving (a smaller raw p never gets a larger adjusted p), return the adjusted values in the
 * input order and are capped at 1. Reference: {@code statsmodels.stats.multitest.multipletests} with
 * {@code method='holm'} and {@code method='fdr_bh'}.
 */
public final class Multiplicity {
    private Multiplicity() {}

    /** Holm-adjusted p-values, in the order of {@code p}. */
    public static double[] holm(double[] p) {
        Integer[] order = sortedOrder("Multiplicity.holm", p);
        int m = p.length;
        double[] adjusted = new double[m];
        double running = 0;
        for (int i = 0; i < m; i++) {
            running = Math.max(running, p[order[i]] * (m - i));
            adjusted[order[i]] = Math.min(1, running);
        }
        return adjusted;
    }

    /** Benjamini–Hochberg-adjusted p-values, in the order of {@code p}. */
    public static double[] benjaminiHochberg(double[] p) {
        Integer[] order = sortedOrder("Multiplicity.benjaminiHochberg", p);
        int m = p.length;
        double[] adjusted = new double[m];
        double running = Double.POSITIVE_INFINITY;
        for (int i = m - 1; i >= 0; i--) {
            running = Math.min(running, p[order[i]] / ((i + 1.0) / m));
            adjusted[order[i]] = Math.min(1, running);
        }
        return adjusted;
    }

    private static Integer[] sortedOrder(String method, double[] p) {
        if (p == null || p.length == 0) {
            throw new IllegalArgumentException(method + ": expected at least one p-value, got none");
        }
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0 && p[i] <= 1)) {
                throw new IllegalArgumentException(
                        method + ": expected p-values in [0, 1], got p[" + i + "] = " + p[i]);
            }
        }
        Integer[] order = IntStream.range(0, p.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        return order;
    }
}
