package org.normlab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Properties of the figures' layout: legends inside the image, seeds in their arm's colour, thresholds, shared heatmap scales. */
class ChartLayoutTest {
    private static Table curves(List<String> groups) {
        StringColumn g = StringColumn.create("group"), m = StringColumn.create("metric");
        LongColumn seed = LongColumn.create("seed");
        IntColumn step = IntColumn.create("step");
        DoubleColumn v = DoubleColumn.create("value");
        for (String group : groups) {
            for (long s = 0; s < 3; s++) {
                for (int t = 1; t <= 4; t++) { g.append(group); m.append("test_acc"); seed.append(s); step.append(t); v.append(0.5 + 0.1 * t + 0.01 * s); }
            }
        }
        return Table.create("t", g, seed, step, m, v);
    }

    @Test
    void aLegendOfLongNamesStaysInsideTheImage() throws IOException {
        List<String> groups = List.of("activation=relu placement=before", "activation=relu placement=after", "activation=sigmoid placement=before",
                "activation=sigmoid placement=after", "norm=BN dropout=0.5 weight decay on gamma and beta", "norm=none dropout=0.0");
        XYChart chart = Charts.learningCurves(curves(groups), "test_acc", "group", "long names");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Charts.png(chart)));
        assertEquals(Charts.PIXEL_DENSITY * chart.getWidth(), image.getWidth());
        assertTrue(chart.getHeight() > 420, "the chart grew to hold the legend column: " + chart.getHeight());
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x : new int[] {0, 1, image.getWidth() - 2, image.getWidth() - 1}) {
                assertEquals(0, image.getRGB(x, y) >>> 24, "something drawn at the image's edge (" + x + ", " + y + "): a legend cut off");
            }
        }
        int height = chart.getHeight();
        Charts.png(chart);
        assertEquals(height, chart.getHeight(), "fitting the legend again changes nothing");
    }

    @Test
    void aLegendThatFitsKeepsTheChartsSize() {
        XYChart chart = Charts.learningCurves(curves(List.of("none", "BN")), "test_acc", "group", "short names");
        Charts.png(chart);
        assertEquals(420, chart.getHeight());
    }

    @Test
    void seedLinesCarryTheirArmsColour() {
        XYChart chart = Charts.learningCurves(curves(List.of("none", "BN", "LN")), "test_acc", "group", "seeds");
        for (String arm : List.of("none", "BN", "LN")) {
            Color mean = chart.getSeriesMap().get(arm + " (mean of 3 seeds)").getLineColor();
            for (long s = 0; s < 3; s++) {
                Color seed = chart.getSeriesMap().get(arm + " seed " + s).getLineColor();
                assertEquals(mean.getRGB() & 0xffffff, seed.getRGB() & 0xffffff, arm + " seed " + s);
                assertTrue(seed.getAlpha() < mean.getAlpha());
            }
        }
    }

    @Test
    void everyBandIsNamedInTheLegend() {
        StringColumn g = StringColumn.create("norm"), m = StringColumn.create("metric");
        IntColumn step = IntColumn.create("step");
        DoubleColumn v = DoubleColumn.create("value");
        for (String n : List.of("none", "BN", "noisy-BN")) {
            for (String q : List.of("p15", "p50", "p85")) { g.append(n); m.append("probe/u/" + q); step.append(1); v.append(q.equals("p15") ? -1 : q.equals("p50") ? 0 : 1); }
        }
        XYChart chart = Charts.percentileBands(Table.create("p", g, step, m, v), "u", "norm", "bands");
        List<String> legend = chart.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).map(XYSeries::getLabel).toList();
        for (String n : List.of("none", "BN", "noisy-BN")) {
            assertTrue(legend.contains(n + " median") && legend.contains(n + " 15th–85th percentile"), legend.toString());
        }
    }

    @Test
    void aThresholdIsALineAcrossTheData() {
        XYChart chart = Charts.learningCurves(curves(List.of("BN")), "test_acc", "group", "t");
        XYSeries line = Charts.threshold(chart, 0.8, "target 0.8");
        assertEquals(List.of(1.0, 4.0), List.of(line.getXData()[0], line.getXData()[1]));
        assertEquals(List.of(0.8, 0.8), List.of(line.getYData()[0], line.getYData()[1]));
        assertTrue(line.isShowInLegend());
    }

    @Test
    void heatmapPanelsShareOneScale() {
        Table a = Table.create("a", StringColumn.create("d", "3", "3"), DoubleColumn.create("s", 0.1, 1), DoubleColumn.create("loss", 2.302698093152972, 0.766));
        Table b = Table.create("b", StringColumn.create("d", "3", "3"), DoubleColumn.create("s", 0.1, 1), DoubleColumn.create("loss", 0.613, 3.48));
        HeatMapChart x = Charts.heatmap(a, "s", "d", "loss", "a"), y = Charts.heatmap(b, "s", "d", "loss", "b");
        Charts.shareColourScale(1.0, x, y);
        assertEquals(0.61, x.getStyler().getMin());
        assertEquals(3.5, x.getStyler().getMax());
        assertEquals(x.getStyler().getMin(), y.getStyler().getMin());
        assertEquals(x.getStyler().getMax(), y.getStyler().getMax());
        assertEquals("0.00", x.getStyler().getHeatMapValueDecimalPattern());
        assertTrue(Charts.png(x).length > 1000);
    }
}
