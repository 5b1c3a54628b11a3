/**
 * Figures from tables: XChart line, bar and heat-map charts drawn from Tablesaw tables, in one style. It knows
 * nothing of experiments, so that the engine and the studies can both draw. {@link PlotlyFigures} gives
 * the same charts as Plotly figures (data) for interactive charts in JupyterLab.
 * May use: everything below it (tensor to diagnostics).
 */
package org.normlab.plot;
