package org.normlab.nn;

import org.normlab.tensor.Tensor;

/**
 * SiLU (swish), PyTorch's {@code SiLU}: the activation of EfficientNet.
 *
 * <pre>
 * forward:   y = x·σ(x),   σ(x) = 1 / (1 + e^(−x))
 * backward:  dx = dy · σ(x)·(1 + x·(1 − σ(x)))
 * </pre>
 */
public final class Silu implements Layer {
    private Tensor input;

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.zeros(x.shape());
        float[] in = x.data(), out = y.data();
        for (int i = 0; i < in.length; i++) out[i] = (float) (in[i] / (1 + Math.exp(-in[i])));
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
        for (int i = 0; i < in.length; i++) {
            double s = 1 / (1 + Math.exp(-in[i]));
            out[i] = (float) (g[i] * s * (1 + in[i] * (1 - s)));
        }
        return dx;
    }

    @Override
    public String describe() { return "SiLU"; }
}
