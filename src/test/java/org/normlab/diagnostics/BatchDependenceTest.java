package org.normlab.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** x₀'s output moves with its batch under BN only, and less as the batch grows. */
class BatchDependenceTest {
    private final Table runs = BatchDependence.run(4, 2, List.of(2, 8, 128), 4, 11);

    @Test
    void layerAndGroupNormIgnoreTheBatch() {
        for (String layer : List.of("LN", "GN(2)")) {
            Table rows = runs.where(runs.stringColumn("layer").isEqualTo(layer));
            assertEquals(12, rows.rowCount());
            assertEquals(0.0, rows.doubleColumn("max |y − y(B=2, draw 0)|").max(), layer);
        }
    }

    @Test
    void batchNormFollowsTheBatchLessAsItGrows() {
        Table spread = BatchDependence.spread(runs);
        Table bn = spread.where(spread.stringColumn("layer").isEqualTo("BN"));
        double small = bn.doubleColumn(2).get(0), large = bn.doubleColumn(2).get(2);
        assertEquals(List.of(2, 8, 128), bn.intColumn("batch size").asList());
        assertTrue(small > 0.05, "BN at batch 2 moves with its companion: " + small);
        assertTrue(large < small / 3, "spread at 128 (" + large + ") vs at 2 (" + small + ")");
    }
}
