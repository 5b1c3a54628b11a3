package org.normlab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.HeatMapChart;
import org.normlab.diagnostics.BatchDependence;
import org.normlab.diagnostics.BatchNormSteps;
import org.normlab.diagnostics.NormalizationAxes;
import org.normlab.jupyter.NormLabExtension;
import org.normlab.nn.Mode;
import org.normlab.norm.GroupNorm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/** The figures draw what the layers did: a different grouping gives a different picture. */
class LayerFiguresTest {
    private final Tensor x = Tensor.randn(new Rng(1), 1f, 2, 4, 2, 2);

    private static long cellsWith(HeatMapChart chart, int value) {
        return chart.getSeriesMap().get("role").getHeatData().stream().filter(cell -> ((Number[]) cell)[2].intValue() == value).count();
    }

    @Test
    void sharingFigureMarksTheProbedOutputs() {
        HeatMapChart two = LayerFigures.sharing(NormalizationAxes.probe(new GroupNorm(2, 4), x, Mode.TRAIN, 1, 0, 0, 0));
        HeatMapChart four = LayerFigures.sharing(NormalizationAxes.probe(new GroupNorm(4, 4), x, Mode.TRAIN, 1, 0, 0, 0));
        assertEquals(1, cellsWith(two, LayerFigures.CHOSEN));
        assertEquals(2 * 4 - 1, cellsWith(two, LayerFigures.SHARES));
        assertEquals(4 - 1, cellsWith(four, LayerFigures.SHARES));
        assertNotEquals(two.getTitle(), four.getTitle());
        assertTrue(NormLabExtension.png(two).length() > 1000);
    }

    @Test
    void stepAndBatchFiguresRender() {
        var steps = BatchNormSteps.run(3, 4, 1, 1, 0);
        assertEquals(4, LayerFigures.runningMean(steps).getSeriesMap().size());
        assertTrue(NormLabExtension.png(LayerFigures.runningVariance(steps)).length() > 1000);
        var batch = LayerFigures.batchDependence(BatchDependence.run(4, 2, List.of(2, 4), 2, 0));
        assertTrue(batch.getSeriesMap().containsKey("BN"));
        assertTrue(NormLabExtension.png(batch).length() > 1000);
    }
}
