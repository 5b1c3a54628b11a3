package org.normlab.nn;

import org.normlab.tensor.Tensor;

/**
 * Adds a constant to every input value, e.g. −0.5 to centre [0, 1] pixels so that a blank image row is not the
 * zero vector (a row of zeros makes every per-sample normalization of W·x see zero variance).
 *
 * <pre>forward: y = x + c   backward: dx = dy</pre>
 */
public final class Shift implements Layer {
    private final float c;

    public Shift(double c) {
        if (!Double.isFinite(c)) throw new IllegalArgumentException("Shift: the constant must be finite, got " + c);
        this.c = (float) c;
    }

    public double constant() { return c; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = x.copy();
        float[] v = y.data();
        for (int i = 0; i < v.length; i++) v[i] += c;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) { return dy; }

    @Override
    public String describe() { return "Shift(" + c + ")"; }
}
