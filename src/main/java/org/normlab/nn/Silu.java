package org.normlab.nn;

import org.normlab.tensor.Tensor;

/**
 * SiLU (swish), PyTorch's {@code SiLU}, as a layer of its own: {@link Activation#silu()} under another name, kept for
 * code that wants the PyTorch class name. The math (y = x·σ(x), dx = dy·σ(x)·(1 + x·(1 − σ(x)))) lives in
 * {@link Activation}.
 */
public final class Silu implements Layer {
    private final Activation silu = Activation.silu();

    @Override
    public Tensor forward(Tensor x, Mode mode) { return silu.forward(x, mode); }

    @Override
    public Tensor backward(Tensor dy) { return silu.backward(dy); }

    @Override
    public String describe() { return "SiLU"; }
}
