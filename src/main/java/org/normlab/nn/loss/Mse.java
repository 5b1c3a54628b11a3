package org.normlab.nn.loss;

import org.normlab.tensor.Tensor;

/**
 * Mean squared error, as PyTorch's {@code mse_loss} (reduction "mean").
 *
 * <pre>
 * L       = (1/n) Σ_i (p_i − t_i)²         n = number of values (all dimensions)
 * dL/dp_i = 2 (p_i − t_i) / n
 * </pre>
 * Predictions and targets must have the same shape (PyTorch broadcasts a mismatch with only a warning, which
 * hides bugs such as [N,1] against [N]; here it is an error).
 */
public final class Mse {

    /** Loss value and its gradient with respect to the predictions. */
    public record Result(double loss, Tensor gradPredictions) {}

    private Mse() {}

    public static Result evaluate(Tensor predictions, Tensor targets) {
        if (!predictions.sameShape(targets)) {
            throw new IllegalArgumentException("Mse: predictions " + predictions.shapeString() + " and targets " + targets.shapeString()
                    + " must have the same shape");
        }
        int n = predictions.size();
        if (n == 0) throw new IllegalArgumentException("Mse: no values in predictions " + predictions.shapeString());
        float[] p = predictions.data(), t = targets.data();
        Tensor grad = Tensor.zeros(predictions.shape());
        float[] g = grad.data();
        double total = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) p[i] - t[i];
            total += d * d;
            g[i] = (float) (2 * d / n);
        }
        return new Result(total / n, grad);
    }
}
