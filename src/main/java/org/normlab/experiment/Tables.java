package org.normlab.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.normlab.diagnostics.BnLayerTrace;
import org.normlab.train.RunLog;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Reshaping that studies share: summaries joined side by side, and label columns for charts. */
public final class Tables {
    private Tables() {}

    /**
     * Appends to {@code target} a copy of {@code summary}'s mean column {@code mean} named {@code meanName}, and its
     * {@code ci95_lo}, {@code ci95_hi} columns named {@code loName}, {@code hiName}: a second statistic's mean and
     * interval beside the first (both summaries over the same groups, in the same order). Returns {@code target}.
     */
    public static Table appendInterval(Table target, Table summary, String mean, String meanName, String loName, String hiName) {
        target.addColumns(summary.doubleColumn(mean).copy().setName(meanName), summary.doubleColumn("ci95_lo").copy().setName(loName),
                summary.doubleColumn("ci95_hi").copy().setName(hiName));
        return target;
    }

    /** Appends to {@code target} copies of {@code source}'s columns {@code names} (same rows, same order). Returns {@code target}. */
    public static Table appendColumns(Table target, Table source, String... names) {
        for (String name : names) target.addColumns(source.column(name).copy());
        return target;
    }

    /**
     * A copy of {@code table} with one more column, {@code label}: {@code text} of each row's value in {@code column}
     * (e.g. a bar chart's series name, "dropout 0.5" from the dropout 0.5).
     */
    public static Table withLabel(Table table, String column, String label, Function<String, String> text) {
        Table t = table.copy();
        StringColumn labels = StringColumn.create(label);
        for (int i = 0; i < t.rowCount(); i++) labels.append(text.apply(String.valueOf(t.column(column).get(i))));
        return t.addColumns(labels);
    }

    /** The per-layer metrics of {@link BnLayerTrace}, in the columns of {@link #bnLayerTrace}. */
    public static final List<String> BN_TRACE_METRICS = List.of(BnLayerTrace.GAMMA, BnLayerTrace.BETA, BnLayerTrace.SIGMA, BnLayerTrace.MU,
            BnLayerTrace.GAMMA_OVER_SIGMA, BnLayerTrace.WEIGHT_NORM, BnLayerTrace.EFFECTIVE_LR);

    /**
     * The {@link BnLayerTrace} metrics of {@code runs} (runs that measured them, e.g. the seeds of one arm), averaged
     * over the runs at each logged step: one row per BN layer and step with columns layer ("BN 1", …), step, runs
     * (how many runs logged that layer at that step) and one column per metric (NaN where no run logged it).
     * A diverged run contributes the steps it logged.
     */
    public static Table bnLayerTrace(String title, List<? extends Results.Run<?>> runs) {
        // layer k → step → metric → {sum, count}
        Map<Integer, TreeMap<Integer, Map<String, double[]>>> sums = new TreeMap<>();
        for (Results.Run<?> run : runs) {
            for (RunLog.Point p : run.log().points()) {
                String m = p.metric();
                int slash = m.indexOf('/');
                if (!m.startsWith("bn") || slash < 3 || !BN_TRACE_METRICS.contains(m.substring(slash + 1))) continue;
                int k;
                try {
                    k = Integer.parseInt(m.substring(2, slash));
                } catch (NumberFormatException notATrace) {
                    continue;
                }
                double[] acc = sums.computeIfAbsent(k, x -> new TreeMap<>()).computeIfAbsent(p.step(), x -> new LinkedHashMap<>())
                        .computeIfAbsent(m.substring(slash + 1), x -> new double[2]);
                acc[0] += p.value();
                acc[1]++;
            }
        }
        StringColumn layer = StringColumn.create("layer");
        IntColumn step = IntColumn.create("step"), count = IntColumn.create("runs");
        Map<String, DoubleColumn> values = new LinkedHashMap<>();
        for (String m : BN_TRACE_METRICS) values.put(m, DoubleColumn.create(m));
        sums.forEach((k, steps) -> steps.forEach((st, metrics) -> {
            layer.append("BN " + k);
            step.append(st);
            count.append((int) metrics.get(BnLayerTrace.GAMMA)[1]);
            values.forEach((m, column) -> {
                double[] acc = metrics.get(m);
                column.append(acc == null ? Double.NaN : acc[0] / acc[1]);
            });
        }));
        Table t = Table.create(title, layer, step, count);
        values.values().forEach(t::addColumns);
        return t;
    }
}
