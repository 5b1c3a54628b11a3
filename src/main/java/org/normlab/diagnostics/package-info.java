/**
 * Looking inside a model: probes of activations, sanity checks of a network with BatchNorm, the loss landscape
 * along the gradient, injected faults, precise-BN statistics, running statistics frozen for a measurement, the trace of
 * every BN layer during training (γ against the σ it saw, the weight norm before it, the effective learning rate) and
 * the scale invariance BN gives the weights before it.
 * May use: everything below it (tensor to train).
 */
package org.normlab.diagnostics;
