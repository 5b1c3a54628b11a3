/**
 * Networks and blocks: the MLP and LeNet builders, recurrent classifiers, MBConv with squeeze-and-excite, the GAN
 * networks, and where a normalization is placed. A builder receives everything the network needs (initial gain,
 * momentum, input shift, layers to insert) and nothing is patched after it returns.
 * May use: tensor, kernels, nn, norm.
 */
package org.normlab.model;
