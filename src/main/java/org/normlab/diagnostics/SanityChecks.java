package org.normlab.diagnostics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.normlab.data.Dataset;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.nn.Sequential;
import org.normlab.nn.Wrapper;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.RunningStatistics;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A checklist for any {@link Sequential} with (or without) BatchNorm (claim C16): the checks one runs on a hand-written
 * BN before trusting a training curve. Each check is a number against a threshold:
 * <ol>
 *   <li><b>gradient</b>: for every parameter tensor θ, the analytic directional derivative ∇L·d against the central
 *       difference (L(θ + h·d) − L(θ − h·d)) / 2h along a random Gaussian direction d, with L = Σ r·y for a fixed random
 *       r (so any output shape works, no labels needed) and h = s · max(rms(θ), 0.1) for s in {10⁻⁴, 10⁻³, 10⁻²}; the
 *       error of a direction is the smallest relative error |num − ana| / (|num| + |ana|) over the three steps (float32:
 *       rounding spoils small steps, ReLU kinks large ones); per tensor the median over 3 directions; reported: the
 *       largest over tensors and which tensor it was. A wrong backward is off by tens of percent at every step;</li>
 *   <li><b>train/eval switch</b>: EVAL is deterministic and one example's EVAL output does not depend on the rest of its
 *       batch; TRAIN output does depend on the batch exactly when the model has a BN;</li>
 *   <li><b>running statistics</b>, per BN: after one TRAIN forward, running mean = (1 − m)·old + m·μ_B and running
 *       variance = (1 − m)·old + m·σ²_B·n/(n − 1) (PyTorch stores the unbiased variance); an EVAL forward leaves both
 *       untouched;</li>
 *   <li><b>identity recovery</b> (claim C1), per BN: with γ = √(σ²_B + ε) and β = μ_B of the very input the layer sees
 *       in the model, BN(x) = x, measured as max |BN(x) − x| / max |x|.</li>
 * </ol>
 * The per-BN checks cover BatchNorms at the top level of the Sequential (also when wrapped, e.g. by {@link Faults});
 * BNs nested inside blocks are counted by the switch checks only. Models with dropout fail the gradient check by
 * construction (each forward draws new masks). The model is left exactly as it was: parameters, gradients and
 * running statistics are restored.
 */
public final class SanityChecks {
    private SanityChecks() {}

    public static final double GRADIENT_TOLERANCE = 0.1;
    /** Random directions per parameter tensor; the median error counts (one ReLU kink crossed by one direction is not a bug). */
    static final int DIRECTIONS = 3;
    /**
     * Step sizes relative to max(rms(θ), 0.1); per direction the best agreement counts. In float32 a small step drowns
     * in rounding and a large one crosses ReLU kinks; a correct gradient agrees at some step, a wrong one at none.
     */
    static final double[] STEPS = {1e-4, 1e-3, 1e-2};
    public static final double SWITCH_TOLERANCE = 1e-6;
    public static final double RUNNING_TOLERANCE = 1e-5;
    public static final double IDENTITY_TOLERANCE = 1e-4;

