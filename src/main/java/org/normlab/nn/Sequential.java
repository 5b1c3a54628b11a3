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

    /** Backward through every layer but the first, which only accumulates its parameter gradients. */
    @Override
    public void backwardToParameters(Tensor dy) {
        for (int i = layers.size() - 1; i > 0; i--) dy = layers.get(i).backward(dy);
        if (!layers.isEmpty()) layers.get(0).backwardToParameters(dy);
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
