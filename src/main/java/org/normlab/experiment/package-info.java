/**
 * The experiment engine: typed run specs ({@link org.normlab.experiment.RunSpec} of a network, an optimizer, a
 * schedule, data, a budget and measurements; {@link org.normlab.experiment.GanSpec}), typed sweep axes
 * ({@link org.normlab.experiment.Axes}), {@link org.normlab.experiment.Sweep}, the {@link org.normlab.experiment.Engine} its
 * runs are computed on (local threads; a distributed engine, e.g. the separate spark/ module's) and the store that keys each run by the
 * hash of its spec's canonical text, result tables, summaries with intervals over seeds, verdicts, progress, and the
 * {@link org.normlab.experiment.Study} interface.
 *
 * <p>May use tensor, kernels, nn, norm, model, optim, data, train, diagnostics and plot (figures are drawn from
 * tables, so plot knows nothing of experiments); never studies, jupyter or cli.
 */
package org.normlab.experiment;
