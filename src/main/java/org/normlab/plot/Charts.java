package org.normlab.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.HeatMapSeries;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.internal.chartpart.RenderableSeries.LegendRenderType;
import org.knowm.xchart.internal.series.Series;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.HeatMapStyler;
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

    /** Set by {@link #interactive(boolean)}; null until then, when {@code NORMLAB_INTERACTIVE} decides. */
    private static volatile Boolean interactive;

    /**
     * Turns interactive charts on or off for this kernel: when on, a chart shown in a notebook carries its
     * {@link PlotlyFigures Plotly figure} instead of a PNG, which JupyterLab draws with hover, zoom and series toggled
     * from the legend (its renderer adds a PNG of the figure to the output). Off by default, so reports and committed
     * notebooks keep NormLab's PNGs; {@code NORMLAB_INTERACTIVE=1} (or {@code -Dnormlab.interactive=1}) turns it on for a whole kernel.
     */
    public static void interactive(boolean on) { interactive = on; }

    /** Whether charts shown in a notebook carry a Plotly figure: {@link #interactive(boolean)}, else {@code NORMLAB_INTERACTIVE}. */
    public static boolean isInteractive() {
        Boolean set = interactive;
        return set != null ? set : interactiveSetting(System.getProperty("normlab.interactive", System.getenv("NORMLAB_INTERACTIVE")));
    }

    /** NORMLAB_INTERACTIVE as a yes/no: unset, empty, 0, false or no is no; 1, true or yes is yes; anything else a one-line error. */
    static boolean interactiveSetting(String text) {
        if (text == null) return false;
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "", "0", "false", "no" -> false;
            case "1", "true", "yes" -> true;
            default -> throw new IllegalArgumentException("NORMLAB_INTERACTIVE (or -Dnormlab.interactive) must be 1 or 0 (true/false, yes/no), got '"
                    + text + "'");
        };
    }

    /**
     * Device pixels per layout pixel of a PNG: a 720×420 chart becomes a 1440×840 image, sharp in print and on
     * high-density screens, while its PNG says 144 dpi and its notebook output asks for 720×420 (the layout size).
     */
    public static final int PIXEL_DENSITY = 2;

    /**
     * The chart as PNG bytes at {@link #PIXEL_DENSITY}× its layout size, with an alpha channel so that its transparent
     * background stays transparent (XChart's BitmapEncoder draws into an opaque image, which would turn it black or
     * white), and its physical resolution (pHYs: 72 dpi × density) so that viewers and print show it at layout size.
     * The legend is fitted first ({@link #fitLegend}).
     */
    public static byte[] png(Chart<?, ?> chart) {
        fitLegend(chart);
        int w = chart.getWidth(), h = chart.getHeight();
        BufferedImage image = new BufferedImage(w * PIXEL_DENSITY, h * PIXEL_DENSITY, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.scale(PIXEL_DENSITY, PIXEL_DENSITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            chart.paint(g, w, h);
        } finally {
            g.dispose();
        }
        try {
            return encodePng(image, 72.0 * PIXEL_DENSITY);
        } catch (IOException e) {
            throw new UncheckedIOException("Charts: could not encode chart '" + chart.getTitle() + "' as PNG", e);
        }
    }

    private static byte[] encodePng(BufferedImage image, double dpi) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try {
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), writer.getDefaultWriteParam());
            String perMetre = Long.toString(Math.round(dpi / 0.0254));
            IIOMetadataNode phys = new IIOMetadataNode("pHYs");
            phys.setAttribute("pixelsPerUnitXAxis", perMetre);
            phys.setAttribute("pixelsPerUnitYAxis", perMetre);
            phys.setAttribute("unitSpecifier", "meter");
            IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
            root.appendChild(phys);
            try {
                meta.mergeTree("javax_imageio_png_1.0", root);
            } catch (IIOInvalidTreeException e) {
                throw new IOException("PNG metadata rejected the pHYs chunk", e);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(stream);
                writer.write(null, new IIOImage(image, null, meta), writer.getDefaultWriteParam());
            }
            return out.toByteArray();
        } finally {
            writer.dispose();
        }
    }

    /** The chart as an SVG document at its layout size (XChart's vector encoder), the legend fitted first. */
    public static String svg(Chart<?, ?> chart) {
        return new String(vector(chart, VectorGraphicsEncoder.VectorGraphicsFormat.SVG), StandardCharsets.UTF_8);
    }

    /** The chart as a one-page PDF at its layout size (XChart's PDFBox encoder), the legend fitted first. */
    public static byte[] pdf(Chart<?, ?> chart) {
        return vector(chart, VectorGraphicsEncoder.VectorGraphicsFormat.PDF);
    }

    private static byte[] vector(Chart<?, ?> chart, VectorGraphicsEncoder.VectorGraphicsFormat format) {
        fitLegend(chart);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, format);
        } catch (IOException e) {
            throw new UncheckedIOException("Charts: could not encode chart '" + chart.getTitle() + "' as " + format, e);
        }
        return out.toByteArray();
    }

    /** XChart's legend box (Legend_.BOX_SIZE), and the room kept free beside a legend below the plot (the y axis shifts the plot right). */
    private static final int LEGEND_BOX = 20, LEGEND_SIDE_ROOM = 60;
    private static final FontRenderContext TEXT_MEASURE = new FontRenderContext(null, true, false);  // as XChart measures legend text

    /**
     * Makes a legend below the plot fit the chart's width. XChart lays such a legend out in one row, centred under
     * the plot, and cuts off what does not fit (series that cannot be identified); here a row wider than the chart
     * becomes a column, each label wrapped at spaces to the chart's width, and the chart grows by the column's extra
     * height so the plot keeps its size. Charts with another legend, or one that fits, are left as they are; calling
     * it again changes nothing. {@link #png}, {@link #svg} and {@link #pdf} call it before drawing.
     */
    public static void fitLegend(Chart<?, ?> chart) {
        Styler s = chart.getStyler();
        if (chart instanceof HeatMapChart || !s.isLegendVisible() || s.getLegendPosition() != Styler.LegendPosition.OutsideS
                || s.getLegendLayout() != Styler.LegendLayout.Horizontal) return;
        List<Series> shown = chart.getSeriesMap().values().stream().filter(x -> x.isShowInLegend() && x.isEnabled()).map(x -> (Series) x).toList();
        if (shown.isEmpty()) return;
        resize(chart, chart.getWidth(), chart.getHeight());  // XChart gives each series its render style when it first paints
        double room = chart.getWidth() - 2.0 * LEGEND_SIDE_ROOM;
        if (legendRowWidth(s, shown) <= room) return;
        double rowHeight = legendRowHeight(s, shown);
        int pad = s.getLegendPadding();
        double textRoom = room - Math.max(LEGEND_BOX, s.getLegendSeriesLineLength()) - 3 * pad;
        for (Series x : shown) x.setLabel(wrap(x.getLabel(), s.getLegendFont(), textRoom));
        s.setLegendLayout(Styler.LegendLayout.Vertical);
        double grow = legendColumnHeight(s, shown) - rowHeight;
        resize(chart, chart.getWidth(), chart.getHeight() + (int) Math.ceil(grow));
    }

    /** The chart painted once at a new size, which XChart keeps as its size (it has no other public setter). */
    private static void resize(Chart<?, ?> chart, int width, int height) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB).createGraphics();
        try {
            chart.paint(g, width, height);
        } finally {
            g.dispose();
        }
    }

    private static TextSize text(String line, Font font) {
        var b = new TextLayout(line.isEmpty() ? " " : line, font, TEXT_MEASURE).getOutline(null).getBounds2D();
        return new TextSize(b.getWidth(), b.getHeight());
    }

    private record TextSize(double width, double height) {}

    private static boolean boxed(Series x) {
        return x.getLegendRenderType() == LegendRenderType.Box || x.getLegendRenderType() == LegendRenderType.BoxNoOutline;
    }

    private static double graphicHeight(Styler s, Series x) {
        return boxed(x) ? LEGEND_BOX : s instanceof AxesChartStyler a ? a.getMarkerSize() : 0;
    }

    /** Width of XChart's one-row legend (Legend_.getBoundsHintHorizontal). */
    static double legendRowWidth(Styler s, List<Series> shown) {
        double width = s.getLegendPadding();
        for (Series x : shown) {
            double text = Arrays.stream(x.getLabel().split("\n")).mapToDouble(l -> text(l, s.getLegendFont()).width()).max().orElse(0);
            double graphic = x.getLegendRenderType() == LegendRenderType.Line ? s.getLegendSeriesLineLength() : LEGEND_BOX;
            width += graphic + s.getLegendPadding() + text + s.getLegendPadding();
        }
        return width;
    }

    private static double entryHeight(Styler s, Series x) {
        String[] lines = x.getLabel().split("\n");
        double h = -3;  // XChart's MULTI_LINE_SPACE between lines
        for (String l : lines) h += text(l, s.getLegendFont()).height() + 3;
        return Math.max(h, graphicHeight(s, x));
    }

    private static double legendRowHeight(Styler s, List<Series> shown) {
        return shown.stream().mapToDouble(x -> entryHeight(s, x)).max().orElse(0) + 2 * s.getLegendPadding();
    }

    /** Height of XChart's one-column legend (Legend_.getBoundsHintVertical). */
    private static double legendColumnHeight(Styler s, List<Series> shown) {
        return shown.stream().mapToDouble(x -> entryHeight(s, x) + s.getLegendPadding()).sum() + s.getLegendPadding();
    }

    /** {@code label} broken at spaces into lines no wider than {@code room} (a word longer than that stays whole). */
    static String wrap(String label, Font font, double room) {
        StringBuilder out = new StringBuilder(), line = new StringBuilder();
        for (String word : label.split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (!line.isEmpty() && text(candidate, font).width() > room) {
                out.append(line).append('\n');
                line.setLength(0);
                line.append(word);
            } else {
                line.setLength(0);
                line.append(candidate);
            }
        }
        return out.append(line).toString();
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
     * a bold line for the mean over seeds and a thin, lighter line per seed in the same colour, one colour per group
     * (so each seed can be told to its arm). The legend names the groups; the x-axis title says what the lines are.
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
        int index = 0, most = 0;
        for (var group : byGroup.entrySet()) {
            Color color = colorOf(group.getKey(), index++);
            TreeMap<Integer, double[]> sums = new TreeMap<>();  // step → {sum, count}
            for (var seed : group.getValue().entrySet()) {
                List<Integer> xs = new ArrayList<>(seed.getValue().keySet());
                List<Double> ys = new ArrayList<>(seed.getValue().values());
                XYSeries s = chart.addSeries(group.getKey() + " seed " + seed.getKey(), xs, ys);
                s.setLineColor(seedColor(color));
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
            int seeds = group.getValue().size();
            most = Math.max(most, seeds);
            XYSeries mean = chart.addSeries(group.getKey() + " (mean of " + seeds + " seeds)", xs, means);
            mean.setLabel(group.getKey());
            mean.setLineColor(color);
            mean.setLineStyle(new BasicStroke(2.5f));
            mean.setMarker(SeriesMarkers.NONE);
        }
        chart.setXAxisTitle(most > 1 ? "step    (bold: mean over seeds; thin: each of " + most + " seeds)" : "step");
        return chart;
    }

    /** A per-seed line's colour: its arm's hue, half transparent, so that it reads lighter than the arm's mean on any background. */
    public static Color seedColor(Color arm) {
        return new Color(arm.getRed(), arm.getGreen(), arm.getBlue(), 0x80);
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

    /**
     * A heatmap of {@code value} over two columns of a table (e.g. init scale × depth), one cell per pair, each cell
     * labelled with its value in a font sized to the cell, and a colour bar beside it. Panels to be compared are put
     * on one scale with {@link #shareColourScale}.
     */
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
        HeatMapStyler s = chart.getStyler();
        s.setShowValue(true);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendLayout(Styler.LegendLayout.Vertical);
        s.setGradientColorColumnWeight(16);
        s.setGradientColorColumnHeight(420 - 170);
        chart.addSeries(valueColumn, xs, ys, cells);
        shareColourScale(Double.NaN, chart);
        return chart;
    }

    private static final Color COLD = new Color(0x1f, 0x77, 0xb4), NEUTRAL = new Color(0xf7, 0xf7, 0xf7), HOT = new Color(0xd6, 0x27, 0x28);

    /**
     * Puts heatmap panels on one colour scale: from the lowest to the highest value over all of them (rounded outward
     * to two significant digits, as the colour bars print them), blue through light grey to red, the light grey at
     * {@code centre} (e.g. the threshold a criterion uses; NaN: the middle of the range). The cell labels get as many
     * decimals as the range needs and a font that fits the smallest panel's cells.
     */
    public static void shareColourScale(double centre, HeatMapChart... panels) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (HeatMapChart p : panels) {
            for (Number[] cell : p.getHeatMapSeries().getHeatData()) {
                double v = cell[2].doubleValue();
                if (Double.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
            }
        }
        if (!(lo <= hi)) { lo = 0; hi = 1; }
        double min = round(lo, RoundingMode.FLOOR), max = round(hi, RoundingMode.CEILING);
        if (max <= min) max = min + 1;
        double mid = Double.isFinite(centre) && centre > min && centre < max ? centre : (min + max) / 2;
        Color[] stops = new Color[41];  // XChart spaces range colours evenly over [min, max]
        for (int i = 0; i < stops.length; i++) {
            double v = min + (max - min) * i / (stops.length - 1);
            stops[i] = v <= mid ? blend(COLD, NEUTRAL, (v - min) / (mid - min)) : blend(NEUTRAL, HOT, (v - mid) / (max - mid));
        }
        double span = Math.max(Math.abs(min), Math.abs(max));
        String pattern = span >= 100 ? "0" : span >= 10 ? "0.0" : "0.00";
        for (HeatMapChart p : panels) {
            HeatMapStyler s = p.getStyler();
            s.setMin(min);
            s.setMax(max);
            s.setRangeColors(stops.clone());
            s.setHeatMapValueDecimalPattern(pattern);
            HeatMapSeries series = p.getHeatMapSeries();
            double cellWidth = (p.getWidth() - 190.0) / series.getXData().size(), cellHeight = (p.getHeight() - 130.0) / series.getYData().size();
            int chars = pattern.length() + (min < 0 ? 1 : 0) + (span >= 10 ? (int) Math.floor(Math.log10(span)) : 0);
            float size = (float) Math.max(7, Math.min(15, Math.min(cellHeight * 0.45, cellWidth * 0.8 / (chars * 0.6))));
            s.setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(size)));
        }
    }

    /** {@code v} rounded to two significant digits in the direction {@code mode} (FLOOR or CEILING). */
    private static double round(double v, RoundingMode mode) {
        return v == 0 ? 0 : new BigDecimal(v).round(new MathContext(2, mode)).doubleValue();
    }

    private static Color blend(Color a, Color b, double t) {
        double u = Math.max(0, Math.min(1, t));
        return new Color((int) Math.round(a.getRed() + u * (b.getRed() - a.getRed())), (int) Math.round(a.getGreen() + u * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + u * (b.getBlue() - a.getBlue())));
    }

    /**
     * Grouped bars with 95% intervals as error bars: one bar group per value of {@code category}, one colour per
     * value of {@code group}; {@code mean}, {@code lo}, {@code hi} are column names.
     */
    public static CategoryChart bars(Table table, String category, String group, String mean, String lo, String hi, String title) {
        CategoryChart chart = new CategoryChartBuilder().width(720).height(420).title(title).xAxisTitle(words(category)).yAxisTitle(words(mean)).build();
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
     * colour per group, the median solid and the outer percentiles dashed, averaged over seeds. The legend has two
     * entries per group, its median and its 15th–85th band, so that every group's band can be told apart.
     *
     * @param tidy results with metrics {@code probe/<probe>/p15}, {@code …/p50}, {@code …/p85}
     */
    public static XYChart percentileBands(Table tidy, String probe, String groupColumn, String title) {
        XYChart chart = xy(title, "step", "value of " + probe);
        int index = 0;
        List<String> groups = tidy.stringColumn(groupColumn).unique().asList();
        for (String group : groups) {
            Color color = colorOf(group, index++);
            boolean bandNamed = false;
            for (String q : List.of("p50", "p15", "p85")) {
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
                boolean median = q.equals("p50");
                s.setLineStyle(median ? new BasicStroke(2.5f) : dashed(1.2f, 6f));
                s.setLabel(median ? group + " median" : group + " 15th–85th percentile");
                s.setShowInLegend(median || !bandNamed);
                bandNamed |= !median;
            }
        }
        if (chart.getSeriesMap().isEmpty()) throw new IllegalArgumentException("Charts.percentileBands: no metrics probe/" + probe + "/p15|p50|p85");
        return chart;
    }

    /**
     * A horizontal line at {@code y} across the chart's data (a criterion's threshold or target, e.g. the final loss
     * under which a run counts as trained), dash-dotted in {@link #INK} and named {@code label} in the legend.
     */
    public static XYSeries threshold(XYChart chart, double y, String label) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (XYSeries s : chart.getSeriesMap().values()) {
            for (double x : s.getXData()) {
                if (Double.isFinite(x)) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
            }
        }
        if (!(lo <= hi)) throw new IllegalArgumentException("Charts.threshold: chart '" + chart.getTitle() + "' has no data to draw '" + label + "' across");
        XYSeries line = chart.addSeries(label, new double[] {lo, hi}, new double[] {y, y});
        line.setLineColor(INK);
        line.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 3f, 2f, 3f}, 0f));
        line.setMarker(SeriesMarkers.NONE);
        line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        return line;
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
