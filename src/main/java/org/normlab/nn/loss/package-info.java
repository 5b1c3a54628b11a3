/**
 * Losses: softmax cross-entropy, binary cross-entropy with logits, mean squared error; each gives its value and
 * its gradient with respect to the logits or predictions.
 * May use: tensor, kernels, nn.
 */
package org.normlab.nn.loss;
