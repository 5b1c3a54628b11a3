package org.normlab.kernels;

import java.lang.ref.SoftReference;
import org.normlab.tensor.Tensor;

/**
 * A layer's output or input-gradient tensor, reused by its next call of the same shape so that a step allocates
 * nothing. A TRAIN step's tensor is held strongly (the backward reads it, and the next step needs it again); an EVAL
 * forward's tensor is held only softly, apart from TRAIN's, and dropped by the next TRAIN step: the batches of one
 * evaluation reuse it, training carries none, and the garbage collector may reclaim it whenever the heap runs short
 * (it clears soft references before it runs out of memory).
 * A reused tensor holds the last call's values, not zeros: the caller writes every element.
 */
public final class ReusedTensor {
    private Tensor kept;
    private SoftReference<Tensor> evalKept = new SoftReference<>(null);

    /** The kept tensor when it has this shape, else a new one (zeros) that is kept from now on. */
    public Tensor reuse(int... shape) { return kept = Tensor.reuse(kept, shape); }

    /**
     * {@link #reuse} when {@code keep}; otherwise the softly held EVAL tensor when it is still there and has this
     * shape, else a new one (zeros) held softly from now on. A TRAIN call drops the EVAL tensor and leaves nothing
     * else changed; an EVAL call leaves the strongly kept tensor alone.
     */
    public Tensor take(boolean keep, int... shape) {
        if (keep) {
            evalKept.clear();
            return reuse(shape);
        }
        Tensor held = evalKept.get(), t = Tensor.reuse(held, shape);
        if (t != held) evalKept = new SoftReference<>(t);
        return t;
    }
}
