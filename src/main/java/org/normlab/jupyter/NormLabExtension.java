package org.normlab.jupyter;

import java.io.StringWriter;
import java.util.Base64;
import java.util.Map;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.normlab.experiment.Anchor;
import org.normlab.experiment.GanSpec;
import org.normlab.experiment.Progress;
import org.normlab.experiment.RunSpec;
import org.normlab.experiment.Spec;
import org.normlab.experiment.Verdict;
import org.normlab.plot.Charts;
import org.normlab.plot.PlotlyFigures;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;
import tech.tablesaw.io.html.HtmlWriteOptions;
import tech.tablesaw.io.html.HtmlWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.Set;

/**
 * Loaded by the JJava kernel through {@link java.util.ServiceLoader} when our jar is on its classpath: makes
 * XChart charts show as PNG images and Tablesaw tables as HTML tables when they are a cell's value, so notebooks
 * carry no display code. Verdicts show as a coloured HTML block with their numbers as data beside it (for `make report`
 * and the README claims table), and sweeps report progress in an output that updates in place.
 */
public final class NormLabExtension implements Extension {
    /** A verdict as data next to its HTML (see {@link Verdict#data()}): what `make report` and the README table read. */
    static final MIMEType VERDICT_DATA = MIMEType.parse(Verdict.MIME_TYPE);
    /** A published anchor beside ours as data next to its HTML (see {@link Anchor#data()}): the README's anchors table reads it. */
    static final MIMEType ANCHOR_DATA = MIMEType.parse(Anchor.MIME_TYPE);
    /**
     * Set (to 1) by `make report` so that charts also carry {@code image/svg+xml} for papers. Off by default: an SVG of
     * a learning curve is several times the size of its PNG, and committed notebooks and Binder sessions need only PNG.
     */
    static final String SVG_ENV = "NORMLAB_FIGURE_SVG";
    /**
     * A chart as a Plotly figure instead of its PNG, when {@link Charts#isInteractive() interactive charts} are on:
     * JupyterLab (with the {@code plotly} package's renderer) draws it interactively and adds a PNG of it to the output.
     */
    static final MIMEType PLOTLY_FIGURE = MIMEType.parse(PlotlyFigures.MIME_TYPE);
    /** Tables longer than this show their first and last rows only, like pandas. */
    static final int MAX_ROWS = 40;

    @Override
    public void install(BaseKernel kernel) {
        Progress.Defaults.install(() -> new NotebookProgress(kernel));
        register(kernel.getRenderer(), svgRequested(System.getenv(SVG_ENV)));
    }

