package org.normlab.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;
import org.normlab.plot.Charts;
import org.normlab.train.RunLog;
import java.util.Arrays;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * What a {@link Sweep} measured, in grid order, with the summaries studies need: final values and
 * steps-to-target with 95% intervals over seeds, the largest stable learning rate, learning curves.
 *
 * @param fields the spec settings the tables show, usually those the sweep varied (the seed is always there too)
 */
public record SweepResult<S extends Spec<S>>(String name, List<Field<S>> fields, List<Results.Run<S>> runs) {

    public SweepResult {
        fields = List.copyOf(fields);
        runs = List.copyOf(runs);
    }

    /** Runs (of one sweep or several) shown by the columns of {@code axes}. */
    @SafeVarargs
    public static <S extends Spec<S>> SweepResult<S> of(String name, List<Results.Run<S>> runs, Axis<S, ?>... axes) {
        return new SweepResult<>(name, Arrays.stream(axes).flatMap(a -> a.fields().stream()).toList(), runs);
    }

    /** The same runs, grouped and shown by the columns of {@code axes} instead. */
    @SafeVarargs
    public final SweepResult<S> groupedBy(Axis<S, ?>... axes) { return of(name, runs, axes); }

    /** Tidy: key, varied fields, seed, step, epoch, metric, value. */
    public Table table() { return Results.tidy(name, runs, fields); }

    /** One row per run: diverged (at which step), error, wall time. */
    public Table runsTable() { return Results.runs(name + " runs", runs, fields); }

    /** The last logged value of {@code metric}; NaN when the run diverged or failed (it has no final value). */
    public static <S extends Spec<S>> double finalValue(Results.Run<S> run, String metric) {
        RunLog log = run.log();
        return log.diverged() || log.failed() ? Double.NaN : log.last(metric);
    }

    /**
     * The last logged value of a loss or accuracy metric, and for a run that diverged or failed (no final value) the
     * metric's chance value on 10 classes, as the divergence policy says ({@link Verdict#DIVERGENCE_POLICY}): ln 10
     * for a loss (a name containing "loss"), 0.1 for an accuracy ("acc"); NaN for any other metric.
     */
    public static <S extends Spec<S>> double finalOrChance(Results.Run<S> run, String metric) {
        double v = finalValue(run, metric);
        if (!Double.isNaN(v)) return v;
        return metric.contains("loss") ? Math.log(10) : metric.contains("acc") ? 0.1 : Double.NaN;
    }

    /** The first logged step at which {@code metric} reached {@code target} (≥), or NaN if it never did. */
    public static <S extends Spec<S>> double stepsTo(Results.Run<S> run, String metric, double target) {
        for (RunLog.Point p : run.log().points()) if (p.metric().equals(metric) && p.value() >= target) return p.step();
        return Double.NaN;
    }

    /** Runs whose spec passes {@code filter}, e.g. {@code c -> c.norm() == Norm.BN}. */
    public List<Results.Run<S>> where(Predicate<S> filter) {
        return runs.stream().filter(r -> filter.test(r.spec())).toList();
    }

    /** Mean and 95% interval over the selected runs of a per-run statistic. */
    public Summary summarize(Predicate<S> filter, ToDoubleFunction<Results.Run<S>> statistic) {
        return Summary.of(where(filter).stream().mapToDouble(statistic).toArray());
    }

    /** Per seed, {@code a − b} of a per-run statistic between two groups of runs (paired by seed). */
    public Summary pairedDifference(Predicate<S> a, Predicate<S> b, ToDoubleFunction<Results.Run<S>> statistic) {
        Map<Long, Double> left = bySeed(a, statistic), right = bySeed(b, statistic);
        // A seed with a run in one group only is a missing value, counted as such, never dropped silently.
        Set<Long> seeds = new LinkedHashSet<>(left.keySet());
        seeds.addAll(right.keySet());
        return Summary.of(seeds.stream().mapToDouble(s -> left.getOrDefault(s, Double.NaN) - right.getOrDefault(s, Double.NaN)).toArray());
    }

    /**
     * Per seed, the difference of two paired differences, {@code (a1 − a2) − (b1 − b2)}: how much more a change
     * (e.g. batch 32 → 2, or adding dropout) moves the statistic in one setting than in another. Only seeds present in
     * all four groups count; the others are counted as missing.
     */
    public Summary pairedInteraction(Predicate<S> a1, Predicate<S> a2, Predicate<S> b1, Predicate<S> b2,
                                     ToDoubleFunction<Results.Run<S>> statistic) {
        Map<Long, Double> va1 = bySeed(a1, statistic), va2 = bySeed(a2, statistic), vb1 = bySeed(b1, statistic), vb2 = bySeed(b2, statistic);
        Set<Long> seeds = new LinkedHashSet<>(va1.keySet());
        seeds.addAll(va2.keySet());
        seeds.addAll(vb1.keySet());
        seeds.addAll(vb2.keySet());
        return Summary.of(seeds.stream().mapToDouble(s -> (va1.getOrDefault(s, Double.NaN) - va2.getOrDefault(s, Double.NaN))
                - (vb1.getOrDefault(s, Double.NaN) - vb2.getOrDefault(s, Double.NaN))).toArray());
    }

    private Map<Long, Double> bySeed(Predicate<S> filter, ToDoubleFunction<Results.Run<S>> statistic) {
        Map<Long, Double> m = new LinkedHashMap<>();
        for (Results.Run<S> r : where(filter)) {
            if (m.put(r.spec().seed(), statistic.applyAsDouble(r)) != null) {
                throw new IllegalArgumentException("SweepResult " + name + ": the filter selects several runs with seed " + r.spec().seed());
            }
        }
        return m;
    }

