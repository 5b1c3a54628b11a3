package org.normlab.diagnostics;

import static tech.tablesaw.aggregate.AggregateFunctions.stdDev;

import java.util.List;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.GroupNorm;
import org.normlab.norm.LayerNorm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * One sample's normalized output as the rest of its batch changes: the mechanism behind claim C8, at one layer.
 * A fixed sample x₀ of shape (1, C, H, W) goes first into batches of B = 2 … 128 whose other B − 1 samples are
 * fresh N(0, 1) draws, {@code draws} times per batch size; BatchNorm (TRAIN), LayerNorm([C, H, W]) and GroupNorm(G, C)
 * each normalize the batch and we read x₀'s output. BN's μ_c and σ²_c mix x₀ with its companions, so x₀'s output
 * moves from draw to draw, less as B grows (the batch mean's spread falls like 1/√(B·H·W)); LN and GN use x₀'s own
 * values only and give the same output whatever the batch.
 */
public final class BatchDependence {
    public static final List<Integer> BATCH_SIZES = List.of(2, 4, 8, 16, 32, 64, 128);
    public static final int DRAWS = 20;
    private static final int H = 4, W = 4;

    private BatchDependence() {}

    /**
     * One row per (layer, batch size, draw): {@code output} is x₀'s normalized value at (c = 0, h = 0, w = 0), and
     * {@code max |y − y(B=2, draw 0)|} compares x₀'s whole output with its first one (0 for a layer that ignores the batch).
     *
     * @param channels C (a multiple of {@code groups})
     */
    public static Table run(int channels, int groups, List<Integer> batchSizes, int draws, long seed) {
        if (draws < 1) throw new IllegalArgumentException("BatchDependence: draws must be at least 1, got " + draws);
        for (int b : batchSizes) {
            if (b < 2) throw new IllegalArgumentException("BatchDependence: batch sizes must be at least 2 (x₀ and a companion), got " + b);
        }
        Rng rng = new Rng(seed);
        Tensor sample = Tensor.randn(rng.split(), 1f, 1, channels, H, W);
        Layer[] layers = {new BatchNorm(channels), new LayerNorm(channels, H, W), new GroupNorm(groups, channels)};
        String[] names = {"BN", "LN", "GN(" + groups + ")"};
        StringColumn layer = StringColumn.create("layer");
        IntColumn batch = IntColumn.create("batch size"), draw = IntColumn.create("draw");
        DoubleColumn output = DoubleColumn.create("output"), change = DoubleColumn.create("max |y − y(B=2, draw 0)|");
        float[][] first = new float[layers.length][];
        for (int b : batchSizes) {
            for (int d = 0; d < draws; d++) {
                Tensor x = Tensor.randn(rng, 1f, b, channels, H, W);
                System.arraycopy(sample.data(), 0, x.data(), 0, sample.size());  // x₀ is sample 0 of every batch
                for (int l = 0; l < layers.length; l++) {
                    float[] y = new float[sample.size()];
                    System.arraycopy(layers[l].forward(x, Mode.TRAIN).data(), 0, y, 0, y.length);
                    if (first[l] == null) first[l] = y;
                    layer.append(names[l]);
                    batch.append(b);
                    draw.append(d);
                    output.append(y[0]);
                    change.append(maxAbsDifference(y, first[l]));
                }
            }
        }
        return Table.create("x₀'s output as its batch changes (C=" + channels + ", H=W=" + H + ")", layer, batch, draw, output, change);
    }

    /** {@link #run} with the batch sizes 2 … 128, {@value #DRAWS} draws each. */
    public static Table run(int channels, int groups, long seed) { return run(channels, groups, BATCH_SIZES, DRAWS, seed); }

    /** Per layer and batch size: the standard deviation of x₀'s output over the draws. */
    public static Table spread(Table runs) {
        Table byLayer = runs.summarize("output", stdDev).by("layer", "batch size");
        byLayer.column(2).setName("std of output over draws");
        return byLayer.setName("spread of x₀'s output over draws");
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs((double) a[i] - b[i]));
        return max;
    }
}
