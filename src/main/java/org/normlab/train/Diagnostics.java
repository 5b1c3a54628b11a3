package org.normlab.train;

import java.util.List;
import org.normlab.nn.Activation;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Sequential;
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
    public static double batchDependence(Layer model, org.normlab.data.Dataset data, Mode mode) {
        var saved = org.normlab.norm.PreciseBn.snapshot(model);
        try {
            int[] a = java.util.stream.IntStream.range(0, 32).toArray();
            int[] b = java.util.stream.IntStream.concat(java.util.stream.IntStream.of(0), java.util.stream.IntStream.range(32, 63)).toArray();
            float[] ya = model.forward(data.select(a).inputs(), mode).data().clone(), yb = model.forward(data.select(b).inputs(), mode).data();
            int classes = ya.length / 32;
            double max = 0;
            for (int k = 0; k < classes; k++) max = Math.max(max, Math.abs(ya[k] - yb[k]));
            return max;
        } finally {
            org.normlab.norm.PreciseBn.restore(model, saved);
        }
    }

    /**
     * Accuracy when the model is (wrongly) evaluated in TRAIN mode, in batches of {@code batchSize}: the
     * "forgotten model.eval()" bug. Running statistics are restored afterwards. NaN when the model cannot run in
     * TRAIN mode at that batch size (BatchNorm with one value per channel).
     */
    public static double accuracyInTrainMode(Layer model, org.normlab.data.Dataset data, int batchSize) {
        var saved = org.normlab.norm.PreciseBn.snapshot(model);
        try {
            long correct = 0, seen = 0;
            for (var batch : new org.normlab.data.Batches(data, batchSize, null, true)) {
                correct += org.normlab.nn.SoftmaxCrossEntropy.evaluate(model.forward(batch.inputs(), Mode.TRAIN), batch.labels()).correct();
                seen += batch.size();
            }
            return (double) correct / seen;
        } catch (IllegalArgumentException oneValuePerChannel) {
            return Double.NaN;
        } finally {
            org.normlab.norm.PreciseBn.restore(model, saved);
        }
    }

    /**
     * The sanity checks of a BatchNorm implementation, run on {@code model} and a batch of its data (claim C16):
     * a numerical gradient check, EVAL-mode per-example determinism, running statistics following the momentum rule,
     * EVAL leaving them untouched, and (claim C1) γ = √(σ² + ε), β = μ turning each BN into the identity.
     * Columns: check, value, threshold, passed. Nothing about the model is changed.
     */
    public static Table sanityChecks(Sequential model, org.normlab.data.Dataset data) {
        StringColumn check = StringColumn.create("check"), threshold = StringColumn.create("threshold");
        DoubleColumn value = DoubleColumn.create("value");
        tech.tablesaw.api.BooleanColumn passed = tech.tablesaw.api.BooleanColumn.create("passed");
        var saved = org.normlab.norm.PreciseBn.snapshot(model);
        var bns = org.normlab.norm.PreciseBn.batchNorms(model);
        org.normlab.data.Dataset batch = data.head(16);
        try {
            double gradError = gradientCheck(model, batch);
            add(check, value, threshold, passed, "gradient check: max relative error of 8 parameter entries (float32 central differences)",
                    gradError, "< 0.05", gradError < 0.05);
            double evalDep = batchDependence(model, data, Mode.EVAL);
            add(check, value, threshold, passed, "EVAL output of an example does not depend on its batch", evalDep, "< 1e-6", evalDep < 1e-6);
            double trainDep = batchDependence(model, data, Mode.TRAIN);
            add(check, value, threshold, passed, "TRAIN output depends on the batch " + (bns.isEmpty() ? "(no BN: it must not)" : "(BN: it must)"),
                    trainDep, bns.isEmpty() ? "< 1e-6" : "> 1e-6", bns.isEmpty() ? trainDep < 1e-6 : trainDep > 1e-6);
            if (!bns.isEmpty()) {
                double ruleError = runningStatisticsRuleError(model, batch);
                add(check, value, threshold, passed, "running mean after one TRAIN step = (1 − m)·old + m·batch mean (first BN)",
                        ruleError, "< 1e-5", ruleError < 1e-5);
                org.normlab.norm.PreciseBn.restore(model, saved);
                float[] before = bns.get(0).runningMean().data().clone();
                model.forward(batch.inputs(), Mode.EVAL);
                double moved = 0;
                for (int i = 0; i < before.length; i++) moved = Math.max(moved, Math.abs(before[i] - bns.get(0).runningMean().data()[i]));
                add(check, value, threshold, passed, "EVAL leaves the running statistics untouched", moved, "= 0", moved == 0);
                double identity = 0;
                for (var bn : bns) identity = Math.max(identity, identityRecoveryError(bn.channels(), 7));
                add(check, value, threshold, passed, "γ = √(σ² + ε), β = μ makes every BN the identity (max |BN(x) − x|)", identity, "< 1e-4",
                        identity < 1e-4);
            }
        } finally {
            org.normlab.norm.PreciseBn.restore(model, saved);
        }
        return Table.create("sanity checks", check, value, threshold, passed);
    }

    private static void add(StringColumn check, DoubleColumn value, StringColumn threshold, tech.tablesaw.api.BooleanColumn passed,
                            String what, double v, String limit, boolean ok) {
        check.append(what);
        value.append(v);
        threshold.append(limit);
        passed.append(ok);
    }

    /** Claim C1 on a fresh BatchNorm(C): max |BN(x) − x| in TRAIN mode with γ = √(σ²_batch + ε), β = μ_batch. */
    public static double identityRecoveryError(int channels, long seed) {
        var bn = new org.normlab.norm.BatchNorm(channels);
        Tensor x = Tensor.randn(new org.normlab.tensor.Rng(seed), 3f, 32, channels);
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

    /** |running mean − expected| after one TRAIN forward, for the first BN (its input captured by running the layers in order). */
    private static double runningStatisticsRuleError(Sequential model, org.normlab.data.Dataset batch) {
        Tensor x = batch.inputs();
        for (Layer layer : model.layers()) {
            if (layer instanceof org.normlab.norm.BatchNorm bn) {
                float[] old = bn.runningMean().data().clone();
                int n = x.dim(0), c = bn.channels(), inner = x.size() / (n * c);
                double m = bn.momentum() == null ? 1.0 / (bn.batchesTracked() + 1) : bn.momentum();
                bn.forward(x, Mode.TRAIN);
                double worst = 0;
                for (int ch = 0; ch < c; ch++) {
                    double mean = 0;
                    for (int s = 0; s < n; s++) for (int i = 0; i < inner; i++) mean += x.data()[(s * c + ch) * inner + i];
                    mean /= n * inner;
                    worst = Math.max(worst, Math.abs((1 - m) * old[ch] + m * mean - bn.runningMean().data()[ch]));
                }
                return worst;
            }
            x = layer.forward(x, Mode.TRAIN);
        }
        return Double.NaN;
    }

    /** Max relative error of analytic vs central-difference gradients for a few parameter entries (loss: cross-entropy). */
    private static double gradientCheck(Sequential model, org.normlab.data.Dataset batch) {
        var params = model.params();
        for (var p : params) p.zeroGrad();
        var saved = org.normlab.norm.PreciseBn.snapshot(model);
        var r = org.normlab.nn.SoftmaxCrossEntropy.evaluate(model.forward(batch.inputs(), Mode.TRAIN), batch.labels());
        model.backward(r.gradLogits());
        double worst = 0;
        org.normlab.tensor.Rng rng = new org.normlab.tensor.Rng(11);
        for (int k = 0; k < 8; k++) {
            var p = params.get(rng.nextInt(params.size()));
            int i = rng.nextInt(p.value().size());
            float original = p.value().data()[i], h = 1e-2f * Math.max(1f, Math.abs(original));
            p.value().data()[i] = original + h;
            double plus = org.normlab.nn.SoftmaxCrossEntropy.evaluate(model.forward(batch.inputs(), Mode.TRAIN), batch.labels()).loss();
            p.value().data()[i] = original - h;
            double minus = org.normlab.nn.SoftmaxCrossEntropy.evaluate(model.forward(batch.inputs(), Mode.TRAIN), batch.labels()).loss();
            p.value().data()[i] = original;
            double numeric = (plus - minus) / (2 * h), analytic = p.grad().data()[i];
            worst = Math.max(worst, Math.abs(numeric - analytic) / Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic)));
        }
        for (var p : params) p.zeroGrad();
        org.normlab.norm.PreciseBn.restore(model, saved);
        return worst;
    }
}
