package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class FindingsTest {
    @Test
    void findingsKeepTheirPartsInOrderAndRefuseATwiceUsedName() {
        Findings.Builder b = Findings.builder("t", Scale.SMOKE);
        Table one = Table.create("one", StringColumn.create("norm", "none", "BN"), DoubleColumn.create("x", 1.0, 2.0));
        assertTrue(b.table("one", one) == one, "the builder hands back what it was given");
        b.table("two", one.copy());
        assertThrows(IllegalArgumentException.class, () -> b.table("one", one));
        Findings f = b.build(SweepResult.<RunSpec>of("t", List.of()));
        assertEquals(List.of("one", "two"), List.copyOf(f.tables().keySet()));
    }

    @Test
    void tablesAppendAnIntervalAndALabel() {
        Table t = Table.create("t", StringColumn.create("norm", "none", "BN"), DoubleColumn.create("loss", 1.0, 0.5));
        Table acc = Table.create("acc", DoubleColumn.create("final acc", 0.8, 0.9), DoubleColumn.create("ci95_lo", 0.7, 0.85),
                DoubleColumn.create("ci95_hi", 0.9, 0.95));
        Tables.appendInterval(t, acc, "final acc", "acc", "acc lo", "acc hi");
        assertEquals(List.of("norm", "loss", "acc", "acc lo", "acc hi"), t.columnNames());
        assertEquals(0.85, t.doubleColumn("acc lo").getDouble(1));
        Table labelled = Tables.withLabel(t, "loss", "label", v -> "loss " + v);
        assertEquals(List.of("loss 1.0", "loss 0.5"), labelled.stringColumn("label").asList());
        assertEquals(5, t.columnCount(), "withLabel leaves its input alone");
    }
}