    /** How verdicts, anchors, charts, run settings and tables show in a notebook; {@code svg}: charts carry an SVG too. */
    static void register(Renderer renderer, boolean svg) {
        renderer.createRegistration(Verdict.class)
                .preferring(MIMEType.TEXT_HTML, VERDICT_DATA) // JJava renders the preferred types (and text/plain) by default
                .supporting(MIMEType.TEXT_PLAIN)
                .register((verdict, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, verdict::toHtml);
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, verdict::toString);
                    ctx.renderIfRequested(VERDICT_DATA, verdict::data);
                });
        renderer.createRegistration(Anchor.class)
                .preferring(MIMEType.TEXT_HTML, ANCHOR_DATA)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((anchor, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, anchor::toHtml);
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, anchor::toString);
                    ctx.renderIfRequested(ANCHOR_DATA, anchor::data);
                });
        renderer.createRegistration(Chart.class)
                .onType(XYChart.class).onType(CategoryChart.class).onType(HeatMapChart.class)
                .preferring(svg ? new MIMEType[] {MIMEType.IMAGE_PNG, MIMEType.IMAGE_SVG, PLOTLY_FIGURE}
                        : new MIMEType[] {MIMEType.IMAGE_PNG, PLOTLY_FIGURE})
                .supporting(MIMEType.TEXT_PLAIN)
                .register((chart, ctx) -> {
                    // Plotly's renderer shows a PNG in the same output instead of the figure (at its pixel size, the
                    // figure only once the pointer enters it), and stores its own PNG of the figure in the output, for
                    // nbconvert and GitHub, when it draws one: an interactive chart therefore carries no PNG of ours.
                    boolean interactive = Charts.isInteractive();
                    if (interactive) ctx.renderIfRequested(PLOTLY_FIGURE, () -> PlotlyFigures.figure(chart));
                    else ctx.renderIfRequested(MIMEType.IMAGE_PNG, (type, out) -> {
                        out.putData(type, png(chart));
                        out.putMetaData(type, displaySize(chart));
                    });
                    if (svg) ctx.renderIfRequested(MIMEType.IMAGE_SVG, () -> svg(chart));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> describe(chart));
                });
        renderer.createRegistration(Spec.class)
                .onType(RunSpec.class).onType(GanSpec.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((spec, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> html(spec));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> spec.describe() + "\nseed       " + spec.seed());
                });
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((table, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> html(table));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> forDisplay(table.copy()).print(MAX_ROWS));
                });
    }

    /** The chart as base64 PNG, as Jupyter expects in an {@code image/png} output. */
    public static String png(Chart<?, ?> chart) {
        return Base64.getEncoder().encodeToString(Charts.png(chart));
    }

    /**
     * The size a chart's PNG is shown at, its layout size: the PNG has {@link Charts#PIXEL_DENSITY}× the pixels, and
     * Jupyter (and nbconvert's HTML) honour {@code width} and {@code height} in an image output's metadata. Call after
     * {@link #png}, which may grow the chart to fit its legend.
     */
    static Map<String, Integer> displaySize(Chart<?, ?> chart) {
        return Map.of("width", chart.getWidth(), "height", chart.getHeight());
    }

    /** The chart as an SVG document (XChart's vector encoder), for {@code image/svg+xml}. */
    public static String svg(Chart<?, ?> chart) {
        return Charts.svg(chart);
    }

    static boolean svgRequested(String value) {
        return value != null && !value.isBlank() && !value.equals("0") && !value.equalsIgnoreCase("false");
    }

    static String describe(Chart<?, ?> chart) {
        return chart.getClass().getSimpleName() + " '" + chart.getTitle() + "' (" + chart.getSeriesMap().size() + " series)";
    }

    /** The table as HTML (Tablesaw's writer), with its name as caption; long tables are cut in the middle. */
    public static String html(Table table) {
        Table shown = forDisplay(table.rowCount() <= MAX_ROWS ? table.copy() : table.first(MAX_ROWS / 2).append(table.last(MAX_ROWS / 2)));
        StringWriter out = new StringWriter();
        new HtmlWriter().write(shown, HtmlWriteOptions.builder(out).build());
        String caption = "<p><b>" + escape(table.name()) + "</b> — " + table.rowCount() + " rows × " + table.columnCount() + " columns"
                + (table.rowCount() <= MAX_ROWS ? "" : ", first and last " + MAX_ROWS / 2 + " shown") + "</p>";
        return caption + out;
    }

    /** A run's settings as a two-column table (its outline: model, optimizer, data, budget, …, then the seed). */
    static String html(Spec<?> spec) {
        StringBuilder sb = new StringBuilder("<table><tbody>");
        spec.outline(Set.of()).forEach((label, text) -> row(sb, label, text));
        row(sb, "seed", Long.toString(spec.seed()));
        return sb.append("</tbody></table>").toString();
    }

    private static void row(StringBuilder sb, String label, String text) {
        sb.append("<tr><th style=\"text-align:left\">").append(escape(label)).append("</th><td style=\"text-align:left\">")
                .append(escape(text)).append("</td></tr>");
    }

    /** Doubles shown with 4 significant digits (the table itself, and its CSV, keep full precision). */
    static Table forDisplay(Table shown) {
        for (var column : shown.columns()) {
            if (column instanceof DoubleColumn d) d.setPrintFormatter(SIGNIFICANT);
        }
        return shown;
    }

    private static final NumberColumnFormatter SIGNIFICANT = new NumberColumnFormatter() {
        @Override
        public String format(double v) {
            if (Double.isNaN(v)) return "";
            if (Double.isInfinite(v)) return v > 0 ? "∞" : "−∞";
            double a = Math.abs(v);
            if (a == 0 || (a >= 1e-4 && a < 1e7)) {
                return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
            }
            return String.format(Locale.ROOT, "%.3e", v);
        }
    };

    private static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
