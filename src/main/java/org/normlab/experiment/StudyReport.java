package org.normlab.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/**
 * Everything a study produced: the sweep behind it, named tables and figures, and its verdicts.
 * In a notebook each part displays itself; {@link #save} writes them for write-ups.
 */
public record StudyReport(String name, Scale scale, SweepResult<?> sweep, Map<String, Table> tables,
                          Map<String, Chart<?, ?>> figures, List<Verdict> verdicts) {

    public StudyReport {
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        verdicts = List.copyOf(verdicts);
    }

    /** The tidy results table (every logged value of every run). */
    public Table results() { return sweep.table(); }

    public Table runs() { return sweep.runsTable(); }

    public Table table(String key) { return get(tables, key, "table"); }

    public Chart<?, ?> figure(String key) { return get(figures, key, "figure"); }

    public Table verdictTable() { return Verdict.table(name + " verdicts", verdicts); }

    private <T> T get(Map<String, T> map, String key, String what) {
        T v = map.get(key);
        if (v == null) throw new IllegalArgumentException("StudyReport " + name + ": no " + what + " '" + key + "'; there are " + map.keySet());
        return v;
    }

    /**
     * Writes {@code results.csv} (tidy), {@code runs.csv}, {@code verdicts.csv}, one CSV per table and each figure
     * as PNG and SVG into {@code dir}; returns the files written.
     */
    public List<Path> save(Path dir) {
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            written.add(csv(results(), dir.resolve("results.csv")));
            written.add(csv(runs(), dir.resolve("runs.csv")));
            written.add(csv(verdictTable(), dir.resolve("verdicts.csv")));
            for (var t : tables.entrySet()) written.add(csv(t.getValue(), dir.resolve(t.getKey() + ".csv")));
            for (var f : figures.entrySet()) {
                Path png = dir.resolve(f.getKey() + ".png"), svg = dir.resolve(f.getKey() + ".svg");
                BitmapEncoder.saveBitmap(f.getValue(), png.toString(), BitmapEncoder.BitmapFormat.PNG);
                VectorGraphicsEncoder.saveVectorGraphic(f.getValue(), svg.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
                written.add(png);
                written.add(svg);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("StudyReport " + name + ": cannot write to " + dir, e);
        }
        return written;
    }

    private static Path csv(Table t, Path file) {
        t.write().csv(file.toFile());
        return file;
    }
}
