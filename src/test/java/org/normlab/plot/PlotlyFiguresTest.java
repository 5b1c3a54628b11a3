package org.normlab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.PieChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Charts as Plotly figures: what each trace and the layout carry, and the setting that turns them on. */
class PlotlyFiguresTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) { return (Map<String, Object>) o; }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) { return (List<Object>) o; }

    @Test
    void anXyChartBecomesOneScatterTracePerSeriesWithItsValuesColoursAndAxes() {
        XYChart chart = Charts.xy("loss over training", "step", "loss");
        XYSeries bn = chart.addSeries("BN", new double[] {1, 2, 3}, new double[] {0.5, Double.NaN, Double.POSITIVE_INFINITY});
        bn.setLineColor(new Color(0x1f, 0x77, 0xb4));
        bn.setLineStyle(Charts.dashed(1.5f, 6f));
        XYSeries points = chart.addSeries("points", new double[] {1, 2}, new double[] {0.25, 0.125});
        points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        points.setMarker(SeriesMarkers.DIAMOND);
        points.setMarkerColor(new Color(255, 0, 0, 128));
        points.setShowInLegend(false);
        chart.addSeries("hidden", new double[] {1}, new double[] {1}).setEnabled(false);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(4.0);

        Map<String, Object> figure = PlotlyFigures.figure(chart);
        List<Object> data = list(figure.get("data"));
        assertEquals(2, data.size(), "the disabled series is left out");
        Map<String, Object> first = map(data.get(0)), second = map(data.get(1));
        assertEquals("scatter", first.get("type"));
        assertEquals("BN", first.get("name"));
        assertEquals("BN", first.get("legendgroup"), "series sharing a legend entry toggle together");
        assertEquals(List.of(1.0, 2.0, 3.0), first.get("x"));
        assertEquals(Arrays.asList(0.5, null, null), first.get("y"), "NaN and infinity become null (JSON has no NaN)");
        assertEquals("lines", first.get("mode"), "Charts.xy draws lines without markers");
        assertEquals(Map.of("color", "rgba(31,119,180,1)", "width", 1.5, "dash", "6px,4px"), first.get("line"));
        assertEquals(true, first.get("showlegend"));
        assertEquals("points", second.get("name"));
        assertEquals("markers", second.get("mode"));
        assertEquals("diamond", map(second.get("marker")).get("symbol"));
        assertEquals("rgba(255,0,0,0.502)", map(second.get("marker")).get("color"));
        assertEquals(false, second.get("showlegend"));

        Map<String, Object> layout = map(figure.get("layout"));
        assertEquals("loss over training", map(layout.get("title")).get("text"));
        assertEquals("rgba(0,0,0,0)", layout.get("paper_bgcolor"), "transparent: the page shows through, light or dark");
        assertEquals("rgba(0,0,0,0)", layout.get("plot_bgcolor"));
        assertEquals("rgba(118,118,118,1)", map(layout.get("font")).get("color"));
        Map<String, Object> x = map(layout.get("xaxis")), y = map(layout.get("yaxis"));
        assertEquals("step", map(x.get("title")).get("text"));
        assertEquals(List.of(0.0, 4.0), x.get("range"));
        assertFalse(x.containsKey("type"), "a linear axis");
        assertEquals("log", y.get("type"));
        assertEquals("loss", map(y.get("title")).get("text"));
        assertFalse(y.containsKey("range"), "the range is Plotly's when the chart fixes none");
    }

    @Test
    void seriesWithoutAColourGetTheOneXChartWouldPaintThemIn() {
        XYChart chart = Charts.xy("t", "x", "y");
        chart.addSeries("a", new double[] {1, 2}, new double[] {1, 2});
        chart.addSeries("b", new double[] {1, 2}, new double[] {2, 1});
        Color[] palette = chart.getStyler().getSeriesColors();
        List<Object> data = list(PlotlyFigures.figure(chart).get("data"));
        assertEquals(PlotlyFigures.css(palette[0]), map(map(data.get(0)).get("line")).get("color"));
        assertEquals(PlotlyFigures.css(palette[1]), map(map(data.get(1)).get("line")).get("color"));
    }

    @Test
    void aCategoryChartBecomesBarsWithCategoriesAsTextAndErrorBars() {
        Table t = Table.create("t", StringColumn.create("norm", "BN", "BN", "LN", "LN"), IntColumn.create("depth", 2, 4, 2, 4),
                DoubleColumn.create("mean", 0.8, 0.7, 0.75, Double.NaN), DoubleColumn.create("lo", 0.7, 0.6, 0.7, Double.NaN),
                DoubleColumn.create("hi", 0.9, 0.8, 0.8, Double.NaN));
        CategoryChart chart = Charts.bars(t, "depth", "norm", "mean", "lo", "hi", "accuracy by depth");
        Map<String, Object> figure = PlotlyFigures.figure(chart);
        List<Object> data = list(figure.get("data"));
        assertEquals(2, data.size());
        Map<String, Object> bn = map(data.get(0)), ln = map(data.get(1));
        assertEquals("bar", bn.get("type"));
        assertEquals("BN", bn.get("name"));
        assertEquals(List.of("2", "4"), bn.get("x"));
        assertEquals(List.of(0.8, 0.7), bn.get("y"));
        assertEquals(Map.of("color", "rgba(31,119,180,1)"), bn.get("marker"));
        assertEquals("rgba(214,39,40,1)", map(ln.get("marker")).get("color"));
        List<Object> err = list(map(bn.get("error_y")).get("array"));
        assertEquals(0.1, (Double) err.get(0), 1e-12);
        assertEquals(0.1, (Double) err.get(1), 1e-12);
        Map<String, Object> layout = map(figure.get("layout"));
        assertEquals("group", layout.get("barmode"));
        assertEquals("category", map(layout.get("xaxis")).get("type"));
        chart.getStyler().setStacked(true);
        assertEquals("stack", map(PlotlyFigures.figure(chart).get("layout")).get("barmode"));
    }

    @Test
    void aHeatMapBecomesAHeatmapTraceOnTheChartsOwnColourRange() {
        Table t = Table.create("t", StringColumn.create("init", "0.5", "1.0", "0.5", "1.0"), IntColumn.create("depth", 2, 2, 8, 8),
                DoubleColumn.create("acc", 0.81, 0.83, Double.NaN, 0.5));
        HeatMapChart chart = Charts.heatmap(t, "init", "depth", "acc", "accuracy");
        Map<String, Object> heat = map(list(PlotlyFigures.figure(chart).get("data")).get(0));
        assertEquals("heatmap", heat.get("type"));
        assertEquals(List.of("0.5", "1.0"), heat.get("x"));
        assertEquals(List.of("2", "8"), heat.get("y"));
        assertEquals(List.of(List.of(0.81, 0.83), Arrays.asList(null, 0.5)), heat.get("z"), "z[y][x], the NaN cell null");
        assertEquals(chart.getStyler().getMin(), heat.get("zmin"));
        assertEquals(chart.getStyler().getMax(), heat.get("zmax"));
        assertEquals(0.5, (Double) heat.get("zmin"), 1e-12, "the lowest value, as Charts.heatmap fixes the range");
        assertEquals(0.83, (Double) heat.get("zmax"), 1e-12);
        List<Object> scale = list(heat.get("colorscale"));
        assertEquals(chart.getStyler().getRangeColors().length, scale.size());
        assertEquals(List.of(0.0, PlotlyFigures.css(chart.getStyler().getRangeColors()[0])), scale.get(0));
        assertEquals(1.0, list(scale.get(scale.size() - 1)).get(0));
        assertEquals("%{z:.2f}", heat.get("texttemplate"), "values printed as the chart prints them");
    }

    @Test
    void theFiguresLineStyleFollowsTheStroke() {
        XYChart chart = Charts.xy("t", "x", "y");
        XYSeries s = chart.addSeries("solid", new double[] {1, 2}, new double[] {1, 2});
        s.setLineStyle(new BasicStroke(2.5f));
        Map<String, Object> line = map(map(list(PlotlyFigures.figure(chart).get("data")).get(0)).get("line"));
        assertEquals(2.5, line.get("width"));
        assertNull(line.get("dash"));
    }

    @Test
    void interactiveChartsAreASettingOfYesOrNoAndAnythingElseIsAOneLineError() {
        assertFalse(Charts.interactiveSetting(null));
        assertFalse(Charts.interactiveSetting(""));
        assertFalse(Charts.interactiveSetting("0"));
        assertFalse(Charts.interactiveSetting("no"));
        assertFalse(Charts.interactiveSetting("False"));
        assertTrue(Charts.interactiveSetting("1"));
        assertTrue(Charts.interactiveSetting(" YES "));
        assertTrue(Charts.interactiveSetting("true"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Charts.interactiveSetting("sometimes"));
        assertEquals("NORMLAB_INTERACTIVE (or -Dnormlab.interactive) must be 1 or 0 (true/false, yes/no), got 'sometimes'", e.getMessage());
    }

    @Test
    void onlyXyCategoryAndHeatMapChartsHaveAFigure() {
        PieChart pie = new PieChart(100, 100);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlotlyFigures.figure(pie));
        assertEquals("PlotlyFigures: a PieChart has no interactive figure; expected an XYChart, CategoryChart or HeatMapChart", e.getMessage());
    }
}