    /** Runs the checklist on {@code model} with inputs from {@code data} (at least 63 examples). */
    public static Table run(Sequential model, Dataset data) {
        if (data.size() < 63) throw new IllegalArgumentException("SanityChecks: needs at least 63 examples, got " + data.size());
        StringColumn check = StringColumn.create("check"), where = StringColumn.create("where"), threshold = StringColumn.create("threshold");
        DoubleColumn value = DoubleColumn.create("value");
        BooleanColumn passed = BooleanColumn.create("passed");
        var rows = new Object() {
            void add(String what, String at, double v, String limit, boolean ok) {
                check.append(what); where.append(at); value.append(v); threshold.append(limit); passed.append(ok);
            }
        };
        List<BatchNorm> bns = PreciseBn.batchNorms(model);
        Tensor x = data.head(16).inputs();
        try (RunningStatistics frozen = RunningStatistics.frozen(model)) {
            String[] worst = new String[1];
            double grad = gradientCheck(model, x, worst);
            rows.add("gradient: analytic vs central difference along a random direction (max relative error over tensors)", worst[0], grad,
                    "< " + GRADIENT_TOLERANCE, grad < GRADIENT_TOLERANCE);

            // A copy: layers reuse their output buffers, so the second forward may write into the first one's.
            float[] first = model.forward(x, Mode.EVAL).data().clone(), second = model.forward(x, Mode.EVAL).data();
            frozen.restore();
            double repeat = maxAbsDifference(first, second);
            rows.add("switch: EVAL twice on the same batch gives the same output", "model", repeat, "< " + SWITCH_TOLERANCE, repeat < SWITCH_TOLERANCE);
            double evalDependence = Diagnostics.batchDependence(model, data, Mode.EVAL);
            rows.add("switch: in EVAL an example's output does not depend on its batch", "model", evalDependence, "< " + SWITCH_TOLERANCE,
                    evalDependence < SWITCH_TOLERANCE);
            double trainDependence = Diagnostics.batchDependence(model, data, Mode.TRAIN);
            boolean hasBn = !bns.isEmpty();
            rows.add("switch: in TRAIN an example's output depends on its batch " + (hasBn ? "(the model has BN: it must)" : "(no BN: it must not)"),
                    "model", trainDependence, hasBn ? "> " + SWITCH_TOLERANCE : "< " + SWITCH_TOLERANCE,
                    hasBn ? trainDependence > SWITCH_TOLERANCE : trainDependence < SWITCH_TOLERANCE);

            for (PerBn r : perBatchNorm(model, x, frozen)) {
                rows.add("running mean after one TRAIN step = (1 − m)·old + m·batch mean", r.name, r.meanRule, "< " + RUNNING_TOLERANCE,
                        r.meanRule < RUNNING_TOLERANCE);
                rows.add("running var after one TRAIN step = (1 − m)·old + m·unbiased batch var", r.name, r.varRule, "< " + RUNNING_TOLERANCE,
                        r.varRule < RUNNING_TOLERANCE);
                rows.add("EVAL leaves running mean and var untouched (max change)", r.name, r.evalMoved, "= 0", r.evalMoved == 0);
                rows.add("identity: γ = √(σ²+ε), β = μ of its own input gives BN(x) = x (max |BN(x) − x| / max |x|)", r.name, r.identity,
                        "< " + IDENTITY_TOLERANCE, r.identity < IDENTITY_TOLERANCE);
            }
        }
        return Table.create("sanity checks", check, where, value, threshold, passed);
    }

    /** How many checks of a {@link #run} table failed. */
    public static int failures(Table checks) {
        int failed = 0;
        for (int i = 0; i < checks.rowCount(); i++) if (!checks.booleanColumn("passed").get(i)) failed++;
        return failed;
    }

    private record PerBn(String name, double meanRule, double varRule, double evalMoved, double identity) {}

    /** The BN itself, or the BN inside a wrapper, or null. */
    private static BatchNorm batchNormOf(Layer layer) {
        if (layer instanceof BatchNorm bn) return bn;
        if (layer instanceof Wrapper w && w.inner() instanceof BatchNorm bn) return bn;
        return null;
    }

    /** Runs the top-level layers in order (TRAIN), checking each BN on the input it receives there. */
    private static List<PerBn> perBatchNorm(Sequential model, Tensor batch, RunningStatistics frozen) {
        List<PerBn> out = new ArrayList<>();
        List<Layer> layers = model.layers();
        Tensor x = batch;
        for (int index = 0; index < layers.size(); index++) {
            Layer layer = layers.get(index);
            BatchNorm bn = batchNormOf(layer);
            if (bn != null) {
                String name = index + ": " + layer.describe();
                int n = x.dim(0), c = bn.channels(), inner = x.size() / (n * c), m = n * inner;
                double[] mu = new double[c], var = new double[c];
                float[] in = x.data();
                for (int ch = 0; ch < c; ch++) {
                    for (int s = 0; s < n; s++) for (int i = 0; i < inner; i++) mu[ch] += in[(s * c + ch) * inner + i];
                    mu[ch] /= m;
                    for (int s = 0; s < n; s++) for (int i = 0; i < inner; i++) var[ch] += Math.pow(in[(s * c + ch) * inner + i] - mu[ch], 2);
                    var[ch] /= m; // biased, as used for normalizing
                }
                // Running-statistics rule: one TRAIN forward of this layer on its own input.
                float[] oldMean = bn.runningMean().data().clone(), oldVar = bn.runningVar().data().clone();
                double f = bn.momentum() == null ? 1.0 / (bn.batchesTracked() + 1) : bn.momentum();
                Tensor y = layer.forward(x, Mode.TRAIN).copy();  // the EVAL and identity forwards below reuse its buffer
                double meanRule = 0, varRule = 0;
                for (int ch = 0; ch < c; ch++) {
                    double expectMean = (1 - f) * oldMean[ch] + f * mu[ch], expectVar = (1 - f) * oldVar[ch] + f * var[ch] * m / (m - 1);
                    meanRule = Math.max(meanRule, Math.abs(expectMean - bn.runningMean().data()[ch]) / Math.max(1, Math.abs(expectMean)));
                    varRule = Math.max(varRule, Math.abs(expectVar - bn.runningVar().data()[ch]) / Math.max(1, Math.abs(expectVar)));
                }
                // EVAL must not move the running statistics.
                float[] beforeMean = bn.runningMean().data().clone(), beforeVar = bn.runningVar().data().clone();
                layer.forward(x, Mode.EVAL);
                double moved = Math.max(maxAbsDifference(beforeMean, bn.runningMean().data()), maxAbsDifference(beforeVar, bn.runningVar().data()));
                // Identity recovery with the layer's own γ, β set from its input's batch statistics.
                double identity = Double.NaN;
                if (bn.gamma() != null) {
                    float[] gamma = bn.gamma().value().data(), beta = bn.beta().value().data();
                    float[] keepGamma = gamma.clone(), keepBeta = beta.clone();
                    for (int ch = 0; ch < c; ch++) { gamma[ch] = (float) Math.sqrt(var[ch] + bn.eps()); beta[ch] = (float) mu[ch]; }
                    float[] recovered = layer.forward(x, Mode.TRAIN).data();
                    System.arraycopy(keepGamma, 0, gamma, 0, c);
                    System.arraycopy(keepBeta, 0, beta, 0, c);
                    double scale = 0;
                    for (float v : in) scale = Math.max(scale, Math.abs(v));
                    identity = maxAbsDifference(recovered, in) / Math.max(scale, 1e-12);
                }
                out.add(new PerBn(name, meanRule, varRule, moved, identity));
                x = y;
            } else {
                x = layer.forward(x, Mode.TRAIN);
            }
        }
        frozen.restore();
        return out;
    }

