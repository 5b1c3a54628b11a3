package org.normlab.nn;

import java.util.Arrays;
import org.normlab.kernels.Parallelism;
import org.normlab.kernels.ReusedTensor;
import org.normlab.tensor.Tensor;

/**
 * 2-d average pooling, PyTorch's {@code AvgPool2d(kernel, stride)} without padding (so every window holds k² values).
 *
 * <pre>
 * forward:   y[n,c,r,q] = (1/k²) Σ_{0≤i,j&lt;k} x[n, c, r·s + i, q·s + j]   x: (N, C, H, W),  y: (N, C, Ho, Wo)
 *            Ho = ⌊(H − k) / s⌋ + 1,   Wo = ⌊(W − k) / s⌋ + 1
 * backward:  dx[n, c, r·s + i, q·s + j] += dy[n,c,r,q] / k²             (overlapping windows add up)
 * </pre>
 * Output and input-gradient buffers are reused while the shapes repeat in training: a returned tensor stays valid
 * until this layer's next forward (backward). An EVAL forward saves nothing (its output held softly, no input shape).
 */
public final class AvgPool2d extends Pooling {
    private final ReusedTensor output = new ReusedTensor(), gradInput = new ReusedTensor();  // reused across TRAIN steps

    public AvgPool2d(int kernel) { this(kernel, kernel); }

    public AvgPool2d(int kernel, int stride) { super("AvgPool2d", kernel, stride); }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = output.take(mode == Mode.TRAIN, checkInput(x));
        int planes = x.dim(0) * x.dim(1), h = x.dim(2), w = x.dim(3), oh = y.dim(2), ow = y.dim(3), kernel = kernel(), stride = stride();
        float[] in = x.data(), outData = y.data();
        float inverseArea = 1f / (kernel * kernel);
        // Planes are independent: any split over the kernel threads gives the same values.
        Parallelism.forEach(planes, (long) planes * h * w, plane -> {
            int image = plane * h * w, outOff = plane * oh * ow;
            if (kernel == 2 && stride == 2) {  // LeNet's pooling, unrolled: the same additions in the same order
                for (int r = 0; r < oh; r++) {
                    int top = image + 2 * r * w, bottom = top + w, o = outOff + r * ow;
                    for (int q = 0; q < ow; q++) {
                        float sum = 0f + in[top + 2 * q];
                        sum += in[top + 2 * q + 1];
                        sum += in[bottom + 2 * q];
                        sum += in[bottom + 2 * q + 1];
                        outData[o + q] = sum * inverseArea;
                    }
                }
                return;
            }
            for (int r = 0; r < oh; r++) {
                for (int q = 0; q < ow; q++) {
                    float sum = 0;
                    int corner = window.windowCorner(image, w, r, q);
                    for (int i = 0; i < kernel; i++) {
                        for (int j = 0; j < kernel; j++) sum += in[corner + i * w + j];
                    }
                    outData[outOff + r * ow + q] = sum * inverseArea;
                }
            }
        });
        inputShape.keep(mode, x.shape());
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        int[] inputShape = checkGradient(dy);
        int h = inputShape[2], w = inputShape[3], oh = window.outputHeight(h), ow = window.outputWidth(w);
        int kernel = kernel(), stride = stride();
        Tensor dx = gradInput.reuse(inputShape);
        float[] g = dy.data(), dxd = dx.data();
        float inverseArea = 1f / (kernel * kernel);
        Parallelism.forEach(inputShape[0] * inputShape[1], (long) dx.size(), plane -> {
            int image = plane * h * w, outOff = plane * oh * ow;
            // The reused buffer holds the last call's values: clear what the windows below do not simply overwrite.
            boolean tiles = kernel == 2 && stride == 2 && h % 2 == 0 && w % 2 == 0;
            if (!tiles) Arrays.fill(dxd, image, image + h * w, 0f);
            if (kernel == 2 && stride == 2) {  // windows tile: each dx gets one share, 0 + share as the loop below adds it
                for (int r = 0; r < oh; r++) {
                    int top = image + 2 * r * w, bottom = top + w, o = outOff + r * ow;
                    for (int q = 0; q < ow; q++) {
                        float share = 0f + g[o + q] * inverseArea;
                        dxd[top + 2 * q] = share;
                        dxd[top + 2 * q + 1] = share;
                        dxd[bottom + 2 * q] = share;
                        dxd[bottom + 2 * q + 1] = share;
                    }
                }
                return;
            }
            for (int r = 0; r < oh; r++) {
                for (int q = 0; q < ow; q++) {
                    float share = g[outOff + r * ow + q] * inverseArea;
                    int corner = window.windowCorner(image, w, r, q);
                    for (int i = 0; i < kernel; i++) {
                        for (int j = 0; j < kernel; j++) dxd[corner + i * w + j] += share;
                    }
                }
            }
        });
        return dx;
    }
}
