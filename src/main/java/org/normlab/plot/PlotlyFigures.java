package org.normlab.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapSeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.internal.series.MarkerSeries;
import org.knowm.xchart.internal.style.SeriesColorMarkerLineStyle;
import org.knowm.xchart.internal.style.SeriesColorMarkerLineStyleCycler;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.HeatMapStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Circle;
import org.knowm.xchart.style.markers.Cross;
import org.knowm.xchart.style.markers.Diamond;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.None;
import org.knowm.xchart.style.markers.Oval;
import org.knowm.xchart.style.markers.Plus;
import org.knowm.xchart.style.markers.Rectangle;
import org.knowm.xchart.style.markers.Square;
import org.knowm.xchart.style.markers.TriangleDown;
import org.knowm.xchart.style.markers.TriangleUp;

/**
 * An XChart chart as a Plotly figure, plain data ({@code {"data": [traces], "layout": {…}}}, the JSON of the MIME type
 * {@value #MIME_TYPE}), so that JupyterLab's Plotly renderer can draw it with hover, zoom and series toggled from the
 * legend. The figure carries what the chart shows: each visible series with its name, values, colour, dash and markers;
 * axis titles, log axes and fixed ranges; bars (stacked if the chart stacks them) with their error bars; a heatmap on the
 * chart's own colour range. NaN and infinite values become null (JSON has no NaN; Plotly leaves a gap). Backgrounds are
 * transparent and text and grid a mid grey, as in {@link Charts#houseStyle}, so the figure reads in light and dark themes.
 * Series' own colours, markers and dashes are used where set, else the ones XChart would give them when painting.
 */
public final class PlotlyFigures {
    /** The MIME type of a Plotly figure, which the renderer in the {@code plotly} Python package shows in JupyterLab. */
    public static final String MIME_TYPE = "application/vnd.plotly.v1+json";

    private static final String CLEAR = "rgba(0,0,0,0)", GRID = css(new Color(0x80, 0x80, 0x80, 0x40));

    private PlotlyFigures() {}

    /** The figure of an {@link XYChart}, a {@link CategoryChart} or a {@link HeatMapChart}. */
    public static Map<String, Object> figure(Chart<?, ?> chart) {
        return switch (chart) {
            case XYChart xy -> figure(xy);
            case CategoryChart bars -> figure(bars);
            case HeatMapChart heat -> figure(heat);
            default -> throw new IllegalArgumentException("PlotlyFigures: a " + chart.getClass().getSimpleName()
                    + " has no interactive figure; expected an XYChart, CategoryChart or HeatMapChart");
        };
    }

    /** One scatter trace per enabled series: lines, markers or both as the series is drawn. */
    public static Map<String, Object> figure(XYChart chart) {
        var s = chart.getStyler();
        var cycler = cycler(s);
        List<Object> traces = new ArrayList<>();
        for (XYSeries series : chart.getSeriesMap().values()) {
            SeriesColorMarkerLineStyle fallback = cycler.getNextSeriesColorMarkerLineStyle();  // as XChart's paint assigns them
            if (!series.isEnabled()) continue;
            XYSeriesRenderStyle style = series.getXYSeriesRenderStyle() != null ? series.getXYSeriesRenderStyle() : s.getDefaultSeriesRenderStyle();
            Map<String, Object> t = trace("scatter", series, s);
            t.put("x", values(series.getXData()));
            t.put("y", values(series.getYData()));
            boolean lines = style != XYSeriesRenderStyle.Scatter;
            Marker marker = series.getMarker() != null ? series.getMarker() : fallback.getMarker();
            boolean markers = !lines || !(marker instanceof None) && s.getMarkerSize() > 0;  // Charts.xy draws lines without markers by size 0
            t.put("mode", lines && markers ? "lines+markers" : lines ? "lines" : "markers");
            Color color = series.getLineColor() != null ? series.getLineColor() : fallback.getColor();
            if (lines) t.put("line", line(color, series.getLineStyle() != null ? series.getLineStyle() : fallback.getStroke(),
                    style == XYSeriesRenderStyle.Step || style == XYSeriesRenderStyle.StepArea));
            if (markers) t.put("marker", marker(marker, series.getMarkerColor() != null ? series.getMarkerColor() : fallback.getColor(), s));
            if (style == XYSeriesRenderStyle.Area || style == XYSeriesRenderStyle.StepArea) {
                t.put("fill", "tozeroy");
                t.put("fillcolor", css(series.getFillColor() != null ? series.getFillColor() : fallback.getColor()));
            }
            if (series.getExtraValues() != null) t.put("error_y", errors(values(series.getExtraValues()), s, color));
            traces.add(t);
        }
        Map<String, Object> layout = layout(chart);
        layout.put("xaxis", axis(chart.getXAxisTitle(), s.isXAxisLogarithmic(), s.getXAxisMin(), s.getXAxisMax()));
        layout.put("yaxis", axis(chart.getYAxisTitle(), s.isYAxisLogarithmic(), s.getYAxisMin(), s.getYAxisMax()));
        return figure(traces, layout);
    }

