/**
 * The experiment engine: typed run specs, sweeps over typed axes, the results store, tidy results, summaries over
 * seeds, criteria and verdicts, progress, scales, and the {@code Study} contract with its report.
 * May use: everything below it (tensor to plot).
 */
package org.normlab.experiment;
