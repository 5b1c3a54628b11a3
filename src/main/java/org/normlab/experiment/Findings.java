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
import org.knowm.xchart.internal.chartpart.Chart;
import org.normlab.plot.Charts;
import tech.tablesaw.api.Table;

/**
 * Everything a study produced, by file name: the sweep behind it, its tables and figures, and its verdicts. A study's
 * typed {@link StudyReport} holds the same parts under typed accessors; this is what {@link #save} writes and what the
 * CLI reads. Each name is the file the part is saved as ({@code <name>.csv}, {@code <name>.png}).
 */
public record Findings(String name, Scale scale, SweepResult<?> sweep, Map<String, Table> tables,
                       Map<String, Chart<?, ?>> figures, List<Verdict> verdicts, List<Anchor> anchors) {

    public Findings {
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        verdicts = List.copyOf(verdicts);
        anchors = List.copyOf(anchors);
    }

    /** Collects the parts of a study's findings as the study makes them; each method returns the part it was given. */
    public static Builder builder(String name, Scale scale) { return new Builder(name, scale); }

    public static final class Builder {
        private final String name;
        private final Scale scale;
        private final Map<String, Table> tables = new LinkedHashMap<>();
        private final Map<String, Chart<?, ?>> figures = new LinkedHashMap<>();
        private final List<Verdict> verdicts = new ArrayList<>();
        private final List<Anchor> anchors = new ArrayList<>();

        private Builder(String name, Scale scale) {
            this.name = name;
            this.scale = scale;
        }

        /** Adds {@code table}, saved as {@code <file>.csv}. */
        public Table table(String file, Table table) {
            if (tables.putIfAbsent(file, table) != null) throw new IllegalArgumentException("Findings " + name + ": table '" + file + "' added twice");
            return table;
        }

        /** Adds {@code figure}, saved as {@code <file>.png} and {@code <file>.svg}. */
        public <C extends Chart<?, ?>> C figure(String file, C figure) {
            if (figures.putIfAbsent(file, figure) != null) throw new IllegalArgumentException("Findings " + name + ": figure '" + file + "' added twice");
            return figure;
        }

        /** Adds {@code verdict}; verdicts are saved in the order they were added. */
        public Verdict verdict(Verdict verdict) {
            verdicts.add(verdict);
            return verdict;
        }

        /** Adds a published anchor beside ours; saved in anchors.csv in the order added. */
        public Anchor anchor(Anchor anchor) {
            anchors.add(anchor);
            return anchor;
        }

        public Findings build(SweepResult<?> sweep) { return new Findings(name, scale, sweep, tables, figures, verdicts, anchors); }
    }

    /** The tidy results table (every logged value of every run). */
    public Table results() { return sweep.table(); }

    public Table runs() { return sweep.runsTable(); }

    public Table verdictTable() { return Verdict.table(name + " verdicts", verdicts); }

    /**
     * This study's empirical claims with raw and Holm-adjusted verdicts, the adjustment over this study's claims only
     * (the README's claims table adjusts over every claim of every notebook, a larger family).
     */
    public Table claimsTable() {
        return ClaimsTable.claimsTable(name + ": claims (Holm within this study; the README adjusts across all studies)",
                ClaimsTable.rows(name, verdicts));
    }

    /** This study's identities and implementation checks: pass/fail with the measured value. */
    public Table checksTable() { return ClaimsTable.checksTable(name + ": checks", ClaimsTable.rows(name, verdicts)); }

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
            if (!anchors.isEmpty()) written.add(csv(Anchor.table(name + " anchors", anchors), dir.resolve("anchors.csv")));
            for (var t : tables.entrySet()) written.add(csv(t.getValue(), dir.resolve(t.getKey() + ".csv")));
            for (var f : figures.entrySet()) {
                Path png = dir.resolve(f.getKey() + ".png"), svg = dir.resolve(f.getKey() + ".svg");
                Files.write(png, Charts.png(f.getValue()));
                Files.writeString(svg, Charts.svg(f.getValue()));
                written.add(png);
                written.add(svg);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Findings " + name + ": cannot write to " + dir + ": " + ResultStore.reason(e)
                    + "; free space, make the folder writable or choose another", e);
        }
        return written;
    }

    private static Path csv(Table t, Path file) {
        t.write().csv(file.toFile());
        return file;
    }

    @Override
    public String toString() {
        return name + " (" + scale + "): tables " + tables.keySet() + ", figures " + figures.keySet() + ", " + verdicts.size() + " verdicts";
    }
}
