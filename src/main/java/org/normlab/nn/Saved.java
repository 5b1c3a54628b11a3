package org.normlab.nn;

/**
 * What a layer's forward saves for its backward (PyTorch's {@code save_for_backward}). A {@link Mode#TRAIN} forward
 * saves it; a {@link Mode#EVAL} forward is never followed by a backward, so it saves nothing and drops what an
 * earlier forward saved: evaluating a large batch leaves no batch-sized memory behind (docs/decisions/kernel-memory.md).
 * A backward then fails in one line naming the layer.
 */
public final class Saved<T> {
    private T value;
    private boolean afterEval;

    /** After a forward in {@code mode}: keeps {@code value} in TRAIN; in EVAL keeps nothing. */
    public void keep(Mode mode, T value) {
        afterEval = mode == Mode.EVAL;
        this.value = afterEval ? null : value;
    }

    /** What the last forward saved, for {@code layer}'s backward; fails if no forward ran or the last one was EVAL. */
    public T get(Layer layer) {
        if (value != null) return value;
        throw new IllegalStateException(layer.describe() + (afterEval
                ? ": backward after an EVAL forward, which saves nothing for backward (run the forward in TRAIN)"
                : ": backward called before forward"));
    }
}
