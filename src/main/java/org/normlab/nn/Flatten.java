package org.normlab.nn;

import org.normlab.tensor.Tensor;

/** (N, d1, d2, …) → (N, d1·d2·…); backward restores the input shape. Shares storage, copies nothing. */
public final class Flatten implements Layer {
    private final Saved<int[]> inputShape = new Saved<>();  // of the last TRAIN forward

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.rank() < 2) throw new IllegalArgumentException("Flatten: expected input [N,...] of rank ≥ 2, got " + x.shapeString());
        inputShape.keep(mode, x.shape());
        return x.reshape(x.dim(0), x.sampleSize());
    }

    @Override
    public Tensor backward(Tensor dy) {
        return dy.reshape(inputShape.get(this));
    }

    @Override
    public String describe() { return "Flatten"; }
}