    /** One bar trace per enabled series (line and scatter series as such), categories as text; stacked if the chart stacks. */
    public static Map<String, Object> figure(CategoryChart chart) {
        var s = chart.getStyler();
        var cycler = cycler(s);
        List<Object> traces = new ArrayList<>();
        for (CategorySeries series : chart.getSeriesMap().values()) {
            SeriesColorMarkerLineStyle fallback = cycler.getNextSeriesColorMarkerLineStyle();
            if (!series.isEnabled()) continue;
            CategorySeriesRenderStyle style = series.getChartCategorySeriesRenderStyle() != null
                    ? series.getChartCategorySeriesRenderStyle() : s.getDefaultSeriesRenderStyle();
            boolean bar = style == CategorySeriesRenderStyle.Bar || style == CategorySeriesRenderStyle.SteppedBar
                    || style == CategorySeriesRenderStyle.Stick;
            Map<String, Object> t = trace(bar ? "bar" : "scatter", series, s);
            t.put("x", series.getXData().stream().map(String::valueOf).toList());
            t.put("y", values(series.getYData()));
            Color color = bar ? (series.getFillColor() != null ? series.getFillColor() : fallback.getColor())
                    : series.getLineColor() != null ? series.getLineColor() : fallback.getColor();
            if (bar) {
                t.put("marker", Map.of("color", css(color)));
            } else {
                t.put("mode", style == CategorySeriesRenderStyle.Scatter ? "markers" : "lines+markers");
                t.put("line", line(color, series.getLineStyle() != null ? series.getLineStyle() : fallback.getStroke(), false));
                t.put("marker", marker(series.getMarker() != null ? series.getMarker() : fallback.getMarker(), color, s));
            }
            if (series.getExtraValues() != null) t.put("error_y", errors(values(series.getExtraValues()), s, color));
            traces.add(t);
        }
        Map<String, Object> layout = layout(chart);
        layout.put("barmode", s.isStacked() ? "stack" : s.isOverlapped() ? "overlay" : "group");
        Map<String, Object> x = axis(chart.getXAxisTitle(), false, null, null);
        x.put("type", "category");
        layout.put("xaxis", x);
        layout.put("yaxis", axis(chart.getYAxisTitle(), s.isYAxisLogarithmic(), s.getYAxisMin(), s.getYAxisMax()));
        return figure(traces, layout);
    }

