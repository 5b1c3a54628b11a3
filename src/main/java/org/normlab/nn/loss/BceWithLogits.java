package org.normlab.nn.loss;

import org.normlab.tensor.Tensor;

/**
 * Mean binary cross-entropy on logits, as PyTorch's {@code binary_cross_entropy_with_logits} (reduction "mean").
 *
 * <pre>
 * ℓ_i  = −[t_i·log σ(z_i) + (1 − t_i)·log(1 − σ(z_i))]
 *      = max(z_i, 0) − z_i·t_i + log(1 + e^(−|z_i|))      (the same value, computed without overflow)
 * L    = (1/n) Σ_i ℓ_i                                       n = number of values (all dimensions)
 * dL/dz_i = (σ(z_i) − t_i) / n
 * </pre>
 * Targets may be soft (any value in [0, 1]); logits and targets must have the same shape.
 */
public final class BceWithLogits {

    /** Loss value and its gradient with respect to the logits. */
    public record Result(double loss, Tensor gradLogits) {}

    private BceWithLogits() {}

    public static Result evaluate(Tensor logits, Tensor targets) {
        if (!logits.sameShape(targets)) {
            throw new IllegalArgumentException("BceWithLogits: logits " + logits.shapeString() + " and targets " + targets.shapeString()
                    + " must have the same shape");
        }
        int n = logits.size();
        if (n == 0) throw new IllegalArgumentException("BceWithLogits: no values in logits " + logits.shapeString());
        float[] z = logits.data(), t = targets.data();
        Tensor grad = Tensor.zeros(logits.shape());
        float[] g = grad.data();
        double total = 0;
        for (int i = 0; i < n; i++) {
            double zi = z[i], ti = t[i];
            if (!(ti >= 0 && ti <= 1)) throw new IllegalArgumentException("BceWithLogits: target " + t[i] + " at index " + i + " is outside [0,1]");
            total += Math.max(zi, 0) - zi * ti + Math.log1p(Math.exp(-Math.abs(zi)));
            g[i] = (float) ((sigmoid(zi) - ti) / n);
        }
        return new Result(total / n, grad);
    }

    /** σ(z) without overflow for large |z|. */
    static double sigmoid(double z) {
        if (z >= 0) return 1 / (1 + Math.exp(-z));
        double e = Math.exp(z);
        return e / (1 + e);
    }
}
