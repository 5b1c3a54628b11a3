package org.normlab.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.normlab.diagnostics.BatchNormSteps;
import org.normlab.diagnostics.NormalizationAxes;
import tech.tablesaw.api.Table;

/**
 * Figures of what single normalization layers compute (notebook 00b): the elements they tie together, the running
 * statistics of a BatchNorm step by step, and one sample's output as its batch changes. Each draws data measured
 * from the layers by {@code org.normlab.diagnostics}.
 */
public final class LayerFigures {
    /** Cell values of {@link #sharing}: an output that did not move, one that did, the probed element. */
    static final int INDEPENDENT = 0, SHARES = 1, CHOSEN = 2;
    private static final Color GREY = new Color(0xee, 0xee, 0xee), BLUE = new Color(0x1f, 0x77, 0xb4), RED = new Color(0xd6, 0x27, 0x28);

    private LayerFigures() {}

    /**
     * A probe as a grid: one row per (sample n, channel c), top to bottom, one column per position h·W + w. Red is the
     * perturbed element, blue every output that moved with it, grey the rest.
     */
    public static HeatMapChart sharing(NormalizationAxes.Sharing probe) {
        int[] shape = probe.shape(), chosen = probe.chosen();
        List<String> rows = new ArrayList<>(), columns = new ArrayList<>();
        for (int n = 0; n < shape[0]; n++) for (int c = 0; c < shape[1]; c++) rows.add("n" + n + " c" + c);
        for (int h = 0; h < shape[2]; h++) for (int w = 0; w < shape[3]; w++) columns.add(h + "," + w);
        List<Number[]> cells = new ArrayList<>();
        for (int n = 0; n < shape[0]; n++) {
            for (int c = 0; c < shape[1]; c++) {
                int row = rows.size() - 1 - (n * shape[1] + c);  // XChart counts rows from the bottom
                for (int h = 0; h < shape[2]; h++) {
                    for (int w = 0; w < shape[3]; w++) {
                        boolean isChosen = n == chosen[0] && c == chosen[1] && h == chosen[2] && w == chosen[3];
                        int value = isChosen ? CHOSEN : probe.moved(n, c, h, w) ? SHARES : INDEPENDENT;
                        cells.add(new Number[] {h * shape[3] + w, row, value});
                    }
                }
            }
        }
        List<String> bottomUp = new ArrayList<>(rows.reversed());
        String title = shortName(probe.layer()) + " " + probe.mode() + ": x" + coordinates(chosen) + " moves " + probe.count()
                + " outputs, shared over " + probe.sharedOver();
        HeatMapChart chart = new HeatMapChartBuilder().width(720).height(Math.max(360, 90 + 22 * rows.size())).title(title)
                .xAxisTitle("position h,w    (red: perturbed element · blue: outputs that moved · grey: unchanged)")
                .yAxisTitle("sample n, channel c").build();
        var s = chart.getStyler();
        Charts.houseStyle(s);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        s.setLegendVisible(false);
        s.setShowValue(false);
        s.setDrawBorder(true);
        s.setMin(INDEPENDENT);
        s.setMax(CHOSEN);
        s.setRangeColors(new Color[] {GREY, BLUE, RED});
        chart.addSeries("role", columns, bottomUp, cells);
        return chart;
    }

    /** BN's running mean step by step: the batch means, PyTorch's rule (the layer), Keras' rule, and the true mean. */
    public static XYChart runningMean(BatchNormSteps run) {
        List<BatchNormSteps.Step> steps = run.steps();
        return runningStatistic(run, "mean", steps.stream().map(BatchNormSteps.Step::batchMean).toList(),
                steps.stream().map(BatchNormSteps.Step::runningMean).toList(), steps.stream().map(BatchNormSteps.Step::kerasMean).toList(),
                run.trueMean());
    }

    /** BN's running variance step by step, as {@link #runningMean} (PyTorch stores the unbiased batch variance). */
    public static XYChart runningVariance(BatchNormSteps run) {
        List<BatchNormSteps.Step> steps = run.steps();
        return runningStatistic(run, "variance", steps.stream().map(BatchNormSteps.Step::unbiasedVar).toList(),
                steps.stream().map(BatchNormSteps.Step::runningVar).toList(), steps.stream().map(BatchNormSteps.Step::kerasVar).toList(),
                run.trueStd() * run.trueStd());
    }

    private static XYChart runningStatistic(BatchNormSteps run, String what, List<Double> batch, List<Double> pytorch, List<Double> keras, double truth) {
        List<Integer> steps = run.steps().stream().map(BatchNormSteps.Step::step).toList();
        XYChart chart = Charts.xy("BatchNorm running " + what + " after each training batch (batch " + run.batchSize() + ")", "training step", what);
        chart.getStyler().setMarkerSize(8);
        XYSeries b = chart.addSeries(what.equals("variance") ? "batch (unbiased)" : "batch", steps.subList(1, steps.size()), batch.subList(1, batch.size()));
        b.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        b.setMarker(SeriesMarkers.CIRCLE);
        b.setMarkerColor(new Color(0x7f, 0x7f, 0x7f));
        line(chart, "PyTorch (m = " + run.momentum() + ")", steps, pytorch, Charts.colorOf("BN", 0), SeriesMarkers.DIAMOND);
        line(chart, "Keras rule (m = " + BatchNormSteps.KERAS_MOMENTUM + ")", steps, keras, new Color(0xff, 0x7f, 0x0e), SeriesMarkers.SQUARE);
        XYSeries t = chart.addSeries("true value", List.of(steps.getFirst(), steps.getLast()), List.of(truth, truth));
        t.setLineColor(Charts.INK);
        t.setMarker(SeriesMarkers.NONE);
        t.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        return chart;
    }

    private static void line(XYChart chart, String name, List<Integer> xs, List<Double> ys, Color color, Marker marker) {
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(marker);
        s.setLineStyle(new BasicStroke(2f));
    }

    /**
     * One sample's output against its batch size (log axis), one colour per layer: a dot per draw of the rest of the
     * batch and a line through their means (from {@code org.normlab.diagnostics.BatchDependence#run}).
     */
    public static XYChart batchDependence(Table runs) {
        return Charts.versus(runs, "batch size", "batch size (log scale)", true, "layer", "output",
                "x₀'s normalized output at (c=0, h=0, w=0) as the rest of its batch changes");
    }

    private static String coordinates(int[] at) {
        return "[" + at[0] + "," + at[1] + "," + at[2] + "," + at[3] + "]";
    }

    /** A layer's description short enough for a title: its first hyper-parameter only when it has many (LRN). */
    static String shortName(String description) {
        int comma = description.indexOf(", ");
        return description.length() <= 30 || comma < 0 ? description : description.substring(0, comma) + ")";
    }
}
