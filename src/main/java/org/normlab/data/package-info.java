/**
 * Datasets: Fashion-MNIST read through Smile and verified, synthetic sets (a ring of Gaussians), batches.
 * May use: tensor, kernels, nn, norm, model, optim.
 */
package org.normlab.data;
