package org.normlab.nn;

import org.normlab.tensor.Rng;

/**
 * A layer whose weights {@link Init#apply} cannot fill by itself: a composite layer (its parts are not a
 * {@link Sequential}) or a layer whose fans are not those of a {@link Linear} or {@link Conv2d}.
 * {@link Init#apply} hands such a layer to {@link #initialize}, which draws its weights with {@code init}'s rule
 * (for the fans it documents) and resets its biases and normalization gains to their starting values.
 */
public interface Initializable {
    /** Fills this layer's weights from {@code rng} by {@code init}'s rule, in a fixed order. */
    void initialize(Init init, Rng rng);
}
