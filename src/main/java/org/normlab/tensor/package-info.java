/**
 * The bottom layer: {@code Tensor} (float32 data and a shape, NCHW) and {@code Rng} (seeded, splittable random
 * streams). Uses nothing else of NormLab.
 */
package org.normlab.tensor;
