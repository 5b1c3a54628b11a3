package org.normlab.nn;

import org.normlab.tensor.Tensor;

/**
 * Leaky ReLU, PyTorch's {@code LeakyReLU(negative_slope)}; DCGAN's discriminator uses slope 0.2.
 *
 * <pre>
 * forward:   y = x for x &gt; 0,  a·x otherwise
 * backward:  dx = dy for x &gt; 0,  a·dy otherwise
 * </pre>
 */
public final class LeakyRelu implements Layer {
    private final double negativeSlope;
    private final float slope;
    private Tensor input;

    public LeakyRelu(double negativeSlope) {
        if (!(negativeSlope >= 0) || !Double.isFinite(negativeSlope)) {
            throw new IllegalArgumentException("LeakyReLU: negative slope must be non-negative and finite, got " + negativeSlope);
        }
        this.negativeSlope = negativeSlope;
        this.slope = (float) negativeSlope;
    }

    public double negativeSlope() { return negativeSlope; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.zeros(x.shape());
        float[] in = x.data(), out = y.data();
        for (int i = 0; i < in.length; i++) out[i] = in[i] > 0 ? in[i] : slope * in[i];
        input = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (input == null) throw new IllegalStateException(describe() + ": backward called before forward");
        if (!dy.sameShape(input)) {
            throw new IllegalArgumentException(describe() + ": expected gradient " + input.shapeString() + ", got " + dy.shapeString());
        }
        Tensor dx = Tensor.zeros(dy.shape());
        float[] in = input.data(), g = dy.data(), out = dx.data();
        for (int i = 0; i < in.length; i++) out[i] = in[i] > 0 ? g[i] : slope * g[i];
        return dx;
    }

    @Override
    public String describe() { return "LeakyReLU(" + java.math.BigDecimal.valueOf(negativeSlope).stripTrailingZeros().toPlainString() + ")"; }
}
