/**
 * Generic layers: the {@code Layer} contract (forward in a {@code Mode}, backward, parameters), Linear, Conv2d and
 * its depthwise form, pooling, activations, Dropout, Residual, Sequential, reshapes and recurrent cells.
 * Each layer states its equations in its Javadoc. Normalizations live in {@code norm}, losses in {@code nn.loss}.
 * May use: tensor, kernels.
 */
package org.normlab.nn;
