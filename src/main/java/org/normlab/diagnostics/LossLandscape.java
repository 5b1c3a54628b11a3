package org.normlab.diagnostics;

import java.util.Arrays;
import java.util.List;
import org.normlab.data.Dataset;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.nn.loss.SoftmaxCrossEntropy;
import org.normlab.norm.RunningStatistics;
import org.normlab.train.Trainer;

/**
 * How smooth the loss is along the gradient direction (Santurkar et al. 2018, "How does batch normalization help
 * optimization?", Fig. 4). At parameters θ with loss L and gradient g = ∇L(θ), step along −g with step sizes η₁ … η_K:
 *
 * <pre>
 *   θ_k = θ − η_k·g,      L_k = L(θ_k),      g_k = ∇L(θ_k)
 *
 *   loss range              = max_k L_k − min_k L_k                  (Fig. 4a, "loss landscape")
 *   gradient change         = max_k ‖g − g_k‖                        (Fig. 4b, "gradient predictiveness")
 *   effective β-smoothness  = max_k ‖g − g_k‖ / ‖θ − θ_k‖ = max_k ‖g − g_k‖ / (η_k‖g‖)   (Fig. 4c)
 * </pre>
 * A smooth, predictable landscape has a small range of losses and gradients that barely change along the step.
 * Sums of squares accumulate in double.
 */
public final class LossLandscape {
    /** Metric names the {@link #hook} logs. */
    public static final String LOSS_RANGE = "landscape/loss_range", GRAD_CHANGE = "landscape/grad_change",
            BETA_SMOOTHNESS = "landscape/beta_smoothness";
    /** Step sizes as multiples of the learning rate (Santurkar et al.'s 0.05 … 0.4 range). */
    public static final double[] STEP_MULTIPLIERS = {0.05, 0.1, 0.2, 0.3, 0.4};

    private LossLandscape() {}

    /** A differentiable scalar function of a flat parameter vector. */
    @FunctionalInterface
    public interface Objective {
        /** Returns L(θ) and writes ∇L(θ) into {@code gradient} (same length as θ). */
        double evaluate(double[] theta, double[] gradient);
    }

    /** The three measurements at one point, and the gradient norm ‖g‖ there. */
    public record Measurement(double loss, double gradNorm, double lossRange, double gradChange, double betaSmoothness) {}

    /** Measures the landscape of {@code f} at {@code theta} along −∇f with the given (positive) step sizes. */
    public static Measurement measure(Objective f, double[] theta, double[] stepSizes) {
        if (stepSizes.length == 0) throw new IllegalArgumentException("LossLandscape: needs at least one step size");
        for (double eta : stepSizes) {
            if (!(eta > 0) || !Double.isFinite(eta)) throw new IllegalArgumentException("LossLandscape: step sizes must be positive, got " + Arrays.toString(stepSizes));
        }
        int d = theta.length;
        double[] g = new double[d], gk = new double[d], thetaK = new double[d];
        double loss = f.evaluate(theta.clone(), g);
        double gNorm = norm(g);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, maxChange = 0, maxBeta = 0;
        for (double eta : stepSizes) {
            for (int i = 0; i < d; i++) thetaK[i] = theta[i] - eta * g[i];
            Arrays.fill(gk, 0);
            double lk = f.evaluate(thetaK, gk);
            lo = Math.min(lo, lk);
            hi = Math.max(hi, lk);
            double sq = 0;
            for (int i = 0; i < d; i++) sq += (g[i] - gk[i]) * (g[i] - gk[i]);
            double change = Math.sqrt(sq);
            maxChange = Math.max(maxChange, change);
            maxBeta = Math.max(maxBeta, gNorm == 0 ? 0 : change / (eta * gNorm));
        }
        return new Measurement(loss, gNorm, hi - lo, maxChange, maxBeta);
    }

    /**
     * Softmax cross-entropy of {@code model} on {@code batch} in TRAIN mode (BatchNorm with batch statistics, as in
     * training) as a function of all its parameters, flattened in {@link Layer#params()} order. Each evaluation
     * overwrites the parameters and their gradients, and TRAIN-mode forwards move running statistics: the caller
     * restores them ({@link #hook} does).
     */
    public static Objective classifierLoss(Layer model, Dataset batch) {
        List<Param> params = model.params();
        return (theta, gradient) -> {
            set(params, theta);
            for (Param p : params) p.zeroGrad();
            SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.evaluate(model.forward(batch.inputs(), Mode.TRAIN), batch.labels());
            model.backward(r.gradLogits());
            int i = 0;
            for (Param p : params) for (float v : p.grad().data()) gradient[i++] = v;
            return r.loss();
        };
    }

    /** All parameter values, flattened in {@link Layer#params()} order. */
    public static double[] flatten(List<Param> params) {
        int n = 0;
        for (Param p : params) n += p.value().size();
        double[] theta = new double[n];
        int i = 0;
        for (Param p : params) for (float v : p.value().data()) theta[i++] = v;
        return theta;
    }

    private static void set(List<Param> params, double[] theta) {
        int i = 0;
        for (Param p : params) {
            float[] v = p.value().data();
            for (int j = 0; j < v.length; j++) v[j] = (float) theta[i++];
        }
    }

    /**
     * A trainer hook that measures the landscape at every log point on a fixed {@code batch} of training examples,
     * with step sizes {@link #STEP_MULTIPLIERS} × {@code lr}, and logs {@link #LOSS_RANGE}, {@link #GRAD_CHANGE} and
     * {@link #BETA_SMOOTHNESS}. Parameters, gradients and BatchNorm running statistics are put back afterwards.
     */
    @SuppressWarnings("try")  // the resource is not named in the body: closing it restores the running statistics
    public static Trainer.Hook hook(Dataset batch, double lr) {
        double[] steps = Arrays.stream(STEP_MULTIPLIERS).map(k -> k * lr).toArray();
        return (step, epoch, model, log) -> {
            List<Param> params = model.params();
            double[] theta = flatten(params);
            List<float[]> grads = params.stream().map(p -> p.grad().data().clone()).toList();
            Measurement m;
            try (RunningStatistics frozen = RunningStatistics.frozen(model)) {
                m = measure(classifierLoss(model, batch), theta, steps);
            } finally {
                set(params, theta);
                for (int i = 0; i < params.size(); i++) System.arraycopy(grads.get(i), 0, params.get(i).grad().data(), 0, grads.get(i).length);
            }
            log.add(step, epoch, LOSS_RANGE, m.lossRange());
            log.add(step, epoch, GRAD_CHANGE, m.gradChange());
            log.add(step, epoch, BETA_SMOOTHNESS, m.betaSmoothness());
        };
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s);
    }
}
