package org.normlab.nn;

import java.util.List;

/** A layer that wraps another (e.g. Weight Standardization around a conv), so initializers can reach the inner one. */
public interface Wrapper extends Layer {
    Layer inner();

    @Override
    default List<Layer> children() { return List.of(inner()); }

    /** Called after the inner layer was initialized, to derive the wrapper's own parameters from it. */
    default void afterInit() {}
}
