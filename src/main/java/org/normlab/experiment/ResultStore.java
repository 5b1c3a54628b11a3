package org.normlab.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.normlab.train.RunLog;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * Finished runs on disk, one pair of CSV files per run, named by the spec's {@link Spec#key() key}:
 * <pre>
 *   &lt;root&gt;/&lt;study&gt;/&lt;key&gt;.points.csv   step, epoch, metric, value
 *   &lt;root&gt;/&lt;study&gt;/&lt;key&gt;.run.csv      key, config (the spec's canonical text), diverged_at_step, divergence, error, wall_s
 * </pre>
 * The run file is written last (atomically), so its presence means the run finished; a sweep that is stopped
 * part-way loses at most the runs in flight, and rerunning it skips every finished run. Numbers are stored with
 * {@link Double#toString} so a stored run reads back bit for bit.
 */
public final class ResultStore {
    private final Path root;

    private ResultStore(Path root) { this.root = root; }

    /** Results under {@code root}. */
    public static ResultStore at(Path root) { return new ResultStore(root); }

    /** A store that keeps nothing (every run is computed). */
    public static ResultStore none() { return new ResultStore(null); }

    /** {@code $NORMLAB_RESULTS} (or {@code -Dnormlab.results}), else {@code results/} in the working directory. */
    public static ResultStore defaultStore() {
        String p = System.getProperty("normlab.results", System.getenv("NORMLAB_RESULTS"));
        return at(Path.of(p != null && !p.isBlank() ? p : "results"));
    }

    public Path root() { return root; }

    private Path runFile(String study, Spec<?> c) { return root.resolve(study).resolve(c.key() + ".run.csv"); }

    private Path pointsFile(String study, Spec<?> c) { return root.resolve(study).resolve(c.key() + ".points.csv"); }

    /** The stored log of this exact spec, if it finished before. */
    public Optional<RunLog> load(String study, Spec<?> spec) {
        if (root == null || !Files.isRegularFile(runFile(study, spec))) return Optional.empty();
        Table run = read(runFile(study, spec), ColumnType.STRING, ColumnType.STRING, ColumnType.INTEGER, ColumnType.STRING,
                ColumnType.STRING, ColumnType.STRING);
        if (!run.stringColumn("config").get(0).equals(spec.canonical())) return Optional.empty();  // a hash collision: recompute
        Table points = read(pointsFile(study, spec), ColumnType.INTEGER, ColumnType.STRING, ColumnType.STRING, ColumnType.STRING);
        List<RunLog.Point> list = new ArrayList<>(points.rowCount());
        for (Row r : points) {
            list.add(new RunLog.Point(r.getInt("step"), Double.parseDouble(r.getString("epoch")), r.getString("metric"),
                    Double.parseDouble(r.getString("value"))));
        }
        return Optional.of(RunLog.restore(list, run.intColumn("diverged_at_step").get(0), emptyToNull(run.stringColumn("divergence").get(0)),
                emptyToNull(run.stringColumn("error").get(0)), Double.parseDouble(run.stringColumn("wall_s").get(0))));
    }

    /** Stores a finished run (points first, then the run file that marks it complete). */
    public void save(String study, Spec<?> spec, RunLog log) {
        if (root == null) return;
        IntColumn step = IntColumn.create("step");
        StringColumn epoch = StringColumn.create("epoch"), metric = StringColumn.create("metric"), value = StringColumn.create("value");
        for (RunLog.Point p : log.points()) {
            step.append(p.step());
            epoch.append(Double.toString(p.epoch()));
            metric.append(p.metric());
            value.append(Double.toString(p.value()));
        }
        write(Table.create("points", step, epoch, metric, value), pointsFile(study, spec));
        Table run = Table.create("run", StringColumn.create("key", spec.key()), StringColumn.create("config", spec.canonical()),
                IntColumn.create("diverged_at_step", new int[] {log.divergedAtStep()}),
                StringColumn.create("divergence", nullToEmpty(log.divergence())), StringColumn.create("error", nullToEmpty(log.error())),
                StringColumn.create("wall_s", Double.toString(log.wallSeconds())));
        write(run, runFile(study, spec));
    }

    private static Table read(Path file, ColumnType... types) {
        try {
            return Table.read().usingOptions(CsvReadOptions.builder(file.toFile()).columnTypes(types).build());
        } catch (RuntimeException e) {
            throw new IllegalStateException("ResultStore: cannot read " + file + " (" + e.getMessage() + "); delete it to recompute that run", e);
        }
    }

    private static void write(Table table, Path target) {
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
            table.write().csv(tmp.toFile());
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("ResultStore: cannot write " + target, e);
        }
    }

    private static String nullToEmpty(String s) { return s == null ? "" : s; }

    private static String emptyToNull(String s) { return s == null || s.isEmpty() ? null : s; }
}
