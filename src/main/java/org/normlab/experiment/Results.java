package org.normlab.study;

import java.util.List;
import org.normlab.train.RunLog;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Turns run logs into tidy Tablesaw tables: config columns, then one row per (run, step, metric). */
public final class Results {
    /** A finished run: its config and what it logged. */
    public record Run(RunConfig config, RunLog log) {}

    private Results() {}

    /** A column for a config field: numbers stay numbers, everything else is shown as text. */
    static Column<?> fieldColumn(String field, List<Run> runs) {
        Object sample = runs.isEmpty() ? "" : runs.get(0).config().value(field);
        if (sample instanceof Double) return DoubleColumn.create(field);
        if (sample instanceof Integer) return IntColumn.create(field);
        if (sample instanceof Long) return LongColumn.create(field);
        return StringColumn.create(field);
    }

    @SuppressWarnings("unchecked")
    static void appendField(Column<?> column, Object value) {
        if (column instanceof StringColumn s) s.append(String.valueOf(value));
        else ((Column<Object>) column).appendObj(value);
    }

    /** Columns: key, each of {@code fields}, seed, step, epoch, metric, value. */
    public static Table tidy(String name, List<Run> runs, List<String> fields) {
        StringColumn key = StringColumn.create("key"), metric = StringColumn.create("metric");
        Column<?>[] config = fields.stream().map(f -> fieldColumn(f, runs)).toArray(Column<?>[]::new);
        LongColumn seed = LongColumn.create("seed");
        IntColumn step = IntColumn.create("step");
        DoubleColumn epoch = DoubleColumn.create("epoch"), value = DoubleColumn.create("value");
        for (Run run : runs) {
            for (RunLog.Point p : run.log().points()) {
                key.append(run.config().key());
                for (int i = 0; i < config.length; i++) appendField(config[i], run.config().value(fields.get(i)));
                seed.append(run.config().seed());
                step.append(p.step());
                epoch.append(p.epoch());
                metric.append(p.metric());
                value.append(p.value());
            }
        }
        Table t = Table.create(name, key);
        t.addColumns(config);
        return t.addColumns(seed, step, epoch, metric, value);
    }

    /** One row per run: key, each of {@code fields}, seed, diverged, diverged_at_step, error, wall_s. */
    public static Table runs(String name, List<Run> runs, List<String> fields) {
        StringColumn key = StringColumn.create("key"), error = StringColumn.create("error");
        Column<?>[] config = fields.stream().map(f -> fieldColumn(f, runs)).toArray(Column<?>[]::new);
        LongColumn seed = LongColumn.create("seed");
        BooleanColumn diverged = BooleanColumn.create("diverged");
        IntColumn divergedAt = IntColumn.create("diverged_at_step");
        DoubleColumn wall = DoubleColumn.create("wall_s");
        for (Run run : runs) {
            key.append(run.config().key());
            for (int i = 0; i < config.length; i++) appendField(config[i], run.config().value(fields.get(i)));
            seed.append(run.config().seed());
            diverged.append(run.log().diverged());
            if (run.log().diverged()) divergedAt.append(run.log().divergedAtStep()); else divergedAt.appendMissing();
            error.append(run.log().error() == null ? "" : run.log().error());
            wall.append(Math.round(run.log().wallSeconds() * 100) / 100.0);
        }
        Table t = Table.create(name, key);
        t.addColumns(config);
        return t.addColumns(seed, diverged, divergedAt, error, wall);
    }
}
