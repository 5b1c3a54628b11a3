/**
 * Where speed lives: moments over a layout, affine maps, normalization gradients, matrix products (OpenBLAS through
 * Smile, with a Java fallback), the Vector API and the kernel thread pool. The only package that knows memory order,
 * caches and cores; layers call it through a small API with every argument passed as a parameter.
 * May use: tensor.
 */
package org.normlab.kernels;
