package org.normlab.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What a study will run at one scale, known before any run: its sweeps (grid, base run, seeds) and, in words, any
 * runs it makes outside a sweep (e.g. models trained once for an inference check). A notebook shows it before the
 * study runs (at a preview scale with the line saying its verdicts are not evidence, {@link Scale#previewNote}); {@link #toString()} is the readable text, {@link #table()} the same as a table.
 */
public record Plan(String study, Scale scale, List<Sweep<?>> sweeps, List<String> notes) {
    public Plan {
        sweeps = List.copyOf(sweeps);
        notes = List.copyOf(notes);
    }

    public static Plan of(String study, Scale scale, Sweep<?>... sweeps) { return new Plan(study, scale, List.of(sweeps), List.of()); }

    /** This plan with one more line about work done outside the sweeps. */
    public Plan note(String text) {
        List<String> n = new ArrayList<>(notes);
        n.add(text);
        return new Plan(study, scale, sweeps, n);
    }

    /**
     * The budget in one line: per sweep, its runs (grid points × seeds) and the base run's budget, e.g.
     * "mlp: 4 × 2 seeds = 8 runs, 1 epoch of batch 64, …, data …"; then the notes. "no training sweep" when there is none.
     */
    public String budget() {
        List<String> parts = new ArrayList<>();
        for (Sweep<?> s : sweeps) {
            int seeds = s.seedCount();
            parts.add(s.name() + ": " + (s.size() / seeds) + " × " + seeds + (seeds == 1 ? " seed" : " seeds") + " = " + s.size() + " runs, "
                    + s.baseOutline().getOrDefault("budget", "")
                    + (s.baseOutline().containsKey("data") ? ", data " + s.baseOutline().get("data") : ""));
        }
        if (parts.isEmpty()) parts.add("no training sweep");
        return String.join("; ", parts);
    }

    /** Runs over all sweeps. */
    public int runs() { return sweeps.stream().mapToInt(Sweep::size).sum(); }

    /**
     * The training examples the sweeps' runs process, summed over runs: training-set size × epochs for a
     * {@link RunSpec} (capped at steps × batch when a run stops early), steps × batch for a {@link GanSpec}. A
     * measure of a plan's work for budgeting the atlas, not a time: a LeNet example costs more than an MLP one.
     */
    public long examples() {
        long n = 0;
        for (Sweep<?> s : sweeps) {
            for (Object spec : s.specs()) {
                n += switch (spec) {
                    case RunSpec r -> r.maxSteps() > 0 ? Math.min((long) r.trainSize() * r.epochs(), (long) r.maxSteps() * r.batchSize())
                            : (long) r.trainSize() * r.epochs();
                    case GanSpec g -> (long) g.steps() * g.batchSize();
                    default -> 0L;
                };
            }
        }
        return n;
    }

    public String describe() {
        StringBuilder sb = new StringBuilder(study).append(" at ").append(scale).append(" scale: ");
        if (sweeps.isEmpty()) sb.append("no training sweep");
        else sb.append(sweeps.size()).append(sweeps.size() == 1 ? " sweep, " : " sweeps, ").append(runs()).append(runs() == 1 ? " run" : " runs");
        if (scale.isPreview()) sb.append("\n").append(scale.previewNote());
        for (Sweep<?> s : sweeps) sb.append("\n\n").append(s.describe());
        if (!notes.isEmpty()) sb.append("\n");
        for (String n : notes) sb.append("\n").append("also: ").append(n);
        return sb.toString();
    }

    /**
     * The sweeps as a table, one row per sweep: its name, runs, grid (axes separated by "; "), the base run's settings
     * (model, optimizer, data, budget, what it measures) and the seeds.
     */
    public Table table() {
        List<String> labels = new ArrayList<>();
        for (Sweep<?> s : sweeps) for (String l : s.baseOutline().keySet()) if (!labels.contains(l)) labels.add(l);
        StringColumn name = StringColumn.create("sweep"), grid = StringColumn.create("grid"), seeds = StringColumn.create("seeds");
        IntColumn runs = IntColumn.create("runs");
        List<StringColumn> settings = labels.stream().map(StringColumn::create).toList();
        for (Sweep<?> s : sweeps) {
            name.append(s.name());
            runs.append(s.size());
            grid.append(String.join("; ", s.grid()));
            Map<String, String> outline = s.baseOutline();
            for (int i = 0; i < labels.size(); i++) settings.get(i).append(outline.getOrDefault(labels.get(i), ""));
            seeds.append(s.seedsText());
        }
        Table t = Table.create(study + " at " + scale + " scale: the sweeps", name, runs, grid);
        settings.forEach(t::addColumns);
        return t.addColumns(seeds);
    }

    @Override
    public String toString() { return describe(); }
}
