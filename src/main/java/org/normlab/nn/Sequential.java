package org.normlab.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.normlab.tensor.Tensor;

/** Layers applied in order; backward runs them in reverse. */
public final class Sequential implements Layer {
    private final List<Layer> layers;

    @Override
    public List<Layer> children() { return layers; }

    public Sequential(List<Layer> layers) {
        if (layers.isEmpty()) throw new IllegalArgumentException("Sequential: needs at least one layer");
        this.layers = List.copyOf(layers);
    }

    public Sequential(Layer... layers) { this(List.of(layers)); }

    public List<Layer> layers() { return layers; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        for (Layer layer : layers) x = layer.forward(x, mode);
        return x;
    }

    @Override
    public Tensor backward(Tensor dy) {
        List<Layer> reversed = new ArrayList<>(layers);
        Collections.reverse(reversed);
        for (Layer layer : reversed) dy = layer.backward(dy);
        return dy;
    }

    /**
     * Backward through the layers after the first that is not a pure reshape; that one only accumulates its
     * parameter gradients. Leading {@link Flatten} / {@link Reshape} layers are skipped: their backward only
     * reshapes dy, so the next layer (an MLP's first Linear) need not compute a dx for them.
     */
    @Override
    public void backwardToParameters(Tensor dy) {
        if (layers.isEmpty()) return;
        int first = 0;
        while (first < layers.size() - 1 && (layers.get(first) instanceof Flatten || layers.get(first) instanceof Reshape)) first++;
        for (int i = layers.size() - 1; i > first; i--) dy = layers.get(i).backward(dy);
        layers.get(first).backwardToParameters(dy);
    }

    @Override
    public List<Param> params() {
        List<Param> all = new ArrayList<>();
        for (Layer layer : layers) all.addAll(layer.params());
        return all;
    }

    /** Number of trainable scalars. */
    public long parameterCount() { return params().stream().mapToLong(p -> p.value().size()).sum(); }

    @Override
    public String describe() { return layers.stream().map(Layer::describe).collect(Collectors.joining(" → ")); }

    @Override
    public String toString() { return describe(); }
}
