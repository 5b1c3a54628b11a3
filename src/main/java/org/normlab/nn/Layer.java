package org.normlab.nn;

import java.util.List;
import org.normlab.tensor.Tensor;
import java.util.ArrayList;

/**
 * One differentiable step of a network.
 *
 * <p>Contract: {@code forward(x, TRAIN)} returns y and remembers what {@code backward} needs;
 * {@code backward(dy)} takes dLoss/dy for the most recent forward, <em>adds</em> dLoss/dθ to each parameter's
 * gradient, and returns dLoss/dx. {@code forward(x, EVAL)} is inference: it remembers nothing for backward (and
 * forgets what an earlier TRAIN forward left), so evaluating a large batch leaves no batch-sized memory behind
 * ({@link Saved}); a backward after it fails naming the layer. Layers check their input shape and name themselves in
 * errors.
 *
 * <p>A returned y or dx may be a buffer the layer reuses on its next call of the same shape (the normalization
 * layers, Activation, the convolutions, Linear and the pooling layers do in training, so a training step allocates
 * nothing there; an EVAL forward's y is its own, held softly): it stays valid until that layer's next forward (for y) or
 * backward (for dx). A caller that keeps one longer copies it.
 *
 * <p>Between {@code forward} and {@code backward} the layer owns x and y: it keeps a reference to them, not a copy
 * (Linear and Conv2d keep x for dW, the normalizations x or x̂, sigmoid and tanh their y), and {@code backward}
 * computes with the values they hold when it runs. Writing into either in between is not detected — no version
 * counter, because layers and optimizers write through {@link Tensor#data()} — and makes backward compute with the
 * changed values: gradients of no forward that ran. A caller that must change x passes {@code x.copy()} to forward.
 * The cost of detecting it is measured in docs/decisions/input-mutation.md.
 */
public interface Layer {
    Tensor forward(Tensor x, Mode mode);

    Tensor backward(Tensor dy);

    /**
     * {@link #backward} for a caller that will not use dLoss/dx (the model's input is data, as in training):
     * parameter gradients are accumulated exactly as by backward, and a layer may skip computing dx (PyTorch skips
     * it too, for inputs that do not require grad). The default runs backward.
     */
    default void backwardToParameters(Tensor dy) { backward(dy); }

    /** Trainable parameters (empty for parameter-free layers). */
    default List<Param> params() { return List.of(); }

    /** A short description with hyper-parameters, e.g. {@code Linear(784→100)}. */
    String describe();

    /** The layers this one is built from (empty for a leaf), so tools can walk a whole model: see {@link #all}. */
    default List<Layer> children() { return List.of(); }

    /**
     * The common precondition of {@code backward}: a forward ran (it kept {@code input}) and dy has the shape of its
     * input. The messages name the layer and both shapes.
     */
    static void checkGradient(Layer layer, Tensor input, Tensor dy) {
        if (input == null) throw new IllegalStateException(layer.describe() + ": backward called before forward");
        if (!dy.sameShape(input)) {
            throw new IllegalArgumentException(layer.describe() + ": expected gradient " + input.shapeString() + ", got " + dy.shapeString());
        }
    }

    /** Every layer of type {@code type} in {@code model}, itself included, depth first in forward order. */
    static <T extends Layer> List<T> all(Layer model, Class<T> type) {
        List<T> found = new ArrayList<>();
        collect(model, type, found);
        return found;
    }

    private static <T extends Layer> void collect(Layer layer, Class<T> type, List<T> found) {
        if (type.isInstance(layer)) found.add(type.cast(layer));
        for (Layer child : layer.children()) collect(child, type, found);
    }
}