    /** A heatmap trace: z[y][x] over the categories, on the chart's colour range and colours, values printed if the chart prints them. */
    public static Map<String, Object> figure(HeatMapChart chart) {
        HeatMapStyler s = chart.getStyler();
        HeatMapSeries series = chart.getHeatMapSeries();
        List<Object> traces = new ArrayList<>();
        if (series != null) {
            List<?> xs = series.getXData(), ys = series.getYData();
            Double[][] z = new Double[ys.size()][xs.size()];
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (Number[] cell : series.getHeatData()) {
                Double v = value(cell[2]);
                z[cell[1].intValue()][cell[0].intValue()] = v;
                if (v != null) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
            }
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("type", "heatmap");
            t.put("name", series.getLabel());
            t.put("x", xs.stream().map(String::valueOf).toList());
            t.put("y", ys.stream().map(String::valueOf).toList());
            t.put("z", Arrays.stream(z).map(Arrays::asList).toList());
            // XChart's own range unless the styler fixes one (its defaults are Double.MIN_VALUE and Double.MAX_VALUE).
            t.put("zmin", s.getMin() != Double.MIN_VALUE ? s.getMin() : lo <= hi ? lo : 0.0);
            t.put("zmax", s.getMax() != Double.MAX_VALUE ? s.getMax() : lo <= hi ? hi : 1.0);
            t.put("colorscale", colorscale(s.getRangeColors()));
            t.put("xgap", 1);
            t.put("ygap", 1);
            t.put("hoverongaps", false);
            t.put("colorbar", Map.of("outlinewidth", 0, "tickfont", Map.of("color", css(Charts.INK))));
            if (s.isShowValue()) {
                t.put("texttemplate", "%{z:" + d3Format(s.getHeatMapValueDecimalPattern()) + "}");
                t.put("textfont", Map.of("size", s.getValueFont().getSize()));
            }
            t.put("showscale", s.isLegendVisible());
            traces.add(t);
        }
        Map<String, Object> layout = layout(chart);
        Map<String, Object> x = axis(chart.getXAxisTitle(), false, null, null), y = axis(chart.getYAxisTitle(), false, null, null);
        x.put("type", "category");
        y.put("type", "category");
        x.put("showgrid", false);
        y.put("showgrid", false);
        layout.put("xaxis", x);
        layout.put("yaxis", y);
        return figure(traces, layout);
    }