    /** Runs grouped by their varied fields (everything but the seed), in grid order. */
    public Map<List<Object>, List<Results.Run<S>>> groups() {
        Map<List<Object>, List<Results.Run<S>>> g = new LinkedHashMap<>();
        for (Results.Run<S> r : runs) {
            List<Object> k = fields.stream().map(f -> f.of(r.spec())).toList();
            g.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
        }
        return g;
    }

    /** Per group: runs, diverged, failed, and mean with 95% interval of {@code statistic} over seeds. */
    public Table summary(String statisticName, ToDoubleFunction<Results.Run<S>> statistic) {
        Column<?>[] config = Results.columns(fields, runs);
        IntColumn count = IntColumn.create("runs"), diverged = IntColumn.create("diverged"), failed = IntColumn.create("failed"),
                n = IntColumn.create("n");
        DoubleColumn mean = DoubleColumn.create(statisticName), lo = DoubleColumn.create("ci95_lo"), hi = DoubleColumn.create("ci95_hi");
        for (var group : groups().entrySet()) {
            for (int i = 0; i < config.length; i++) Results.appendField(config[i], group.getKey().get(i));
            List<Results.Run<S>> rs = group.getValue();
            count.append(rs.size());
            diverged.append((int) rs.stream().filter(r -> r.log().diverged()).count());
            failed.append((int) rs.stream().filter(r -> r.log().failed()).count());
            Summary s = Summary.of(rs.stream().mapToDouble(statistic).toArray());
            n.append(s.n());
            mean.append(s.mean());
            lo.append(s.lo());
            hi.append(s.hi());
        }
        Table t = Table.create(name + ": " + statisticName);
        t.addColumns(config);
        return t.addColumns(count, diverged, failed, n, mean, lo, hi);
    }

    /** {@link #summary} of the final value of {@code metric}. */
    public Table finalSummary(String metric) { return summary("final " + metric, r -> finalValue(r, metric)); }

    /** {@link #summary} of the steps to reach {@code target} in {@code metric}. */
    public Table stepsToSummary(String metric, double target) {
        return summary("steps to " + metric + " ≥ " + target, r -> stepsTo(r, metric, target));
    }

    /**
     * For each value along {@code group}, the largest learning rate (along {@code lr}) at which every seed trained: none
     * diverged or failed, and the final {@code metric} of each was at most {@code maxFinal} (e.g. train loss below
     * chance). NaN when no learning rate qualified.
     */
    public Table largestStableLr(Axis<S, ?> group, Axis<S, Double> lr, String metric, double maxFinal) {
        if (fields.stream().noneMatch(f -> f.name().equals(lr.name()))) throw new IllegalArgumentException("SweepResult " + name + ": the sweep did not vary " + lr);
        Map<Object, Double> best = new LinkedHashMap<>();
        Map<Object, Map<Double, Boolean>> stable = new LinkedHashMap<>();
        for (Results.Run<S> r : runs) {
            Object g = group.field().of(r.spec());
            double v = finalValue(r, metric);
            boolean ok = !Double.isNaN(v) && v <= maxFinal;
            stable.computeIfAbsent(g, x -> new LinkedHashMap<>()).merge(lr.get(r.spec()), ok, Boolean::logicalAnd);
        }
        for (var e : stable.entrySet()) {
            best.put(e.getKey(), e.getValue().entrySet().stream().filter(Map.Entry::getValue).mapToDouble(Map.Entry::getKey).max().orElse(Double.NaN));
        }
        StringColumn groupColumn = StringColumn.create(group.name());
        DoubleColumn lrColumn = DoubleColumn.create("largest stable lr");
        best.forEach((g, v) -> { groupColumn.append(String.valueOf(g)); lrColumn.append(v); });
        return Table.create(name + ": largest stable lr (all seeds, final " + metric + " ≤ " + maxFinal + ")", groupColumn, lrColumn);
    }

    /** One row per run: key, varied fields, seed, and the final value of {@code metric} (NaN: diverged or failed). */
    public Table finals(String metric) {
        Column<?>[] config = Results.columns(fields, runs);
        StringColumn key = StringColumn.create("key");
        LongColumn seed = LongColumn.create("seed");
        DoubleColumn value = DoubleColumn.create("final " + metric);
        for (Results.Run<S> r : runs) {
            key.append(r.spec().key());
            for (int i = 0; i < config.length; i++) Results.appendField(config[i], fields.get(i).of(r.spec()));
            seed.append(r.spec().seed());
            value.append(finalValue(r, metric));
        }
        Table t = Table.create(name + ": final " + metric, key);
        t.addColumns(config);
        return t.addColumns(seed, value);
    }

    /** Final {@code metric} against the learning rate, one colour per value along {@code group}. */
    public XYChart versusLearningRate(Axis<S, ?> group, String metric) {
        return Charts.versusLearningRate(finals(metric), group.name(), "final " + metric, name + ": final " + Charts.label(metric) + " vs learning rate");
    }

    /** {@link #curves(String)} under {@code title}. */
    public XYChart curves(String metric, String title) {
        XYChart chart = curves(metric);
        chart.setTitle(title);
        return chart;
    }

    /** Learning curves of {@code metric}, one colour per combination of the varied fields. */
    public XYChart curves(String metric) {
        Table t = table();
        StringColumn group = StringColumn.create("group");
        for (int i = 0; i < t.rowCount(); i++) {
            int row = i;
            group.append(fields.stream().map(f -> fields.size() == 1 ? String.valueOf(t.column(f.name()).get(row)) : f.name() + "=" + t.column(f.name()).get(row))
                    .collect(Collectors.joining(" ")));
        }
        t.addColumns(group);
        return Charts.learningCurves(t, metric, "group", name + ": " + Charts.label(metric));
    }
}