    /** Largest relative error of the directional derivative over parameter tensors; {@code worst[0]} names the tensor. */
    static double gradientCheck(Sequential model, Tensor x, String[] worst) {
        try (RunningStatistics frozen = RunningStatistics.frozen(model)) {
            return gradientCheck(model, x, worst, frozen);
        }
    }

    private static double gradientCheck(Sequential model, Tensor x, String[] worst, RunningStatistics frozen) {
        Rng rng = new Rng(20_16);
        Tensor y = model.forward(x, Mode.TRAIN);
        Tensor r = Tensor.randn(rng, 1f, y.shape());
        List<Param> params = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < model.layers().size(); i++) {
            Layer layer = model.layers().get(i);
            for (Param p : layer.params()) { params.add(p); names.add(i + ": " + layer.describe() + " " + p.name()); }
        }
        List<float[]> keptGrads = new ArrayList<>();
        for (Param p : params) { keptGrads.add(p.grad().data().clone()); p.zeroGrad(); }
        model.backward(r);
        frozen.restore();
        double max = 0;
        worst[0] = "no parameters";
        for (int k = 0; k < params.size(); k++) {
            Param p = params.get(k);
            float[] theta = p.value().data(), keep = theta.clone(), g = p.grad().data();
            double rms = 0;
            for (float v : theta) rms += (double) v * v;
            rms = Math.sqrt(rms / theta.length);
            double[] errors = new double[DIRECTIONS];
            for (int t = 0; t < DIRECTIONS; t++) {
                Tensor d = Tensor.randn(rng, 1f, p.value().shape());
                double analytic = 0;
                for (int i = 0; i < theta.length; i++) analytic += (double) g[i] * d.data()[i];
                errors[t] = Double.POSITIVE_INFINITY;
                for (double step : STEPS) {
                    double h = step * Math.max(rms, 0.1);
                    for (int i = 0; i < theta.length; i++) theta[i] = (float) (keep[i] + h * d.data()[i]);
                    double plus = dot(model.forward(x, Mode.TRAIN), r);
                    for (int i = 0; i < theta.length; i++) theta[i] = (float) (keep[i] - h * d.data()[i]);
                    double minus = dot(model.forward(x, Mode.TRAIN), r);
                    System.arraycopy(keep, 0, theta, 0, theta.length);
                    frozen.restore();
                    double numeric = (plus - minus) / (2 * h);
                    errors[t] = Math.min(errors[t], Math.abs(numeric - analytic) / Math.max(Math.abs(numeric) + Math.abs(analytic), 1e-6));
                }
            }
            Arrays.sort(errors);
            double error = errors[DIRECTIONS / 2];
            if (error >= max) { max = error; worst[0] = names.get(k); }
        }
        for (int k = 0; k < params.size(); k++) System.arraycopy(keptGrads.get(k), 0, params.get(k).grad().data(), 0, keptGrads.get(k).length);
        return max;
    }

    private static double dot(Tensor y, Tensor r) {
        double s = 0;
        for (int i = 0; i < y.size(); i++) s += (double) y.data()[i] * r.data()[i];
        return s;
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }

    /** One line: "12 checks, 0 failed". */
    public static String summary(Table checks) {
        return String.format(Locale.ROOT, "%d checks, %d failed", checks.rowCount(), failures(checks));
    }
}