    private static Map<String, Object> figure(List<Object> traces, Map<String, Object> layout) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("data", traces);
        f.put("layout", layout);
        return f;
    }

    private static SeriesColorMarkerLineStyleCycler cycler(AxesChartStyler s) {
        return new SeriesColorMarkerLineStyleCycler(s.getSeriesColors(), s.getSeriesMarkers(), s.getSeriesLines());
    }

    private static Map<String, Object> trace(String type, MarkerSeries series, Styler s) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("type", type);
        String name = series.getLabel() != null ? series.getLabel() : series.getName();
        t.put("name", name);
        t.put("legendgroup", name);  // series that share a legend entry (a band's two edges) hide and show together
        t.put("showlegend", s.isLegendVisible() && series.isShowInLegend());
        return t;
    }

    /** Title, size, transparent backgrounds, grey text; the legend below the plot when the chart puts it there. */
    private static Map<String, Object> layout(Chart<?, ?> chart) {
        Styler s = chart.getStyler();
        Map<String, Object> layout = new LinkedHashMap<>();
        if (s.isChartTitleVisible() && chart.getTitle() != null && !chart.getTitle().isBlank()) {
            layout.put("title", Map.of("text", chart.getTitle(), "x", 0.5, "font", Map.of("size", s.getChartTitleFont().getSize())));
        }
        layout.put("height", chart.getHeight());
        layout.put("paper_bgcolor", CLEAR);
        layout.put("plot_bgcolor", CLEAR);
        layout.put("font", Map.of("color", css(Charts.INK)));
        layout.put("showlegend", s.isLegendVisible());
        if (s.getLegendPosition() == Styler.LegendPosition.OutsideS) {
            layout.put("legend", Map.of("orientation", "h", "x", 0.5, "xanchor", "center", "y", -0.25, "yanchor", "top"));
        }
        layout.put("hovermode", "closest");
        return layout;
    }

    private static Map<String, Object> axis(String title, boolean log, Double min, Double max) {
        Map<String, Object> a = new LinkedHashMap<>();
        if (title != null && !title.isBlank()) a.put("title", Map.of("text", title));
        if (log) a.put("type", "log");
        if (min != null && max != null) {  // a log axis's range is in decades
            a.put("range", log ? List.of(Math.log10(min), Math.log10(max)) : List.of(min, max));
        }
        a.put("gridcolor", GRID);
        a.put("linecolor", css(Charts.INK));
        a.put("zeroline", false);
        return a;
    }

    /** A line of the stroke's width and dash pattern (Plotly takes a dash as a list of pixel lengths). */
    private static Map<String, Object> line(Color color, BasicStroke stroke, boolean step) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("color", css(color));
        if (stroke != null) {
            l.put("width", (double) stroke.getLineWidth());
            float[] dash = stroke.getDashArray();
            if (dash != null && dash.length > 0) {
                StringBuilder sb = new StringBuilder();
                for (float d : dash) sb.append(sb.isEmpty() ? "" : ",").append(trim(d)).append("px");
                l.put("dash", sb.toString());
            }
        }
        if (step) l.put("shape", "hv");
        return l;
    }

    private static Map<String, Object> marker(Marker marker, Color color, Styler s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("color", css(color));
        m.put("size", s instanceof AxesChartStyler a ? a.getMarkerSize() : 8);
        m.put("symbol", symbol(marker));
        return m;
    }

    private static String symbol(Marker marker) {
        return switch (marker) {
            case Diamond d -> "diamond";
            case Square sq -> "square";
            case Rectangle r -> "square";
            case TriangleUp u -> "triangle-up";
            case TriangleDown d -> "triangle-down";
            case Cross c -> "x";
            case Plus p -> "cross";
            case Circle c -> "circle";
            case Oval o -> "circle";
            default -> "circle";
        };
    }

    private static Map<String, Object> errors(List<Double> halfWidths, AxesChartStyler s, Color seriesColor) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", "data");
        e.put("array", halfWidths);
        e.put("visible", true);
        e.put("color", css(s.isErrorBarsColorSeriesColor() || s.getErrorBarsColor() == null ? seriesColor : s.getErrorBarsColor()));
        return e;
    }

    /** A colour scale with the colours evenly spaced over [0, 1], as XChart spaces its range colours over [min, max]. */
    private static List<Object> colorscale(Color[] colors) {
        List<Object> scale = new ArrayList<>();
        for (int i = 0; i < colors.length; i++) {
            scale.add(List.of(colors.length == 1 ? 0.0 : (double) i / (colors.length - 1), css(colors[i])));
        }
        if (colors.length == 1) scale.add(List.of(1.0, css(colors[0])));
        return scale;
    }

    /** A DecimalFormat pattern such as {@code 0.00} as a d3 format ({@code .2f}). */
    static String d3Format(String pattern) {
        if (pattern == null) return ".3g";
        int dot = pattern.indexOf('.');
        return "." + (dot < 0 ? 0 : pattern.length() - dot - 1) + "f";
    }

    /** A colour as CSS {@code rgba(r,g,b,a)}. */
    static String css(Color c) {
        return "rgba(" + c.getRed() + "," + c.getGreen() + "," + c.getBlue() + "," + trim(c.getAlpha() / 255.0) + ")";
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    static List<Double> values(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) out.add(Double.isFinite(v) ? v : null);
        return out;
    }

    static List<Double> values(Collection<? extends Number> values) {
        List<Double> out = new ArrayList<>(values.size());
        for (Number v : values) out.add(value(v));
        return out;
    }

    private static Double value(Number n) {
        if (n == null) return null;
        double v = n.doubleValue();
        return Double.isFinite(v) ? v : null;
    }
}
