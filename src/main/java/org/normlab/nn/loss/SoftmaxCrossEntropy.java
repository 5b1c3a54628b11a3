package org.normlab.nn.loss;

import org.normlab.tensor.Tensor;

/**
 * Mean softmax cross-entropy over a batch of logits, as PyTorch's {@code cross_entropy}.
 *
 * <pre>
 * p_nk = exp(z_nk − max_k z_n) / Σ_j exp(z_nj − max_k z_n)
 * L    = −(1/N) Σ_n log p_{n,y_n}
 * dL/dz_nk = (p_nk − [k = y_n]) / N
 * </pre>
 */
public final class SoftmaxCrossEntropy {

    /** Loss value, gradient with respect to the logits, and the number of correct argmax predictions. */
    public record Result(double loss, Tensor gradLogits, int correct) {}

    private SoftmaxCrossEntropy() {}

    public static Result evaluate(Tensor logits, int[] labels) {
        if (logits.rank() != 2) throw new IllegalArgumentException("SoftmaxCrossEntropy: expected logits [N,K], got " + logits.shapeString());
        int n = logits.dim(0), k = logits.dim(1);
        if (labels.length != n) {
            throw new IllegalArgumentException("SoftmaxCrossEntropy: " + n + " rows of logits but " + labels.length + " labels");
        }
        float[] z = logits.data();
        Tensor grad = Tensor.zeros(n, k);
        float[] g = grad.data();
        double total = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            if (y < 0 || y >= k) throw new IllegalArgumentException("SoftmaxCrossEntropy: label " + y + " at row " + i + " is outside [0," + k + ")");
            int off = i * k, argmax = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) if (z[off + j] > max) { max = z[off + j]; argmax = j; }
            double sum = 0;
            for (int j = 0; j < k; j++) sum += Math.exp(z[off + j] - max);
            double logSum = Math.log(sum) + max;
            total += logSum - z[off + y];
            for (int j = 0; j < k; j++) g[off + j] = (float) (Math.exp(z[off + j] - logSum) / n);
            g[off + y] -= 1f / n;
            if (argmax == y) correct++;
        }
        return new Result(total / n, grad, correct);
    }
}
