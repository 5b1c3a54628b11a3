package org.normlab.experiment;

import java.util.List;
import org.normlab.train.RunLog;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Turns run logs into tidy Tablesaw tables: spec columns, then one row per (run, step, metric). */
public final class Results {
    /** A finished run: its spec and what it logged. */
    public record Run<S extends Spec<S>>(S spec, RunLog log) {}

    private Results() {}

    /** A table column for a spec column: numbers stay numbers, everything else is shown as text. */
    static <S extends Spec<S>> Column<?> tableColumn(Field<S> field, List<Run<S>> runs) {
        Object sample = runs.isEmpty() ? "" : field.of(runs.get(0).spec());
        if (sample instanceof Double) return DoubleColumn.create(field.name());
        if (sample instanceof Integer) return IntColumn.create(field.name());
        if (sample instanceof Long) return LongColumn.create(field.name());
        return StringColumn.create(field.name());
    }

    @SuppressWarnings("unchecked")
    static void appendField(Column<?> column, Object value) {
        if (column instanceof StringColumn s) s.append(String.valueOf(value));
        else ((Column<Object>) column).appendObj(value);
    }

    /** Columns: key, each of {@code fields}, seed, step, epoch, metric, value. */
    public static <S extends Spec<S>> Table tidy(String name, List<Run<S>> runs, List<Field<S>> fields) {
        StringColumn key = StringColumn.create("key"), metric = StringColumn.create("metric");
        Column<?>[] config = columns(fields, runs);
        LongColumn seed = LongColumn.create("seed");
        IntColumn step = IntColumn.create("step");
        DoubleColumn epoch = DoubleColumn.create("epoch"), value = DoubleColumn.create("value");
        for (Run<S> run : runs) {
            for (RunLog.Point p : run.log().points()) {
                key.append(run.spec().key());
                for (int i = 0; i < config.length; i++) appendField(config[i], fields.get(i).of(run.spec()));
                seed.append(run.spec().seed());
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
    public static <S extends Spec<S>> Table runs(String name, List<Run<S>> runs, List<Field<S>> fields) {
        StringColumn key = StringColumn.create("key"), error = StringColumn.create("error");
        Column<?>[] config = columns(fields, runs);
        LongColumn seed = LongColumn.create("seed");
        BooleanColumn diverged = BooleanColumn.create("diverged");
        IntColumn divergedAt = IntColumn.create("diverged_at_step");
        DoubleColumn wall = DoubleColumn.create("wall_s");
        for (Run<S> run : runs) {
            key.append(run.spec().key());
            for (int i = 0; i < config.length; i++) appendField(config[i], fields.get(i).of(run.spec()));
            seed.append(run.spec().seed());
            diverged.append(run.log().diverged());
            if (run.log().diverged()) divergedAt.append(run.log().divergedAtStep()); else divergedAt.appendMissing();
            error.append(run.log().error() == null ? "" : run.log().error());
            wall.append(Math.round(run.log().wallSeconds() * 100) / 100.0);
        }
        Table t = Table.create(name, key);
        t.addColumns(config);
        return t.addColumns(seed, diverged, divergedAt, error, wall);
    }

    static <S extends Spec<S>> Column<?>[] columns(List<Field<S>> fields, List<Run<S>> runs) {
        return fields.stream().map(f -> tableColumn(f, runs)).toArray(Column<?>[]::new);
    }
}
