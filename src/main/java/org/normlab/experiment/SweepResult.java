package org.normlab.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;
import org.normlab.plot.Charts;
import org.normlab.train.RunLog;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * What a {@link Sweep} measured, in grid order, with the summaries studies need: final values and
 * steps-to-target with 95% intervals over seeds, the largest stable learning rate, learning curves.
 *
 * @param fields the config fields the sweep varied (the seed is always there too)
 */
public record SweepResult(String name, List<String> fields, List<Results.Run> runs) {

    /** Tidy: key, varied fields, seed, step, epoch, metric, value. */
    public Table table() { return Results.tidy(name, runs, fields); }

    /** One row per run: diverged (at which step), error, wall time. */
    public Table runsTable() { return Results.runs(name + " runs", runs, fields); }

    /** The last logged value of {@code metric}; NaN when the run diverged or failed (it has no final value). */
    public static double finalValue(Results.Run run, String metric) {
        RunLog log = run.log();
        return log.diverged() || log.failed() ? Double.NaN : log.last(metric);
    }

    /** The first logged step at which {@code metric} reached {@code target} (≥), or NaN if it never did. */
    public static double stepsTo(Results.Run run, String metric, double target) {
        for (RunLog.Point p : run.log().points()) if (p.metric().equals(metric) && p.value() >= target) return p.step();
        return Double.NaN;
    }

    /** Runs whose config passes {@code filter}, e.g. {@code c -> c.norm() == Norm.BN}. */
    public List<Results.Run> where(Predicate<RunConfig> filter) {
        return runs.stream().filter(r -> filter.test(r.config())).toList();
    }

    /** Mean and 95% interval over the selected runs of a per-run statistic. */
    public Summary summarize(Predicate<RunConfig> filter, ToDoubleFunction<Results.Run> statistic) {
        return Summary.of(where(filter).stream().mapToDouble(statistic).toArray());
    }

    /** Per seed, {@code a − b} of a per-run statistic between two groups of runs (paired by seed). */
    public Summary pairedDifference(Predicate<RunConfig> a, Predicate<RunConfig> b, ToDoubleFunction<Results.Run> statistic) {
        Map<Long, Double> left = bySeed(a, statistic), right = bySeed(b, statistic);
        return Summary.of(left.keySet().stream().filter(right::containsKey).mapToDouble(s -> left.get(s) - right.get(s)).toArray());
    }

    /**
     * Per seed, the difference of two paired differences, {@code (a1 − a2) − (b1 − b2)}: how much more a change
     * (e.g. batch 32 → 2, or adding dropout) moves the statistic in one setting than in another. Only seeds present in
     * all four groups count.
     */
    public Summary pairedInteraction(Predicate<RunConfig> a1, Predicate<RunConfig> a2, Predicate<RunConfig> b1, Predicate<RunConfig> b2,
                                     ToDoubleFunction<Results.Run> statistic) {
        Map<Long, Double> va1 = bySeed(a1, statistic), va2 = bySeed(a2, statistic), vb1 = bySeed(b1, statistic), vb2 = bySeed(b2, statistic);
        return Summary.of(va1.keySet().stream().filter(s -> va2.containsKey(s) && vb1.containsKey(s) && vb2.containsKey(s))
                .mapToDouble(s -> (va1.get(s) - va2.get(s)) - (vb1.get(s) - vb2.get(s))).toArray());
    }

    private Map<Long, Double> bySeed(Predicate<RunConfig> filter, ToDoubleFunction<Results.Run> statistic) {
        Map<Long, Double> m = new LinkedHashMap<>();
        for (Results.Run r : where(filter)) {
            if (m.put(r.config().seed(), statistic.applyAsDouble(r)) != null) {
                throw new IllegalArgumentException("SweepResult " + name + ": the filter selects several runs with seed " + r.config().seed());
            }
        }
        return m;
    }

    /** Runs grouped by their varied fields (everything but the seed), in grid order. */
    public Map<List<Object>, List<Results.Run>> groups() {
        Map<List<Object>, List<Results.Run>> g = new LinkedHashMap<>();
        for (Results.Run r : runs) {
            List<Object> k = fields.stream().map(f -> r.config().value(f)).toList();
            g.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
        }
        return g;
    }

