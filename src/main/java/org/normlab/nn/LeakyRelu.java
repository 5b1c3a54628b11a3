package org.normlab.nn;

import org.normlab.tensor.Tensor;
import java.math.BigDecimal;

/**
 * Leaky ReLU, PyTorch's {@code LeakyReLU(negative_slope)}, as a layer of its own (DCGAN's discriminator uses slope
 * 0.2): {@link Activation#leakyRelu(double)} under the PyTorch class name, restricted to non-negative slopes. The math
 * (y = x for x > 0, else a·x) lives in {@link Activation}.
 */
public final class LeakyRelu implements Layer {
    private final double negativeSlope;
    private final Activation leaky;

    public LeakyRelu(double negativeSlope) {
        if (!(negativeSlope >= 0) || !Double.isFinite(negativeSlope)) {
            throw new IllegalArgumentException("LeakyReLU: negative slope must be non-negative and finite, got " + negativeSlope);
        }
        this.negativeSlope = negativeSlope;
        this.leaky = Activation.leakyRelu(negativeSlope);
    }

    public double negativeSlope() { return negativeSlope; }

    @Override
    public Tensor forward(Tensor x, Mode mode) { return leaky.forward(x, mode); }

    @Override
    public Tensor backward(Tensor dy) { return leaky.backward(dy); }

    @Override
    public String describe() { return "LeakyReLU(" + BigDecimal.valueOf(negativeSlope).stripTrailingZeros().toPlainString() + ")"; }
}
