package org.normlab.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
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
            "none", new Color(0x7f, 0x7f, 0x7f), "BN", new Color(0x1f, 0x77, 0xb4), "LN", new Color(0xd6, 0x27, 0x28),
            "GN", new Color(0x2c, 0xa0, 0x2c), "IN", new Color(0x94, 0x67, 0xbd));
    private static final Color[] FALLBACK = {new Color(0xff, 0x7f, 0x0e), new Color(0x8c, 0x56, 0x4b), new Color(0xe3, 0x77, 0xc2),
            new Color(0x17, 0xbe, 0xcf), new Color(0xbc, 0xbd, 0x22)};

    private Charts() {}

    public static Color colorOf(String group, int index) {
        String family = group.startsWith("GN(") ? "GN" : group;  // GN(2), GN(4)… share GroupNorm's colour
        return NORM_COLORS.getOrDefault(family, FALLBACK[Math.floorMod(index, FALLBACK.length)]);
    }

    /** A dashed line of {@code width}: dashes of {@code dash} pixels, gaps of 4 (a second metric or outer percentile beside a solid one). */
    public static BasicStroke dashed(float width, float dash) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {dash, 4f}, 0f);
    }

    /**
     * Text, axes and neutral marks: a mid grey that reads on white paper and on JupyterLab's dark theme alike (contrast
     * about 4.5:1 on white and 4:1 on the dark theme's background).
     */
    public static final Color INK = new Color(0x76, 0x76, 0x76);
    private static final Color CLEAR = new Color(0, 0, 0, 0), GRID = new Color(0x80, 0x80, 0x80, 0x40);

    /**
     * The house style of every chart: transparent backgrounds (the page shows through, light or dark theme), text and
     * axes in {@link #INK}, faint grid lines, legend below the plot in one row, title in bold.
     */
    public static void houseStyle(Styler s) {
        s.setChartBackgroundColor(CLEAR);
        s.setPlotBackgroundColor(CLEAR);
        s.setLegendBackgroundColor(CLEAR);
        s.setLegendBorderColor(CLEAR);
        s.setChartTitleBoxVisible(false);
        s.setPlotBorderVisible(false);
        s.setChartFontColor(INK);
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAntiAlias(true);
        if (s instanceof AxesChartStyler a) {
            a.setAxisTickLabelsColor(INK);
            a.setAxisTickMarksColor(INK);
            a.setPlotGridLinesColor(GRID);
        }
    }

    /**
     * The chart as PNG bytes with an alpha channel, so that its transparent background stays transparent (XChart's
     * BitmapEncoder draws into an opaque image, which would turn it black or white).
     */
    public static byte[] png(Chart<?, ?> chart) {
        BufferedImage image = new BufferedImage(chart.getWidth(), chart.getHeight(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            chart.paint(g, chart.getWidth(), chart.getHeight());
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("Charts: could not encode chart '" + chart.getTitle() + "' as PNG", e);
        }
        return out.toByteArray();
    }

    private static final Map<String, String> METRIC_LABELS = Map.of("train_loss", "training loss", "train_acc", "training accuracy",
            "test_loss", "test loss", "test_acc", "test accuracy", "grad_norm", "gradient norm", "weight_norm", "weight norm",
            "lr", "learning rate");

    /** A metric's name in words for an axis or a title ({@code test_acc} → "test accuracy"); other names with spaces for "_". */
    public static String label(String metric) {
        return METRIC_LABELS.getOrDefault(metric, metric.replace('_', ' '));
    }

    /** A column name in words, each metric name in it by {@link #label} ({@code final train_loss} → "final training loss"). */
    public static String words(String column) {
        StringBuilder sb = new StringBuilder();
        for (String w : column.split(" ")) sb.append(sb.isEmpty() ? "" : " ").append(label(w));
        return sb.toString();
    }

    /** An empty chart in the house style. */
    public static XYChart xy(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(720).height(420).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        houseStyle(chart.getStyler());
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
        XYChart chart = xy(title, "step", label(metric));
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

    /**
     * Final values against the learning rate (log axis), one colour per group: a dot per run, a line through the
     * means of the runs that finished, and a red cross at the top of the plot for each run without a final value
     * (diverged or failed: NaN in {@code valueColumn}).
     *
     * @param finals one row per run with columns {@code groupColumn}, {@code lr} and {@code valueColumn}
     */
    public static XYChart versusLearningRate(Table finals, String groupColumn, String valueColumn, String title) {
        return versus(finals, "lr", "learning rate (log scale)", true, groupColumn, valueColumn, title);
    }

    /**
     * Final values against any numeric config column (e.g. batch size), drawn as {@link #versusLearningRate} draws
     * them: a dot per run, a line through the means, a red cross at the top for each run without a value.
     *
     * @param logX whether the x axis is logarithmic
     */
    public static XYChart versus(Table finals, String xColumn, String xTitle, boolean logX, String groupColumn, String valueColumn, String title) {
        XYChart chart = xy(title, xTitle, words(valueColumn));
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setMarkerSize(7);
        Map<String, TreeMap<Double, List<Double>>> byGroup = new LinkedHashMap<>();
        List<Double> divergedLr = new ArrayList<>();
        double top = Double.NEGATIVE_INFINITY;
        for (Row r : finals) {
            double v = r.getDouble(valueColumn), lr = r.getNumber(xColumn);
            String g = String.valueOf(r.getObject(groupColumn));
            List<Double> values = byGroup.computeIfAbsent(g, k -> new TreeMap<>()).computeIfAbsent(lr, k -> new ArrayList<>());
            if (Double.isNaN(v)) divergedLr.add(lr); else { values.add(v); top = Math.max(top, v); }
        }
        int index = 0;
        for (var group : byGroup.entrySet()) {
            Color color = colorOf(group.getKey(), index++);
            List<Double> xs = new ArrayList<>(), means = new ArrayList<>(), dotX = new ArrayList<>(), dotY = new ArrayList<>();
            group.getValue().forEach((lr, values) -> {
                values.forEach(v -> { dotX.add(lr); dotY.add(v); });
                if (!values.isEmpty()) { xs.add(lr); means.add(values.stream().mapToDouble(d -> d).average().orElse(Double.NaN)); }
            });
            if (!xs.isEmpty()) {
                XYSeries mean = chart.addSeries(group.getKey(), xs, means);
                mean.setLineColor(color);
                mean.setLineStyle(new BasicStroke(2.5f));
                mean.setMarker(SeriesMarkers.NONE);
            }
            if (!dotX.isEmpty()) {
                XYSeries dots = chart.addSeries(group.getKey() + " seeds", dotX, dotY);
                dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                dots.setMarker(SeriesMarkers.CIRCLE);
                dots.setMarkerColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 140));
                dots.setShowInLegend(false);
            }
        }
        if (!divergedLr.isEmpty()) {
            double y = Double.isFinite(top) ? top * 1.1 : 1;
            XYSeries crosses = chart.addSeries("diverged or failed (" + divergedLr.size() + " runs)", divergedLr,
                    divergedLr.stream().map(x -> y).toList());
            crosses.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            crosses.setMarker(SeriesMarkers.CROSS);
            crosses.setMarkerColor(new Color(0xd6, 0x27, 0x28));
        }
        return chart;
    }

    /** A heatmap of {@code value} over two columns of a table (e.g. init scale × depth), one cell per pair. */
    public static HeatMapChart heatmap(Table table, String xColumn, String yColumn, String valueColumn, String title) {
        List<String> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (Row r : table) {
            String x = String.valueOf(r.getObject(xColumn)), y = String.valueOf(r.getObject(yColumn));
            if (!xs.contains(x)) xs.add(x);
            if (!ys.contains(y)) ys.add(y);
        }
        List<Number[]> cells = new ArrayList<>();
        for (Row r : table) {
            cells.add(new Number[] {xs.indexOf(String.valueOf(r.getObject(xColumn))), ys.indexOf(String.valueOf(r.getObject(yColumn))),
                    r.getDouble(valueColumn)});
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(720).height(420).title(title).xAxisTitle(xColumn).yAxisTitle(yColumn).build();
        houseStyle(chart.getStyler());
        chart.getStyler().setShowValue(true);
        chart.getStyler().setRangeColors(new Color[] {new Color(0x1f, 0x77, 0xb4), new Color(0xf7, 0xf7, 0xf7), new Color(0xd6, 0x27, 0x28)});
        chart.addSeries(valueColumn, xs, ys, cells);
        return chart;
    }

    /**
     * Grouped bars with 95% intervals as error bars: one bar group per value of {@code category}, one colour per
     * value of {@code group}; {@code mean}, {@code lo}, {@code hi} are column names.
     */
    public static CategoryChart bars(Table table, String category, String group, String mean, String lo, String hi, String title) {
        CategoryChart chart = new CategoryChartBuilder().width(720).height(420).title(title).xAxisTitle(category).yAxisTitle(mean).build();
        houseStyle(chart.getStyler());
        chart.getStyler().setErrorBarsColor(INK);
        Map<String, Map<String, double[]>> byGroup = new LinkedHashMap<>();
        List<String> categories = new ArrayList<>();
        for (Row r : table) {
            String c = String.valueOf(r.getObject(category));
            if (!categories.contains(c)) categories.add(c);
            byGroup.computeIfAbsent(String.valueOf(r.getObject(group)), k -> new LinkedHashMap<>())
                    .put(c, new double[] {r.getDouble(mean), r.getDouble(lo), r.getDouble(hi)});
        }
        int index = 0;
        for (var g : byGroup.entrySet()) {
            List<Double> ys = new ArrayList<>(), err = new ArrayList<>();
            for (String c : categories) {
                double[] v = g.getValue().getOrDefault(c, new double[] {Double.NaN, Double.NaN, Double.NaN});
                ys.add(Double.isNaN(v[0]) ? 0 : v[0]);
                err.add(Double.isFinite(v[2] - v[0]) ? v[2] - v[0] : 0);  // symmetric t interval: half-width
            }
            CategorySeries s = chart.addSeries(g.getKey(), categories, ys, err);
            s.setFillColor(colorOf(g.getKey(), index++));
        }
        return chart;
    }

    /** Points in the plane, one colour per named set (e.g. GAN samples against the true modes). */
    public static XYChart scatter(String title, Map<String, double[][]> sets) {
        XYChart chart = xy(title, "x", "y");
        chart.getStyler().setMarkerSize(4);
        int index = 0;
        for (var set : sets.entrySet()) {
            double[][] xy = set.getValue();
            XYSeries s = chart.addSeries(set.getKey(), xy[0], xy[1]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(colorOf(set.getKey(), index++));
        }
        return chart;
    }

    /**
     * {@link #scatter} on the square [−half, half]², with the set {@code marked} (e.g. the true modes) drawn as black
     * diamonds over the others.
     */
    public static XYChart scatterOnSquare(String title, Map<String, double[][]> sets, String marked, double half) {
        XYChart chart = scatter(title, sets);
        XYSeries m = chart.getSeriesMap().get(marked);
        if (m == null) throw new IllegalArgumentException("Charts.scatterOnSquare: no set '" + marked + "' among " + sets.keySet());
        m.setMarkerColor(INK);
        m.setMarker(SeriesMarkers.DIAMOND);
        chart.getStyler().setXAxisMin(-half).setXAxisMax(half).setYAxisMin(-half).setYAxisMax(half);
        return chart;
    }

    /**
     * The 15th, 50th and 85th percentiles of a probed unit over training (Ioffe &amp; Szegedy's Fig. 1(b, c)): one
     * colour per group, the median solid and the outer percentiles thin, averaged over seeds.
     *
     * @param tidy results with metrics {@code probe/<probe>/p15}, {@code …/p50}, {@code …/p85}
     */
    public static XYChart percentileBands(Table tidy, String probe, String groupColumn, String title) {
        XYChart chart = xy(title, "step", "value of " + probe);
        int index = 0;
        List<String> groups = tidy.stringColumn(groupColumn).unique().asList();
        for (String group : groups) {
            Color color = colorOf(group, index++);
            for (String q : List.of("p15", "p50", "p85")) {
                TreeMap<Integer, double[]> sums = new TreeMap<>();
                for (Row row : tidy) {
                    if (!row.getString(groupColumn).equals(group) || !row.getString("metric").equals("probe/" + probe + "/" + q)) continue;
                    double[] acc = sums.computeIfAbsent(row.getInt("step"), k -> new double[2]);
                    acc[0] += row.getDouble("value");
                    acc[1]++;
                }
                if (sums.isEmpty()) continue;
                XYSeries s = chart.addSeries(group + " " + q, new ArrayList<>(sums.keySet()), sums.values().stream().map(a -> a[0] / a[1]).toList());
                s.setLineColor(color);
                s.setMarker(SeriesMarkers.NONE);
                s.setLineStyle(q.equals("p50") ? new BasicStroke(2.5f)
                        : dashed(1.2f, 6f));
                s.setShowInLegend(q.equals("p50") || index == 1);
            }
        }
        if (chart.getSeriesMap().isEmpty()) throw new IllegalArgumentException("Charts.percentileBands: no metrics probe/" + probe + "/p15|p50|p85");
        return chart;
    }

    /**
     * One path per group through the points ({@code x}, {@code y}) in row order (e.g. a layer's learned γ against the
     * σ it saw, step by step), its first and last points marked by diamonds; with a {@code diagonal} label (not null),
     * the line y = x dashed in grey across the points' range, named so in the legend.
     */
    public static XYChart paths(Table table, String groupColumn, String x, String y, String xTitle, String yTitle, String title, String diagonal) {
        XYChart chart = xy(title, xTitle, yTitle);
        Map<String, List<double[]>> byGroup = new LinkedHashMap<>();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Row r : table) {
            double px = r.getDouble(x), py = r.getDouble(y);
            if (!Double.isFinite(px) || !Double.isFinite(py)) continue;
            byGroup.computeIfAbsent(String.valueOf(r.getObject(groupColumn)), g -> new ArrayList<>()).add(new double[] {px, py});
            lo = Math.min(lo, Math.min(px, py));
            hi = Math.max(hi, Math.max(px, py));
        }
        if (byGroup.isEmpty()) throw new IllegalArgumentException("Charts.paths: no finite (" + x + ", " + y + ") in table " + table.name());
        if (diagonal != null) {
            XYSeries d = chart.addSeries(diagonal, new double[] {lo, hi}, new double[] {lo, hi});
            d.setLineColor(Color.GRAY);
            d.setLineStyle(dashed(1.2f, 6f));
            d.setMarker(SeriesMarkers.NONE);
        }
        int index = 0;
        for (var g : byGroup.entrySet()) {
            Color color = colorOf(g.getKey(), index++);
            List<double[]> pts = g.getValue();
            XYSeries path = chart.addSeries(g.getKey(), pts.stream().map(p -> p[0]).toList(), pts.stream().map(p -> p[1]).toList());
            path.setLineColor(color);
            path.setLineStyle(new BasicStroke(2f));
            path.setMarker(SeriesMarkers.NONE);
            XYSeries ends = chart.addSeries(g.getKey() + " start, end", List.of(pts.get(0)[0], pts.get(pts.size() - 1)[0]),
                    List.of(pts.get(0)[1], pts.get(pts.size() - 1)[1]));
            ends.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            ends.setMarker(SeriesMarkers.DIAMOND);
            ends.setMarkerColor(color);
            ends.setShowInLegend(false);
        }
        chart.getStyler().setMarkerSize(8);
        return chart;
    }

    /**
     * One line of {@code value} against {@code step} per (group, layer) row set of a table (e.g. the weight norm before
     * each BN layer, per arm): one colour per group, one line style per layer (solid, dashed, dotted, …), so that six
     * lines of two arms × three layers stay apart.
     */
    public static XYChart layerCurves(Table table, String groupColumn, String layerColumn, String value, String yTitle, String title) {
        XYChart chart = xy(title, "step", yTitle);
        Map<String, Map<String, TreeMap<Integer, Double>>> lines = new LinkedHashMap<>();
        List<String> layers = new ArrayList<>();
        for (Row r : table) {
            double v = r.getDouble(value);
            if (!Double.isFinite(v)) continue;
            String layer = String.valueOf(r.getObject(layerColumn));
            if (!layers.contains(layer)) layers.add(layer);
            lines.computeIfAbsent(String.valueOf(r.getObject(groupColumn)), g -> new LinkedHashMap<>())
                    .computeIfAbsent(layer, l -> new TreeMap<>()).put(r.getInt("step"), v);
        }
        if (lines.isEmpty()) throw new IllegalArgumentException("Charts.layerCurves: no finite values of " + value + " in table " + table.name());
        int index = 0;
        for (var g : lines.entrySet()) {
            Color color = colorOf(g.getKey(), index++);
            for (var l : g.getValue().entrySet()) {
                int k = layers.indexOf(l.getKey());
                XYSeries s = chart.addSeries(g.getKey() + ", " + l.getKey(), new ArrayList<>(l.getValue().keySet()), new ArrayList<>(l.getValue().values()));
                s.setLineColor(color);
                s.setLineStyle(k == 0 ? new BasicStroke(2.5f) : dashed(2f, k == 1 ? 9f : 2f + 9f / (k + 1)));
                s.setMarker(SeriesMarkers.NONE);
            }
        }
        return chart;
    }
}
