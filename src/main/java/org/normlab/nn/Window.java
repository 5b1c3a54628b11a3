package org.normlab.nn;

import java.util.Arrays;
import org.normlab.kernels.Runs;

/**
 * The sliding window of a 2-d convolution or pooling layer: a kH × kW kernel moved with stride s over an image with
 * p zeros of padding around it (pooling: kH = kW = k and p = 0).
 *
 * <pre>
 * output size:    Ho = ⌊(H + 2p − kH) / s⌋ + 1,   Wo = ⌊(W + 2p − kW) / s⌋ + 1
 * window (r,q):   input row r·s − p + i (0 ≤ i &lt; kH), input column q·s − p + j (0 ≤ j &lt; kW)
 * im2col:         X[(c,i,j), (r,q)] = x̃[c, r·s − p + i, q·s − p + j]      x̃ is x with its padding zeros
 * col2im:         dx[c, r·s − p + i, q·s − p + j] += dX[(c,i,j), (r,q)]   the adjoint; padding entries drop
 * </pre>
 * For a kernel offset (i, j), the output rows and columns whose input lies inside the image are the ranges
 * [{@link #firstRow}(i), {@link #endRow}(i, H)) and [{@link #firstColumn}(j), {@link #endColumn}(j, W)): the layers
 * loop over them without testing each position for padding.
 */
record Window(int kernelH, int kernelW, int stride, int padding) {

    /** A convolution's window; {@code layer} names it in the error for a bad stride or padding. */
    static Window convolution(String layer, int kernelH, int kernelW, int stride, int padding) {
        if (stride <= 0 || padding < 0) {
            throw new IllegalArgumentException(layer + ": stride must be positive and padding non-negative, got stride=" + stride
                    + ", padding=" + padding);
        }
        return new Window(kernelH, kernelW, stride, padding);
    }

    /** A pooling layer's square, unpadded window. */
    static Window pooling(String layer, int kernel, int stride) {
        if (kernel <= 0 || stride <= 0) {
            throw new IllegalArgumentException(layer + ": kernel and stride must be positive, got kernel=" + kernel + ", stride=" + stride);
        }
        return new Window(kernel, kernel, stride, 0);
    }

    int outputHeight(int h) { return (h + 2 * padding - kernelH) / stride + 1; }

    int outputWidth(int w) { return (w + 2 * padding - kernelW) / stride + 1; }

    /** (N, C, Ho, Wo) for an input of shape (N, C, H, W). */
    int[] outputShape(int[] inputShape) {
        return new int[] {inputShape[0], inputShape[1], outputHeight(inputShape[2]), outputWidth(inputShape[3])};
    }

    /** The input row that output row r reads at kernel row i (outside [0, H) when it is padding). */
    int inputRow(int r, int i) { return r * stride - padding + i; }

    /** In input row ih of the image that starts at {@code image}: output column q reads kernel column j at rowStart + q·s. */
    int rowStart(int image, int w, int ih, int j) { return image + ih * w - padding + j; }

    /** The input index of window (r, q)'s top-left element in the image at {@code image} (for pooling: no padding). */
    int windowCorner(int image, int w, int r, int q) { return image + inputRow(r, 0) * w + q * stride - padding; }

    /** The first output row r whose input row r·s − p + i is not top padding. */
    int firstRow(int i) { return Math.max(0, Math.ceilDiv(padding - i, stride)); }

    /** One past the last output row whose input row r·s − p + i is not bottom padding, for an input of height h. */
    int endRow(int i, int h) { return Math.min(outputHeight(h), Math.floorDiv(h - 1 + padding - i, stride) + 1); }

    /** The first output column q whose input column q·s − p + j is not left padding. */
    int firstColumn(int j) { return Math.max(0, Math.ceilDiv(padding - j, stride)); }

    /** One past the last output column whose input column q·s − p + j is not right padding, for an input of width w. */
    int endColumn(int j, int w) { return Math.min(outputWidth(w), Math.floorDiv(w - 1 + padding - j, stride) + 1); }

    /** "kH×kW" with the stride when it is not {@code defaultStride} and the padding when it is not 0. */
    String describe(int defaultStride) {
        return kernelH + "×" + kernelW + (stride != defaultStride ? ", stride " + stride : "") + (padding != 0 ? ", padding " + padding : "");
    }

    /** im2col for sample {@code sample} of x (N, channels, H, W): col is K × (Ho·Wo), K = channels·kH·kW, zeros for padding. */
    void im2col(float[] x, int sample, int channels, int h, int w, float[] col) { walk(x, sample, channels, h, w, col, false); }

    /** col2im, the adjoint of {@link #im2col}: adds each entry of colGrad to the input pixel of {@code sample} it was copied from. */
    void col2im(float[] colGrad, int sample, int channels, int h, int w, float[] dx) { walk(dx, sample, channels, h, w, colGrad, true); }

    /**
     * Walks im2col's matrix row (c,i,j) by row. Inside the image, output row r of it is the segment
     * col[row + r·Wo + q] ↔ x[rowStart + q·s] for q in [firstColumn(j), endColumn(j, W)), r in [firstRow(i), endRow(i, H));
     * the rest of the row is padding. {@code adjoint} false copies the segments into col and zeros the padding (im2col);
     * true adds them back into x and drops the padding (col2im).
     */
    private void walk(float[] x, int sample, int channels, int h, int w, float[] col, boolean adjoint) {
        int outH = outputHeight(h), outW = outputWidth(w);
        for (int c = 0; c < channels; c++) {
            int image = (sample * channels + c) * h * w;
            for (int i = 0; i < kernelH; i++) {
                int rLo = firstRow(i), rHi = endRow(i, h);
                for (int j = 0; j < kernelW; j++) {
                    int row = ((c * kernelH + i) * kernelW + j) * outH * outW;
                    int qLo = firstColumn(j), qHi = endColumn(j, w);
                    if (rLo >= rHi || qLo >= qHi) {  // this kernel offset sees only padding
                        if (!adjoint) Arrays.fill(col, row, row + outH * outW, 0f);
                        continue;
                    }
                    if (adjoint) {
                        for (int r = rLo; r < rHi; r++) {
                            int src = rowStart(image, w, inputRow(r, i), j), dst = row + r * outW;
                            if (stride == 1) {
                                Runs.add(col, dst + qLo, x, src + qLo, qHi - qLo);
                            } else {
                                for (int q = qLo; q < qHi; q++) x[src + q * stride] += col[dst + q];
                            }
                        }
                        continue;
                    }
                    Arrays.fill(col, row, row + rLo * outW, 0f);
                    boolean edges = qLo > 0 || qHi < outW;
                    for (int r = rLo; r < rHi; r++) {
                        int src = rowStart(image, w, inputRow(r, i), j), dst = row + r * outW;
                        if (edges) Arrays.fill(col, dst, dst + qLo, 0f);
                        if (stride == 1) {
                            Runs.copy(x, src + qLo, col, dst + qLo, qHi - qLo);
                        } else {
                            for (int q = qLo; q < qHi; q++) col[dst + q] = x[src + q * stride];
                        }
                        if (edges) Arrays.fill(col, dst + qHi, dst + outW, 0f);
                    }
                    Arrays.fill(col, row + rHi * outW, row + outH * outW, 0f);
                }
            }
        }
    }
}
