package org.normlab.nn;

import org.normlab.tensor.Tensor;

/**
 * SiLU (swish), PyTorch's {@code SiLU}: the activation of EfficientNet.
 *
 * <pre>
 * forward:   y = x·σ(x),   σ(x) = 1 / (1 + e^(−x))
 * backward:  dx = dy · σ(x)·(1 + x·(1 − σ(x)))
 * </pre>
 * Forward keeps σ(x) for backward, so the exponential is computed once per value and step.
 */
public final class Silu implements Layer {
    private Tensor input;
    private float[] sigmoid;

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.zeros(x.shape());
        float[] in = x.data(), out = y.data(), s = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            s[i] = (float) (1 / (1 + Math.exp(-in[i])));
            out[i] = in[i] * s[i];
        }
        input = x;
        sigmoid = s;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (input == null) throw new IllegalStateException(describe() + ": backward called before forward");
        if (!dy.sameShape(input)) {
            throw new IllegalArgumentException(describe() + ": expected gradient " + input.shapeString() + ", got " + dy.shapeString());
        }
        Tensor dx = Tensor.zeros(dy.shape());
        float[] in = input.data(), g = dy.data(), out = dx.data(), s = sigmoid;
        for (int i = 0; i < in.length; i++) out[i] = g[i] * s[i] * (1 + in[i] * (1 - s[i]));
        return dx;
    }

    @Override
    public String describe() { return "SiLU"; }
}
