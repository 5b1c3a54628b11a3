package org.normlab.nn;

import org.normlab.tensor.Tensor;

/**
 * Elementwise nonlinearities. Each keeps what its derivative needs from the forward pass.
 *
 * <pre>
 * ReLU:     y = max(0, x)          dy/dx = [x > 0]
 * Sigmoid:  y = 1 / (1 + e^(−x))    dy/dx = y(1 − y)
 * Tanh:     y = tanh x             dy/dx = 1 − y²
 * </pre>
 */
public final class Activation implements Layer {
    public enum Kind { RELU, SIGMOID, TANH }

    private final Kind kind;
    private Tensor saved;  // input for ReLU, output for sigmoid/tanh

    public Activation(Kind kind) { this.kind = kind; }

    public static Activation relu() { return new Activation(Kind.RELU); }
    public static Activation sigmoid() { return new Activation(Kind.SIGMOID); }
    public static Activation tanh() { return new Activation(Kind.TANH); }

    public Kind kind() { return kind; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.zeros(x.shape());
        float[] in = x.data(), out = y.data();
        switch (kind) {
            case RELU -> { for (int i = 0; i < in.length; i++) out[i] = in[i] > 0 ? in[i] : 0f; saved = x; }
            case SIGMOID -> { for (int i = 0; i < in.length; i++) out[i] = (float) (1 / (1 + Math.exp(-in[i]))); saved = y; }
            case TANH -> { for (int i = 0; i < in.length; i++) out[i] = (float) Math.tanh(in[i]); saved = y; }
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (saved == null) throw new IllegalStateException(describe() + ": backward called before forward");
        if (!dy.sameShape(saved)) {
            throw new IllegalArgumentException(describe() + ": expected gradient " + saved.shapeString() + ", got " + dy.shapeString());
        }
        Tensor dx = Tensor.zeros(dy.shape());
        float[] g = dy.data(), s = saved.data(), out = dx.data();
        switch (kind) {
            case RELU -> { for (int i = 0; i < g.length; i++) out[i] = s[i] > 0 ? g[i] : 0f; }
            case SIGMOID -> { for (int i = 0; i < g.length; i++) out[i] = g[i] * s[i] * (1 - s[i]); }
            case TANH -> { for (int i = 0; i < g.length; i++) out[i] = g[i] * (1 - s[i] * s[i]); }
        }
        return dx;
    }

    @Override
    public String describe() {
        return switch (kind) { case RELU -> "ReLU"; case SIGMOID -> "Sigmoid"; case TANH -> "Tanh"; };
    }
}
