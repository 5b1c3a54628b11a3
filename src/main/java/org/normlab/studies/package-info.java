/**
 * One class per claim: its sweeps (grid, model, budget), its criteria declared before the runs, its tables, figures
 * and verdicts; and the {@link org.normlab.studies.Studies} registry the CLI and notebooks run them by.
 *
 * <p>May use every package below it (experiment, plot and what they use); studies do not call each other: what two
 * share lives in experiment or diagnostics.
 */
package org.normlab.studies;
