package org.normlab.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * NormLab's figures, drawn with XChart in one style. In a notebook a chart shows itself when it is a cell's
 * last expression (see {@code org.normlab.jupyter.NormLabExtension}).
 */
public final class Charts {
    /** One colour per normalization, the same in every figure. */
    private static final Map<String, Color> NORM_COLORS = Map.of(
            "none", new Color(0x55, 0x55, 0x55), "BN", new Color(0x1f, 0x77, 0xb4), "LN", new Color(0xd6, 0x27, 0x28),
            "GN", new Color(0x2c, 0xa0, 0x2c), "IN", new Color(0x94, 0x67, 0xbd));
    private static final Color[] FALLBACK = {new Color(0xff, 0x7f, 0x0e), new Color(0x8c, 0x56, 0x4b), new Color(0xe3, 0x77, 0xc2),
            new Color(0x17, 0xbe, 0xcf), new Color(0xbc, 0xbd, 0x22)};

    private Charts() {}

    public static Color colorOf(String group, int index) {
        return NORM_COLORS.getOrDefault(group, FALLBACK[Math.floorMod(index, FALLBACK.length)]);
    }

    /** An empty chart in the house style. */
    public static XYChart xy(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(720).height(420).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setLegendBorderColor(Color.WHITE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAntiAlias(true);
        chart.getStyler().setPlotGridLinesColor(new Color(0xe5, 0xe5, 0xe5));
        chart.getStyler().setMarkerSize(0);
        return chart;
    }

    /**
     * Learning curves of one metric from a tidy results table (columns {@code group, seed, step, metric, value}):
     * a thin line per seed and a bold line for the mean over seeds, one colour per group.
     */
    public static XYChart learningCurves(Table tidy, String metric, String groupColumn, String title) {
        Map<String, Map<Long, TreeMap<Integer, Double>>> byGroup = new LinkedHashMap<>();
        for (Row row : tidy) {
            if (!row.getString("metric").equals(metric)) continue;
            byGroup.computeIfAbsent(row.getString(groupColumn), g -> new TreeMap<>())
                    .computeIfAbsent(row.getLong("seed"), s -> new TreeMap<>())
                    .put(row.getInt("step"), row.getDouble("value"));
        }
        if (byGroup.isEmpty()) throw new IllegalArgumentException("Charts.learningCurves: no rows with metric '" + metric + "'");
        XYChart chart = xy(title, "step", metric);
        int index = 0;
        for (var group : byGroup.entrySet()) {
            Color color = colorOf(group.getKey(), index++);
            Color faint = new Color(color.getRed(), color.getGreen(), color.getBlue(), 70);
            TreeMap<Integer, double[]> sums = new TreeMap<>();  // step → {sum, count}
            for (var seed : group.getValue().entrySet()) {
                List<Integer> xs = new ArrayList<>(seed.getValue().keySet());
                List<Double> ys = new ArrayList<>(seed.getValue().values());
                XYSeries s = chart.addSeries(group.getKey() + " seed " + seed.getKey(), xs, ys);
                s.setLineColor(faint);
                s.setLineStyle(new BasicStroke(1f));
                s.setMarker(SeriesMarkers.NONE);
                s.setShowInLegend(false);
                seed.getValue().forEach((step, v) -> {
                    double[] acc = sums.computeIfAbsent(step, k -> new double[2]);
                    acc[0] += v;
                    acc[1]++;
                });
            }
            List<Integer> xs = new ArrayList<>(sums.keySet());
            List<Double> means = sums.values().stream().map(a -> a[0] / a[1]).toList();
            XYSeries mean = chart.addSeries(group.getKey() + " (mean of " + group.getValue().size() + " seeds)", xs, means);
            mean.setLineColor(color);
            mean.setLineStyle(new BasicStroke(2.5f));
            mean.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }
}
