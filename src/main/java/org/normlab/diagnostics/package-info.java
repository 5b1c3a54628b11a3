/**
 * Looking inside a model: probes of activations, sanity checks of a network with BatchNorm, the loss landscape
 * along the gradient, injected faults, precise-BN statistics, and running statistics frozen for a measurement.
 * May use: everything below it (tensor to train).
 */
package org.normlab.diagnostics;
