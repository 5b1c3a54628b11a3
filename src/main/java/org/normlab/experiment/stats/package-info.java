/**
 * Statistics for experiment verdicts: paired Student-t, seeded bootstrap intervals, exact intervals and tests for
 * proportions, censored outcomes (log-rank, rank tests that count "never" as worst, interval-censored values from
 * bisection), equivalence (TOST), multiplicity (Holm, Benjamini–Hochberg) and a seeds calculator.
 *
 * <p>The package is pure statistics: it uses only the JDK and commons-math3 (distributions, special functions, the
 * bootstrap's random generator), nothing else of NormLab, so it can be checked on its own. Every method is checked
 * against reference values computed by SciPy and statsmodels ({@code scripts/stats/reference.py}, which writes
 * {@code src/test/resources/stats/reference.json}); where a method deliberately departs from SciPy the Javadoc says
 * so.
 *
 * <p>Conventions: arrays are never modified; p-values are in [0, 1]; a bad argument throws
 * {@link java.lang.IllegalArgumentException} with a one-line message naming the method, the expected and the actual
 * value.
 */
package org.normlab.experiment.stats;
