package org.normlab.experiment.stats;

import java.util.Arrays;

/**
 * The log-rank test for two arms with right-censored times, e.g. steps to a target loss where a run that never
 * reaches it within its budget is censored at the budget.
 *
 * <p>Formula: at each distinct event time t (pooled over both arms), with n runs still at risk (time ≥ t), n_x of
 * them in arm x, and d events at t, the expected number of events in x is E_t = n_x·d/n and the hypergeometric
 * variance V_t = n_x(n − n_x)·d(n − d)/(n²(n − 1)) (0 when n = 1). With O the events observed in x,
 * z = (O − ΣE_t)/√(ΣV_t) is standard normal under H₀; p from the normal tail. A run censored at t is still at risk at
 * t. A positive z means arm x has more events than expected: it reaches the target sooner.
 *
 * <p>Assumptions: censoring independent of the outcome (a fixed budget is), runs independent. It has most power
 * when one arm's hazard is a constant multiple of the other's; it ignores pairing by seed (for paired seeds see
 * {@link RankTests#signedRankNeverWorst}). When to use: time-to-target where some runs never get there, or budgets
 * differ between runs. Reference: {@code scipy.stats.logrank(x, y)} with {@code CensoredData(uncensored, right)}.
 *
 * <p>No events at all (both arms entirely censored): z is undefined (SciPy returns NaN); here z = 0 and p = 1, the
 * data carry no evidence of a difference, and {@link Result#events()} = 0 says why.
 */
public final class LogRank {
    private LogRank() {}

    /**
     * The outcome of a log-rank test.
     *
     * @param z the standardized statistic (O − E)/√V for arm x
     * @param p the p-value for the chosen alternative ("greater": arm x has events sooner)
     * @param observedX O, the events in arm x
     * @param expectedX E, their expectation under H₀
     * @param variance V
     * @param events the events in both arms
     */
    public record Result(double z, double p, int observedX, double expectedX, double variance, int events) {}

    /**
     * Compares arm x with arm y.
     *
     * @param timeX the time of each run of x (the event time, or the censoring time)
     * @param eventX whether each run of x had the event (false: censored at its time)
     */
    public static Result test(double[] timeX, boolean[] eventX, double[] timeY, boolean[] eventY,
                              Alternative alternative) {
        String method = "LogRank.test";
        Check.finite(method, "timeX", timeX);
        Check.finite(method, "timeY", timeY);
        if (timeX.length != eventX.length || timeY.length != eventY.length) {
            throw new IllegalArgumentException(method + ": expected one event flag per time, got " + timeX.length
                    + " times and " + eventX.length + " flags for x, " + timeY.length + " and " + eventY.length
                    + " for y");
        }
        if (timeX.length == 0 || timeY.length == 0) {
            throw new IllegalArgumentException(method + ": expected at least one run per arm, got " + timeX.length
                    + " and " + timeY.length);
        }
        double[] eventTimes = distinctEventTimes(timeX, eventX, timeY, eventY);
        int observed = 0;
        for (boolean e : eventX) if (e) observed++;
        int events = observed;
        for (boolean e : eventY) if (e) events++;
        double expected = 0;
        double variance = 0;
        for (double t : eventTimes) {
            int atRiskX = countAtRisk(timeX, t);
            int atRisk = atRiskX + countAtRisk(timeY, t);
            int d = countEvents(timeX, eventX, t) + countEvents(timeY, eventY, t);
            expected += atRiskX * ((double) d / atRisk);
            if (atRisk > 1) {
                variance += (double) atRiskX * (atRisk - atRiskX) * d * (atRisk - d)
                        / ((double) atRisk * atRisk * (atRisk - 1));
            }
        }
        if (events == 0) return new Result(0, 1, 0, 0, 0, 0);
        double z = (observed - expected) / Math.sqrt(variance);
        double p = Distributions.pValue(z, Distributions::normalSf, alternative);
        return new Result(z, p, observed, expected, variance, events);
    }

    /**
     * Steps-to-target as censored data: a run that reached the target has its step; one that did not (+∞, or a
     * step above the budget) is censored at the budget. NaN is refused: a missing run is not a run that never
     * reached the target, and must be shown as missing rather than scored. Returns the times; {@link #reached}
     * gives the flags.
     */
    public static double[] censoredAtBudget(double[] steps, double budget) {
        String method = "LogRank.censoredAtBudget";
        Check.positive(method, "budget", budget);
        Check.notNaN(method, "steps", steps);
        double[] t = new double[steps.length];
        for (int i = 0; i < steps.length; i++) t[i] = steps[i] <= budget ? steps[i] : budget;
        return t;
    }

    /** Whether each run reached the target within the budget (see {@link #censoredAtBudget}). */
    public static boolean[] reached(double[] steps, double budget) {
        String method = "LogRank.reached";
        Check.positive(method, "budget", budget);
        Check.notNaN(method, "steps", steps);
        boolean[] r = new boolean[steps.length];
        for (int i = 0; i < steps.length; i++) r[i] = steps[i] <= budget;
        return r;
    }

    private static double[] distinctEventTimes(double[] tx, boolean[] ex, double[] ty, boolean[] ey) {
        double[] all = new double[tx.length + ty.length];
        int k = 0;
        for (int i = 0; i < tx.length; i++) if (ex[i]) all[k++] = tx[i];
        for (int i = 0; i < ty.length; i++) if (ey[i]) all[k++] = ty[i];
        return Arrays.stream(all, 0, k).sorted().distinct().toArray();
    }

    private static int countAtRisk(double[] time, double t) {
        int c = 0;
        for (double v : time) if (v >= t) c++;
        return c;
    }

    private static int countEvents(double[] time, boolean[] event, double t) {
        int c = 0;
        for (int i = 0; i < time.length; i++) if (event[i] && time[i] == t) c++;
        return c;
    }
}
