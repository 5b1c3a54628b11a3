/**
 * Optimizers (SGD with momentum or Nesterov, Adam) and learning-rate schedules.
 * May use: tensor, kernels, nn, norm, model.
 */
package org.normlab.optim;
