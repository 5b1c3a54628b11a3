package org.normlab.experiment.stats;

/**
 * The alternative hypothesis of a test, always stated for "first minus second" (or "the sample minus the null
 * value"): {@link #GREATER} means the first arm's location is larger. Same meaning as SciPy's {@code alternative}
 * argument ({@code 'two-sided'}, {@code 'greater'}, {@code 'less'}).
 */
public enum Alternative {
    /** The effect differs from the null value in either direction (the default for claims that are not directional). */
    TWO_SIDED,
    /** The effect is larger than the null value. */
    GREATER,
    /** The effect is smaller than the null value. */
    LESS
}
