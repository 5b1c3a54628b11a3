package org.normlab.experiment;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.normlab.data.Dataset;
import org.normlab.nn.Mode;
import org.normlab.nn.Sequential;
import org.normlab.diagnostics.Diagnostics;
import org.normlab.train.Trainer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** How a trained BN model and a trained LN model behave at inference, in EVAL mode and with EVAL mode forgotten. */
public final class InferenceModes {
    private InferenceModes() {}

    /**
     * Test accuracy of the BN and LN models in EVAL mode and (wrongly) in TRAIN mode at several batch sizes, and how
     * much one example's output depends on its batch in each mode.
     */
    public static Table table(Sequential bnModel, Sequential lnModel, Dataset data) {
        StringColumn model = StringColumn.create("model"), mode = StringColumn.create("mode");
        IntColumn batch = IntColumn.create("batch");
        DoubleColumn acc = DoubleColumn.create("test acc");
        for (var e : List.of(Map.entry("BN", bnModel), Map.entry("LN", lnModel))) {
            model.append(e.getKey()); mode.append("EVAL"); batch.append(1000);
            acc.append(Trainer.evaluate(e.getValue(), data, 1000).accuracy());
            for (int b : List.of(1000, 32, 8, 2, 1)) {
                model.append(e.getKey()); mode.append("TRAIN (eval mode forgotten)"); batch.append(b);
                acc.append(Diagnostics.accuracyInTrainMode(e.getValue(), data, b));
            }
        }
        Table t = Table.create("test accuracy by mode and batch size (NaN: BN cannot run in TRAIN mode on one example)", model, mode, batch, acc);
        StringColumn dep = StringColumn.create("one example's output depends on its batch (max difference)");
        for (int i = 0; i < t.rowCount(); i++) dep.append("");
        t.addColumns(dep);
        for (var e : List.of(Map.entry("BN", bnModel), Map.entry("LN", lnModel))) {
            for (Mode m : Mode.values()) {
                t.stringColumn("model").append(e.getKey());
                t.stringColumn("mode").append(m.name() + " (batch dependence)");
                t.intColumn("batch").append(32);
                t.doubleColumn("test acc").appendMissing();
                dep.append(String.format(Locale.ROOT, "%.3g", Diagnostics.batchDependence(e.getValue(), data, m)));
            }
        }
        return t;
    }
}
