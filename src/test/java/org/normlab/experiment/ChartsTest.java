package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.jupyter.NormLabExtension;
import org.normlab.plot.Charts;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import java.util.Set;
import org.knowm.xchart.internal.chartpart.Chart;

/** Every figure kind renders to a PNG from a small table (what each shows is checked where it is used). */
class ChartsTest {
    @Test
    void everyFigureKindRenders() {
        Table grid = Table.create("g", StringColumn.create("depth", "3", "3", "10", "10"), DoubleColumn.create("scale", 0.1, 1, 0.1, 1),
                DoubleColumn.create("loss", 0.5, 0.4, 2.3, 0.6), DoubleColumn.create("lo", 0.4, 0.3, 2.2, 0.5), DoubleColumn.create("hi", 0.6, 0.5, 2.4, 0.7));
        assertPng(Charts.heatmap(grid, "scale", "depth", "loss", "heatmap"));
        assertPng(Charts.bars(grid, "depth", "scale", "loss", "lo", "hi", "bars"));
        assertPng(Charts.scatter("scatter", Map.of("real", new double[][] {{0, 1}, {1, 0}}, "fake", new double[][] {{0.5}, {0.5}})));
        Table finals = Table.create("f", StringColumn.create("norm", "none", "none", "BN", "BN"), DoubleColumn.create("lr", 0.1, 10, 0.1, 10),
                DoubleColumn.create("final train_loss", 0.5, Double.NaN, 0.3, 0.4));
        var lr = Charts.versusLearningRate(finals, "norm", "final train_loss", "lr");
        assertTrue(lr.getSeriesMap().containsKey("diverged or failed (1 runs)"));
        assertPng(lr);
        Table byBatch = Table.create("b", StringColumn.create("norm", "BN", "BN", "GN(2)", "GN(2)"), IntColumn.create("batchSize", 2, 32, 2, 32),
                DoubleColumn.create("test error", 0.4, 0.2, 0.25, Double.NaN));
        var batch = Charts.versus(byBatch, "batchSize", "batch size (log scale)", true, "norm", "test error", "error vs batch");
        assertTrue(batch.getStyler().isXAxisLogarithmic());
        assertEquals(Set.of("BN", "BN seeds", "GN(2)", "GN(2) seeds", "diverged or failed (1 runs)"), batch.getSeriesMap().keySet());
        assertPng(batch);
        Table probes = Table.create("p", StringColumn.create("norm", "BN", "BN", "BN"), IntColumn.create("step", 1, 1, 1),
                StringColumn.create("metric", "probe/u/p15", "probe/u/p50", "probe/u/p85"), DoubleColumn.create("value", -1, 0, 1));
        assertEquals(3, Charts.percentileBands(probes, "u", "norm", "bands").getSeriesMap().size());
        assertPng(Charts.percentileBands(probes, "u", "norm", "bands"));
    }

    private static void assertPng(Chart<?, ?> chart) {
        assertTrue(NormLabExtension.png(chart).length() > 1000, chart.getTitle());
    }

    @Test
    void axesNameMetricsInWords() {
        assertEquals("test accuracy", Charts.label("test_acc"));
        assertEquals("loss range", Charts.label("loss_range"));
        assertEquals("final training loss", Charts.words("final train_loss"));
        Table tidy = Table.create("t", StringColumn.create("group", "BN", "BN"), LongColumn.create("seed", 0, 0), IntColumn.create("step", 1, 2),
                StringColumn.create("metric", "train_loss", "train_loss"), DoubleColumn.create("value", 2.0, 1.0));
        assertEquals("training loss", Charts.learningCurves(tidy, "train_loss", "group", "t").getYAxisTitle());
    }
}
