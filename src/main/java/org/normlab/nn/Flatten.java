package org.normlab.nn;

import org.normlab.tensor.Tensor;

/** (N, d1, d2, …) → (N, d1·d2·…); backward restores the input shape. Shares storage, copies nothing. */
public final class Flatten implements Layer {
    private int[] inputShape;

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.rank() < 2) throw new IllegalArgumentException("Flatten: expected input [N,...] of rank ≥ 2, got " + x.shapeString());
        inputShape = x.shape();
        return x.reshape(x.dim(0), x.sampleSize());
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (inputShape == null) throw new IllegalStateException("Flatten: backward called before forward");
        return dy.reshape(inputShape);
    }

    @Override
    public String describe() { return "Flatten"; }
}
