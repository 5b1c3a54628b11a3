package org.normlab.data;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.normlab.tensor.Tensor;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * A {@link Dataset} from a CSV file with a header row, read by Tablesaw: numeric feature columns and a label column
 * of whole numbers 0 … K−1 (every class present). Inputs are (N, features) floats in the file's column order.
 * Bad input is refused with one line naming the file and the column (and row, counting the header as row 1).
 * <pre>
 * Dataset all = CsvData.read(Path.of("blobs.csv"), "label");
 * </pre>
 */
public final class CsvData {
    private CsvData() {}

    /** Every column but {@code labelColumn} is a feature. */
    public static Dataset read(Path file, String labelColumn) {
        Table t = table(file);
        List<String> features = new ArrayList<>(t.columnNames());
        if (!features.remove(labelColumn)) throw noColumn(file, "label", labelColumn, t);
        return read(file, t, labelColumn, features);
    }

    /** Only {@code featureColumns} (in that order) are features; other columns are ignored. */
    public static Dataset read(Path file, String labelColumn, List<String> featureColumns) {
        Table t = table(file);
        if (!t.columnNames().contains(labelColumn)) throw noColumn(file, "label", labelColumn, t);
        for (String f : featureColumns) if (!t.columnNames().contains(f)) throw noColumn(file, "feature", f, t);
        return read(file, t, labelColumn, featureColumns);
    }

    /**
     * A Tablesaw table as a dataset (its name in errors and in the dataset is the table's): numeric
     * {@code featureColumns}, labels 0 … K−1 in {@code labelColumn}.
     */
    public static Dataset fromTable(Table t, String labelColumn, List<String> featureColumns) {
        return read(Path.of(t.name()), t, labelColumn, featureColumns);
    }

    private static Dataset read(Path file, Table t, String labelColumn, List<String> featureColumns) {
        if (featureColumns.isEmpty()) throw new IllegalArgumentException("CSV " + file + ": no feature columns besides label column '" + labelColumn + "'");
        if (featureColumns.contains(labelColumn)) {
            throw new IllegalArgumentException("CSV " + file + ": label column '" + labelColumn + "' is also listed as a feature");
        }
        int n = t.rowCount(), k = featureColumns.size();
        if (n == 0) throw new IllegalArgumentException("CSV " + file + ": no data rows");
        float[] x = new float[n * k];
        for (int j = 0; j < k; j++) {
            NumericColumn<?> c = numeric(file, t.column(featureColumns.get(j)));
            for (int i = 0; i < n; i++) {
                double v = c.getDouble(i);
                if (c.isMissing(i) || !Double.isFinite(v)) {
                    throw new IllegalArgumentException("CSV " + file + ": column '" + c.name() + "', row " + (i + 2) + ": expected a finite number, got "
                            + (c.isMissing(i) ? "an empty cell" : c.getString(i)));
                }
                x[i * k + j] = (float) v;
            }
        }
        NumericColumn<?> l = numeric(file, t.column(labelColumn));
        int[] y = new int[n];
        TreeSet<Integer> seen = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            double v = l.getDouble(i);
            if (l.isMissing(i) || v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE - 1) {
                throw new IllegalArgumentException("CSV " + file + ": label column '" + labelColumn + "', row " + (i + 2)
                        + ": expected a class number 0, 1, 2, …, got " + (l.isMissing(i) ? "an empty cell" : l.getString(i)));
            }
            y[i] = (int) v;
            seen.add(y[i]);
        }
        int classes = seen.last() + 1;
        if (seen.size() != classes || classes < 2) {
            throw new IllegalArgumentException("CSV " + file + ": label column '" + labelColumn + "': expected classes 0 … K−1 (K ≥ 2), each present, got "
                    + seen);
        }
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        return new Dataset(name, Tensor.of(x, n, k), y, classes);
    }

    private static Table table(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("CSV " + file + ": no such file");
        try {
            return Table.read().csv(CsvReadOptions.builder(file.toFile()).header(true).build());
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException("CSV " + file + ": cannot be read (" + e.getCause().getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("CSV " + file + ": cannot be parsed (" + e.getMessage() + ")", e);
        }
    }

    private static NumericColumn<?> numeric(Path file, Column<?> c) {
        if (c instanceof NumericColumn<?> nc) return nc;
        if (c.type() == ColumnType.BOOLEAN) {
            throw new IllegalArgumentException("CSV " + file + ": column '" + c.name() + "' holds true/false values, expected numbers");
        }
        for (int i = 0; i < c.size(); i++) {
            String s = c.getString(i);
            if (!s.isEmpty() && !isNumber(s)) {
                throw new IllegalArgumentException("CSV " + file + ": column '" + c.name() + "', row " + (i + 2) + ": expected a number, got '" + s + "'");
            }
        }
        throw new IllegalArgumentException("CSV " + file + ": column '" + c.name() + "' is " + c.type().name() + ", expected numbers");
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static IllegalArgumentException noColumn(Path file, String role, String name, Table t) {
        return new IllegalArgumentException("CSV " + file + ": no " + role + " column '" + name + "'; the columns are " + t.columnNames());
    }
}
