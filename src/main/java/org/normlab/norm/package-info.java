/**
 * Every normalization: BatchNorm and its variants (Batch Renorm, Ghost, noisy), LayerNorm, GroupNorm, InstanceNorm,
 * local response normalization, weight standardization, per-time-step normalization for recurrent cells, the
 * {@code Norm} choice that builds them, and a plain reference BatchNorm (loops in double) that teaches the math and
 * checks the fast layer. Each layer reads as its equations; the loops that make it fast are in {@code kernels}.
 * May use: tensor, kernels, nn.
 */
package org.normlab.norm;
