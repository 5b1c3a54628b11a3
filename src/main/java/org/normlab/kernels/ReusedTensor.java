package org.normlab.kernels;

import org.normlab.tensor.Tensor;

/**
 * A layer's output or input-gradient tensor, reused by its next call of the same shape so that a training step
 * allocates nothing; a call that must leave no memory behind (an EVAL forward) takes a fresh tensor this does not
 * hold. A reused tensor holds the last call's values, not zeros: the caller writes every element.
 */
public final class ReusedTensor {
    private Tensor kept;

    /** The kept tensor when it has this shape, else a new one (zeros) that is kept from now on. */
    public Tensor reuse(int... shape) { return kept = Tensor.reuse(kept, shape); }

    /** {@link #reuse} when {@code keep}; otherwise a new tensor of zeros that is not kept (the kept one stays). */
    public Tensor take(boolean keep, int... shape) { return keep ? reuse(shape) : Tensor.zeros(shape); }
}
