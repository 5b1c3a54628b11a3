package org.normlab.experiment;

import java.util.Locale;
import org.normlab.experiment.stats.Alternative;
import org.normlab.experiment.stats.Power;
import org.normlab.experiment.stats.Proportions;

/**
 * What an INCONCLUSIVE verdict's test saw, kept so that the seeds it would need at 80% power can be planned at any
 * level: at α for the claim on its own, and at Holm's strictest level α/m for the claim inside a family of m (a p-value
 * below α/m is below α after Holm's adjustment, whatever the other claims' p-values: the adjusted p is at most m·p).
 *
 * <ul>
 *   <li>{@link Test#PAIRED_T}: a = mean − the criterion's bound, b = sd of the per-seed values
 *       ({@link Power#pairedSeeds}, two-sided);</li>
 *   <li>{@link Test#SIGN}: a = seeds going the first arm's way, b = decided seeds, c = undecided seeds
 *       ({@link Power#signTestSeeds}, scaled up by the share decided);</li>
 *   <li>{@link Test#LOG_RANK}: a = ln HR (Peto), b = events seen, c = seeds behind them ({@link Power#logRankEvents},
 *       events per seed as seen);</li>
 *   <li>{@link Test#TOST}: a = mean − the equivalence centre, b = sd, c = the margin ({@link Power#tostSeeds});</li>
 *   <li>{@link Test#NONE}: no plan (one seed, no spread, or the effect exactly at the bound).</li>
 * </ul>
 * {@link #seedsAt} returns 0 for no plan and −1 when more than {@link Power#MAX_SEEDS_STATED} seeds (or none at all)
 * would do.
 */
public record SeedsPlan(Test test, double a, double b, double c) {
    public enum Test { NONE, PAIRED_T, SIGN, LOG_RANK, TOST }

    /** The power the seeds are planned for (the verdicts' {@link Verdict#POWER}). */
    public static final double POWER = Verdict.POWER;

    public static final SeedsPlan NONE = new SeedsPlan(Test.NONE, 0, 0, 0);

    /** A paired t-test's plan from its per-seed summary against the criterion's bound; none without spread or effect. */
    static SeedsPlan pairedT(Summary s, double bound) {
        if (s.n() < 2 || !(s.sd() > 0) || !Double.isFinite(s.mean()) || s.mean() == bound) return NONE;
        return new SeedsPlan(Test.PAIRED_T, s.mean() - bound, s.sd(), 0);
    }

    static SeedsPlan sign(int higher, int decided, int undecided) { return new SeedsPlan(Test.SIGN, higher, decided, undecided); }

    static SeedsPlan logRank(double logHazardRatio, int events, int seeds) {
        if (!Double.isFinite(logHazardRatio) || logHazardRatio == 0 || events == 0) return new SeedsPlan(Test.LOG_RANK, 0, 0, seeds);
        return new SeedsPlan(Test.LOG_RANK, logHazardRatio, events, seeds);
    }

    static SeedsPlan tost(Summary s, double centre, double margin) {
        if (s.n() < 2 || !(s.sd() > 0) || !Double.isFinite(s.mean())) return NONE;
        return new SeedsPlan(Test.TOST, s.mean() - centre, s.sd(), margin);
    }

    /** The seeds the test would need at 80% power at level {@code alpha}: 0 without a plan, −1 when over 10⁷ or never. */
    public int seedsAt(double alpha) {
        return switch (test) {
            case NONE -> 0;
            case PAIRED_T -> {
                try {
                    yield Power.pairedSeeds(a, b, alpha, POWER, Alternative.TWO_SIDED).seeds();
                } catch (IllegalArgumentException tooSmall) {
                    yield -1;
                }
            }
            case SIGN -> signSeeds((int) a, (int) b, (int) c, alpha);
            case LOG_RANK -> {
                if (a == 0 || b == 0) yield -1;
                int events = Power.logRankEvents(a, alpha, POWER);
                double total = Math.ceil(events * c / b - 1e-9);
                yield total > Power.MAX_SEEDS_STATED ? -1 : (int) Math.max(2, total);
            }
            case TOST -> Power.tostSeeds(a, b, c, alpha, POWER);
        };
    }

    /**
     * The decided seeds {@link Power#signTestSeeds} asks for at the share seen, divided by the share of seeds decided;
     * with no decided seed, the fewest that could decide it (every one going one way). −1 when half went each way.
     */
    private static int signSeeds(int higher, int decided, int undecided, double alpha) {
        if (decided == 0) {
            int n = 1;
            while (Proportions.binomialTest(n, n) >= alpha) n++;
            return n;
        }
        int n = Power.signTestSeeds(higher / (double) decided, alpha, POWER);
        if (n < 0) return -1;
        double total = Math.ceil(n * (decided + undecided) / (double) decided - 1e-9);
        return total > Power.MAX_SEEDS_STATED ? -1 : (int) total;
    }

    /** "paired_t", "sign", …: how the plan is named in verdict records. */
    public String testName() { return test.name().toLowerCase(Locale.ROOT); }

    /** The plan named {@code name} (as {@link #testName} writes it) with its numbers; an empty name is no plan. */
    public static SeedsPlan of(String name, double a, double b, double c) {
        if (name == null || name.isBlank()) return NONE;
        for (Test t : Test.values()) {
            if (t.name().equalsIgnoreCase(name.trim())) return t == Test.NONE ? NONE : new SeedsPlan(t, a, b, c);
        }
        throw new IllegalArgumentException("SeedsPlan: expected a test among none, paired_t, sign, log_rank, tost, got '" + name + "'");
    }
}
