package org.normlab.experiment.stats;

/**
 * A confidence interval {@code [lower, upper]} at confidence {@code level} (e.g. 0.95). A one-sided interval has an
 * infinite end.
 *
 * @param lower the lower end
 * @param upper the upper end
 * @param level the confidence level in (0, 1)
 */
public record Interval(double lower, double upper, double level) {
    /** Checks {@code lower <= upper} and {@code 0 < level < 1}. */
    public Interval {
        if (!(lower <= upper)) {
            throw new IllegalArgumentException("Interval: expected lower <= upper, got [" + lower + ", " + upper + "]");
        }
        Check.level("Interval", level);
    }

    /** The width {@code upper - lower}. */
    public double width() {
        return upper - lower;
    }

    /** Whether {@code x} lies in the closed interval. */
    public boolean contains(double x) {
        return lower <= x && x <= upper;
    }
}
