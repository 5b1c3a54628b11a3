package org.normlab.nn;

import org.normlab.kernels.ExactSigmoid;
import org.normlab.kernels.Parallelism;
import org.normlab.kernels.ReusedTensor;
import org.normlab.tensor.Tensor;

/**
 * Elementwise nonlinearities. Each keeps what its derivative needs from the forward pass.
 *
 * <pre>
 * ReLU:       y = max(0, x)                  dy/dx = [x > 0]
 * Sigmoid:    y = σ(x) = 1 / (1 + e^(−x))     dy/dx = y(1 − y)
 * Tanh:       y = tanh x                     dy/dx = 1 − y²
 * LeakyReLU:  y = x if x > 0, else a·x       dy/dx = 1 if x > 0, else a      (a = negative slope, 0.01 by default)
 * SiLU:       y = x·σ(x)   (a.k.a. Swish)    dy/dx = σ(x)·(1 + x·(1 − σ(x)))
 * </pre>
 * At x = 0 the derivatives follow PyTorch: 0 for ReLU, a for LeakyReLU.
 *
 * <p>Output and input-gradient buffers are reused while the shape repeats (no allocation in steady training): a
 * returned tensor stays valid until this layer's next forward (backward); copy it to keep it longer. An EVAL
 * forward saves nothing for a backward; its output is a tensor of its own, held softly until the next TRAIN step.
 */
public final class Activation implements Layer {
    public enum Kind { RELU, SIGMOID, TANH, LEAKY_RELU, SILU }

    /** PyTorch's default negative slope for {@code nn.LeakyReLU}. */
    public static final double DEFAULT_NEGATIVE_SLOPE = 0.01;

    private final Kind kind;
    private final double negativeSlope;  // used by LEAKY_RELU only
    private final Saved<Tensor> saved = new Saved<>();  // input for ReLU, LeakyReLU and SiLU; output for sigmoid/tanh
    private final ReusedTensor output = new ReusedTensor(), gradInput = new ReusedTensor();  // every element is rewritten by each call

    /** An activation of the given kind; LEAKY_RELU gets the default slope 0.01. */
    public Activation(Kind kind) { this(kind, DEFAULT_NEGATIVE_SLOPE); }

    private Activation(Kind kind, double negativeSlope) {
        if (kind == null) throw new IllegalArgumentException("Activation: kind must not be null");
        if (!Double.isFinite(negativeSlope)) {
            throw new IllegalArgumentException("LeakyReLU: negative slope must be finite, got " + negativeSlope);
        }
        this.kind = kind;
        this.negativeSlope = negativeSlope;
    }

    public static Activation relu() { return new Activation(Kind.RELU); }
    public static Activation sigmoid() { return new Activation(Kind.SIGMOID); }
    public static Activation tanh() { return new Activation(Kind.TANH); }
    public static Activation leakyRelu() { return new Activation(Kind.LEAKY_RELU); }
    public static Activation leakyRelu(double negativeSlope) { return new Activation(Kind.LEAKY_RELU, negativeSlope); }
    public static Activation silu() { return new Activation(Kind.SILU); }

    public Kind kind() { return kind; }

    /** The slope a for x ≤ 0 of LeakyReLU (meaningless for the other kinds). */
    public double negativeSlope() { return negativeSlope; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = output.take(mode == Mode.TRAIN, x.shape());
        float[] in = x.data(), out = y.data();
        saved.keep(mode, kind == Kind.SIGMOID || kind == Kind.TANH ? y : x);
        // Elementwise, so any split over the kernel threads gives the same values.
        int blocks = (in.length + BLOCK - 1) / BLOCK;
        Parallelism.forEach(blocks, 2L * in.length, b -> forward(in, out, b * BLOCK, Math.min(in.length, (b + 1) * BLOCK)));
        return y;
    }

    /** Elements per unit of work handed to {@link Parallelism}. */
    private static final int BLOCK = 1 << 14;

    private void forward(float[] in, float[] out, int from, int to) {
        switch (kind) {
            case RELU -> { for (int i = from; i < to; i++) out[i] = in[i] > 0 ? in[i] : 0f; }
            case SIGMOID -> ExactSigmoid.sigmoid(in, out, from, to);  // (float) σ(x), vectorized where the module is
            case TANH -> { for (int i = from; i < to; i++) out[i] = (float) Math.tanh(in[i]); }
            case LEAKY_RELU -> {
                float a = (float) negativeSlope;
                for (int i = from; i < to; i++) out[i] = in[i] > 0 ? in[i] : a * in[i];
            }
            case SILU -> ExactSigmoid.silu(in, out, from, to);
        }
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor kept = saved.get(this);
        Layer.checkGradient(this, kept, dy);
        Tensor dx = gradInput.reuse(dy.shape());
        float[] g = dy.data(), s = kept.data(), out = dx.data();
        int blocks = (g.length + BLOCK - 1) / BLOCK;
        Parallelism.forEach(blocks, 3L * g.length, b -> backward(g, s, out, b * BLOCK, Math.min(g.length, (b + 1) * BLOCK)));
        return dx;
    }

    private void backward(float[] g, float[] s, float[] out, int from, int to) {
        switch (kind) {
            case RELU -> { for (int i = from; i < to; i++) out[i] = s[i] > 0 ? g[i] : 0f; }
            case SIGMOID -> { for (int i = from; i < to; i++) out[i] = g[i] * s[i] * (1 - s[i]); }
            case TANH -> { for (int i = from; i < to; i++) out[i] = g[i] * (1 - s[i] * s[i]); }
            case LEAKY_RELU -> {
                float a = (float) negativeSlope;
                for (int i = from; i < to; i++) out[i] = s[i] > 0 ? g[i] : a * g[i];
            }
            case SILU -> {
                for (int i = from; i < to; i++) {
                    double sig = ExactSigmoid.sigmoid(s[i]);
                    out[i] = (float) (g[i] * sig * (1 + s[i] * (1 - sig)));
                }
            }
        }
    }

    @Override
    public String describe() {
        return switch (kind) {
            case RELU -> "ReLU";
            case SIGMOID -> "Sigmoid";
            case TANH -> "Tanh";
            case LEAKY_RELU -> "LeakyReLU(" + negativeSlope + ")";
            case SILU -> "SiLU";
        };
    }
}
