/**
 * The kernels: the only place that knows memory order, caches, threads and the Vector API. Moments and
 * VectorMoments (sums and elementwise maps), ChannelNorm (BatchNorm's per-channel statistics, affine map and input
 * gradient), BlockNorm (normalization over contiguous blocks: LayerNorm, GroupNorm, InstanceNorm), Parallelism (the
 * thread team), Gemm (OpenBLAS or a Java loop), ExactSigmoid and VectorSigmoid, VectorApi; and the layers' buffers:
 * Scratch, ReusedTensor (an output or gradient reused across training steps) and SampleMatrices (per-sample work
 * matrices, kept for backward or one per part). Every result is bit-identical whatever the thread count, the Vector
 * API's presence or the machine's vector width.
 *
 * <p>May use: {@code org.normlab.tensor}, the JDK and Smile's BLAS; nothing else of NormLab. Measurements behind
 * the design: docs/decisions/kernels.md.
 */
package org.normlab.kernels;
