package org.normlab.optim;

/**
 * What a training loop needs from an optimizer: clear the gradients, take a step, read and change the learning rate
 * (a {@link LrSchedule} sets it before each step).
 */
public interface Optimizer {
    /** Sets every parameter's gradient to zero (before the next backward, which adds to it). */
    void zeroGrad();

    /** Updates every parameter in place from its current gradient. */
    void step();

    /** The learning rate the next {@link #step()} uses. */
    double lr();

    /** Changes the learning rate for the following steps; must be finite and ≥ 0. */
    void setLr(double lr);
}
