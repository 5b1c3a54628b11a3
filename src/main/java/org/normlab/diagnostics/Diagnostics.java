package org.normlab.diagnostics;

import java.util.List;
import java.util.stream.IntStream;
import org.normlab.data.Batches;
import org.normlab.data.Dataset;
import org.normlab.nn.Activation;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Sequential;
import org.normlab.nn.loss.SoftmaxCrossEntropy;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.RunningStatistics;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Looks inside a model: activation statistics layer by layer, without training it. */
public final class Diagnostics {
    private Diagnostics() {}

    /**
     * Mean and standard deviation of every activation layer's output on one batch (TRAIN mode, so BatchNorm uses the
     * batch's statistics, as in the first training step). Columns: hidden layer (1, 2, …), layer, mean, std.
     */
    public static Table activationScales(Sequential model, Tensor batch) {
        IntColumn index = IntColumn.create("hidden layer");
        StringColumn name = StringColumn.create("layer");
        DoubleColumn mean = DoubleColumn.create("mean"), std = DoubleColumn.create("std");
        Tensor x = batch;
        int hidden = 0;
        List<Layer> layers = model.layers();
        for (Layer layer : layers) {
            x = layer.forward(x, Mode.TRAIN);
            if (layer instanceof Activation) {
                double sum = 0, sq = 0;
                for (float v : x.data()) { sum += v; sq += (double) v * v; }
                double m = sum / x.size();
                index.append(++hidden);
                name.append(layer.describe());
                mean.append(m);
                std.append(Math.sqrt(Math.max(0, sq / x.size() - m * m)));
            }
        }
        return Table.create("activation scale by layer", index, name, mean, std);
    }

    /**
     * How much one example's output depends on the rest of its batch: the largest difference between the outputs
     * for example 0 evaluated inside two different batches (examples 0–31 and example 0 with 32–62). Zero for any
     * model in EVAL mode, and for LN/GN models in both modes; positive for BN in TRAIN mode. BatchNorm running
     * statistics are restored afterwards.
     */
    @SuppressWarnings("try")  // the resource is not named in the body: closing it restores the running statistics
    public static double batchDependence(Layer model, Dataset data, Mode mode) {
        try (RunningStatistics frozen = RunningStatistics.frozen(model)) {
            int[] a = IntStream.range(0, 32).toArray();
            int[] b = IntStream.concat(IntStream.of(0), IntStream.range(32, 63)).toArray();
            float[] ya = model.forward(data.select(a).inputs(), mode).data().clone(), yb = model.forward(data.select(b).inputs(), mode).data();
            int classes = ya.length / 32;
            double max = 0;
            for (int k = 0; k < classes; k++) max = Math.max(max, Math.abs(ya[k] - yb[k]));
            return max;
        }
    }

    /**
     * Accuracy when the model is (wrongly) evaluated in TRAIN mode, in batches of {@code batchSize}: the
     * "forgotten model.eval()" bug. Running statistics are restored afterwards. NaN when the model cannot run in
     * TRAIN mode at that batch size (BatchNorm with one value per channel).
     */
    @SuppressWarnings("try")  // the resource is not named in the body: closing it restores the running statistics
    public static double accuracyInTrainMode(Layer model, Dataset data, int batchSize) {
        try (RunningStatistics frozen = RunningStatistics.frozen(model)) {
            long correct = 0, seen = 0;
            for (Dataset batch : new Batches(data, batchSize, null, true)) {
                correct += SoftmaxCrossEntropy.evaluate(model.forward(batch.inputs(), Mode.TRAIN), batch.labels()).correct();
                seen += batch.size();
            }
            return (double) correct / seen;
        } catch (IllegalArgumentException oneValuePerChannel) {
            return Double.NaN;
        }
    }

    /** Claim C1 on a fresh BatchNorm(C): max |BN(x) − x| in TRAIN mode with γ = √(σ²_batch + ε), β = μ_batch. */
    public static double identityRecoveryError(int channels, long seed) {
        var bn = new BatchNorm(channels);
        Tensor x = Tensor.randn(new Rng(seed), 3f, 32, channels);
        for (int i = 0; i < x.size(); i++) x.data()[i] += 1.5f;
        for (int c = 0; c < channels; c++) {
            double mean = 0, sq = 0;
            for (int n = 0; n < 32; n++) mean += x.get(n, c) / 32.0;
            for (int n = 0; n < 32; n++) sq += Math.pow(x.get(n, c) - mean, 2) / 32;
            bn.gamma().value().data()[c] = (float) Math.sqrt(sq + bn.eps());
            bn.beta().value().data()[c] = (float) mean;
        }
        float[] y = bn.forward(x, Mode.TRAIN).data();
        double max = 0;
        for (int i = 0; i < y.length; i++) max = Math.max(max, Math.abs(y[i] - x.data()[i]));
        return max;
    }
}
