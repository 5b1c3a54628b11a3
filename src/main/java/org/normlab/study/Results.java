package org.normlab.study;

import java.util.List;
import org.normlab.train.RunLog;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Turns run logs into tidy Tablesaw tables: one row per (run, step, metric). */
public final class Results {
    /** A finished run: its config and what it logged. */
    public record Run(RunConfig config, RunLog log) {}

    private Results() {}

    /** Columns: norm, lr, batch, seed, step, epoch, metric, value. */
    public static Table tidy(String name, List<Run> runs) {
        StringColumn norm = StringColumn.create("norm"), metric = StringColumn.create("metric");
        DoubleColumn lr = DoubleColumn.create("lr"), epoch = DoubleColumn.create("epoch"), value = DoubleColumn.create("value");
        IntColumn batch = IntColumn.create("batch"), step = IntColumn.create("step");
        LongColumn seed = LongColumn.create("seed");
        for (Run run : runs) {
            RunConfig c = run.config();
            for (RunLog.Point p : run.log().points()) {
                norm.append(c.norm().label());
                lr.append(c.lr());
                batch.append(c.batchSize());
                seed.append(c.seed());
                step.append(p.step());
                epoch.append(p.epoch());
                metric.append(p.metric());
                value.append(p.value());
            }
        }
        return Table.create(name, norm, lr, batch, seed, step, epoch, metric, value);
    }

    /** One row per run: norm, lr, seed, diverged, diverged_at_step, wall_s. */
    public static Table runs(String name, List<Run> runs) {
        StringColumn norm = StringColumn.create("norm");
        DoubleColumn lr = DoubleColumn.create("lr"), wall = DoubleColumn.create("wall_s");
        LongColumn seed = LongColumn.create("seed");
        BooleanColumn diverged = BooleanColumn.create("diverged");
        IntColumn divergedAt = IntColumn.create("diverged_at_step");
        for (Run run : runs) {
            norm.append(run.config().norm().label());
            lr.append(run.config().lr());
            seed.append(run.config().seed());
            diverged.append(run.log().diverged());
            if (run.log().diverged()) divergedAt.append(run.log().divergedAtStep()); else divergedAt.appendMissing();
            wall.append(Math.round(run.log().wallSeconds() * 100) / 100.0);
        }
        return Table.create(name, norm, lr, seed, diverged, divergedAt, wall);
    }
}
