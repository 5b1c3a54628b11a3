package org.normlab.diagnostics;

import org.normlab.nn.Mode;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.ReferenceBatchNorm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The library's {@link BatchNorm} (fast kernels) beside {@link ReferenceBatchNorm} (the equations in plain double
 * loops) on the same input x and the same upstream gradient dy: one TRAIN forward and backward, then one EVAL forward
 * with the running statistics that step left. Both use ε = 1e-5 and momentum 0.1.
 */
public final class ReferenceComparison {
    private final Tensor x, dy;
    private final float[] yFast, yReference, dxFast, dxReference;
    private final Table differences;

    private ReferenceComparison(Tensor x, Tensor dy, float[] yFast, float[] yReference, float[] dxFast, float[] dxReference, Table differences) {
        this.x = x;
        this.dy = dy;
        this.yFast = yFast;
        this.yReference = yReference;
        this.dxFast = dxFast;
        this.dxReference = dxReference;
        this.differences = differences;
    }

    /** Runs both layers on x (N, C, …) with upstream gradient dy of the same shape; neither tensor is changed. */
    public static ReferenceComparison run(Tensor x, Tensor dy) {
        if (!x.sameShape(dy)) throw new IllegalArgumentException("ReferenceComparison: dy must have x's shape " + x.shapeString() + ", got " + dy.shapeString());
        int channels = x.dim(1);
        BatchNorm fast = new BatchNorm(channels);
        ReferenceBatchNorm reference = new ReferenceBatchNorm(channels, fast.eps(), fast.momentum());
        float[] yFast = fast.forward(x.copy(), Mode.TRAIN).data().clone();
        float[] yReference = reference.forward(x.copy(), Mode.TRAIN).data().clone();
        float[] dxFast = fast.backward(dy.copy()).data().clone();
        float[] dxReference = reference.backward(dy.copy()).data().clone();
        float[] evalFast = fast.forward(x.copy(), Mode.EVAL).data().clone();
        float[] evalReference = reference.forward(x.copy(), Mode.EVAL).data().clone();
        StringColumn quantity = StringColumn.create("quantity");
        DoubleColumn largest = DoubleColumn.create("max |value|"), difference = DoubleColumn.create("max |fast − reference|");
        add(quantity, largest, difference, "y (TRAIN)", yFast, yReference);
        add(quantity, largest, difference, "dL/dx", dxFast, dxReference);
        add(quantity, largest, difference, "dL/dγ", fast.gamma().grad().data(), reference.gamma().grad().data());
        add(quantity, largest, difference, "dL/dβ", fast.beta().grad().data(), reference.beta().grad().data());
        add(quantity, largest, difference, "running mean", fast.runningMean().data(), toFloat(reference.runningMean()));
        add(quantity, largest, difference, "running var", fast.runningVar().data(), toFloat(reference.runningVar()));
        add(quantity, largest, difference, "y (EVAL)", evalFast, evalReference);
        Table table = Table.create("BatchNorm vs ReferenceBatchNorm on " + x.shapeString(), quantity, largest, difference);
        return new ReferenceComparison(x.copy(), dy.copy(), yFast, yReference, dxFast, dxReference, table);
    }

    /** {@link #run} on a seeded N(1, 2²) input of shape (n, c, h, w) with an N(0, 1) upstream gradient. */
    public static ReferenceComparison run(long seed, int... shape) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.randn(rng, 2f, shape);
        for (int i = 0; i < x.size(); i++) x.data()[i] += 1f;
        return run(x, Tensor.randn(rng, 1f, shape));
    }

    /** Per quantity (outputs, gradients, running statistics, EVAL output): its largest magnitude and the largest difference. */
    public Table differences() { return differences; }

    /** The largest |fast − reference| over every quantity. */
    public double maxDifference() { return differences.doubleColumn("max |fast − reference|").max(); }

    /** The first {@code rows} elements side by side: x, dy, both outputs, both input gradients. */
    public Table elements(int rows) {
        int count = Math.min(rows, x.size());
        IntColumn index = IntColumn.create("index");
        DoubleColumn[] cols = {DoubleColumn.create("x"), DoubleColumn.create("dy"), DoubleColumn.create("y fast"), DoubleColumn.create("y reference"),
                DoubleColumn.create("dx fast"), DoubleColumn.create("dx reference")};
        for (int i = 0; i < count; i++) {
            index.append(i);
            float[] v = {x.data()[i], dy.data()[i], yFast[i], yReference[i], dxFast[i], dxReference[i]};
            for (int k = 0; k < cols.length; k++) cols[k].append(v[k]);
        }
        return Table.create("first " + count + " elements", index).addColumns(cols);
    }

    private static void add(StringColumn quantity, DoubleColumn largest, DoubleColumn difference, String name, float[] fast, float[] reference) {
        double max = 0, diff = 0;
        for (int i = 0; i < fast.length; i++) {
            max = Math.max(max, Math.abs(fast[i]));
            diff = Math.max(diff, Math.abs((double) fast[i] - reference[i]));
        }
        quantity.append(name);
        largest.append(max);
        difference.append(diff);
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (float) values[i];
        return out;
    }
}
