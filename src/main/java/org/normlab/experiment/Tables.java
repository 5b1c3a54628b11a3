package org.normlab.experiment;

import java.util.function.Function;
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
}