    /** Per group: runs, diverged, failed, and mean with 95% interval of {@code statistic} over seeds. */
    public Table summary(String statisticName, ToDoubleFunction<Results.Run> statistic) {
        Column<?>[] config = fields.stream().map(f -> Results.fieldColumn(f, runs)).toArray(Column<?>[]::new);
        IntColumn count = IntColumn.create("runs"), diverged = IntColumn.create("diverged"), failed = IntColumn.create("failed"),
                n = IntColumn.create("n");
        DoubleColumn mean = DoubleColumn.create(statisticName), lo = DoubleColumn.create("ci95_lo"), hi = DoubleColumn.create("ci95_hi");
        for (var group : groups().entrySet()) {
            for (int i = 0; i < config.length; i++) Results.appendField(config[i], group.getKey().get(i));
            List<Results.Run> rs = group.getValue();
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
     * For each value of {@code groupField}, the largest {@code lr} at which every seed trained: none diverged or
     * failed, and the final {@code metric} of each was at most {@code maxFinal} (e.g. train loss below chance).
     * NaN when no learning rate qualified.
     */
    public Table largestStableLr(String groupField, String metric, double maxFinal) {
        if (!fields.contains("lr")) throw new IllegalArgumentException("SweepResult " + name + ": the sweep did not vary lr");
        Map<Object, Double> best = new LinkedHashMap<>();
        Map<Object, Map<Double, Boolean>> stable = new LinkedHashMap<>();
        for (Results.Run r : runs) {
            Object g = r.config().value(groupField);
            double v = finalValue(r, metric);
            boolean ok = !Double.isNaN(v) && v <= maxFinal;
            stable.computeIfAbsent(g, x -> new LinkedHashMap<>()).merge(r.config().lr(), ok, Boolean::logicalAnd);
        }
        for (var e : stable.entrySet()) {
            best.put(e.getKey(), e.getValue().entrySet().stream().filter(Map.Entry::getValue).mapToDouble(Map.Entry::getKey).max().orElse(Double.NaN));
        }
        StringColumn group = StringColumn.create(groupField);
        DoubleColumn lr = DoubleColumn.create("largest stable lr");
        best.forEach((g, v) -> { group.append(String.valueOf(g)); lr.append(v); });
        return Table.create(name + ": largest stable lr (all seeds, final " + metric + " ≤ " + maxFinal + ")", group, lr);
    }

    /** One row per run: key, varied fields, seed, and the final value of {@code metric} (NaN: diverged or failed). */
    public Table finals(String metric) {
        Column<?>[] config = fields.stream().map(f -> Results.fieldColumn(f, runs)).toArray(Column<?>[]::new);
        StringColumn key = StringColumn.create("key");
        tech.tablesaw.api.LongColumn seed = tech.tablesaw.api.LongColumn.create("seed");
        DoubleColumn value = DoubleColumn.create("final " + metric);
        for (Results.Run r : runs) {
            key.append(r.config().key());
            for (int i = 0; i < config.length; i++) Results.appendField(config[i], r.config().value(fields.get(i)));
            seed.append(r.config().seed());
            value.append(finalValue(r, metric));
        }
        Table t = Table.create(name + ": final " + metric, key);
        t.addColumns(config);
        return t.addColumns(seed, value);
    }

    /** Final {@code metric} against the learning rate, one colour per value of {@code groupField}. */
    public XYChart versusLearningRate(String groupField, String metric) {
        return Charts.versusLearningRate(finals(metric), groupField, "final " + metric, name + ": final " + metric + " vs learning rate");
    }

    /** Learning curves of {@code metric}, one colour per combination of the varied fields. */
    public XYChart curves(String metric) {
        Table t = table();
        StringColumn group = StringColumn.create("group");
        for (int i = 0; i < t.rowCount(); i++) {
            int row = i;
            group.append(fields.stream().map(f -> fields.size() == 1 ? String.valueOf(t.column(f).get(row)) : f + "=" + t.column(f).get(row))
                    .collect(Collectors.joining(" ")));
        }
        t.addColumns(group);
        return Charts.learningCurves(t, metric, "group", name + ": " + metric);
    }
}
