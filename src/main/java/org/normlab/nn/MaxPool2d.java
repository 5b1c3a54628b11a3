package org.normlab.nn;

import java.util.Arrays;
import org.normlab.tensor.Tensor;

/**
 * 2-d max pooling, PyTorch's {@code MaxPool2d(kernel, stride)} without padding or dilation.
 *
 * <pre>
 * forward:   y[n,c,r,q] = max_{0≤i,j&lt;k} x[n, c, r·s + i, q·s + j]       x: (N, C, H, W),  y: (N, C, Ho, Wo)
 *            Ho = ⌊(H − k) / s⌋ + 1,   Wo = ⌊(W − k) / s⌋ + 1
 * backward:  dx[argmax of window (r,q)] += dy[n,c,r,q]                 (overlapping windows add up)
 * </pre>
 * The argmax is the first maximum in row-major window order (a later equal value does not replace it), and a NaN
 * wins over every number, as in PyTorch's CPU kernel.
 *
 * <p>The output and input-gradient tensors are reused by the next call of the same shape: a returned tensor stays
 * valid until this layer's next forward (backward).
 */
public final class MaxPool2d extends Pooling {
    private int[] argmax;  // what backward needs besides the input shape: each output's flat input index
    private Tensor output, gradInput;  // handed out, valid until the next forward (backward), then reused

    public MaxPool2d(int kernel) { this(kernel, kernel); }

    public MaxPool2d(int kernel, int stride) { super("MaxPool2d", kernel, stride); }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = output = Tensor.reuse(output, checkInput(x));  // every element is written below
        int planes = x.dim(0) * x.dim(1), h = x.dim(2), w = x.dim(3), oh = y.dim(2), ow = y.dim(3), kernel = kernel();
        float[] in = x.data(), outData = y.data();
        if (argmax == null || argmax.length != outData.length) argmax = new int[outData.length];
        for (int plane = 0; plane < planes; plane++) {
            int image = plane * h * w, outOff = plane * oh * ow;
            for (int r = 0; r < oh; r++) {
                for (int q = 0; q < ow; q++) {
                    int corner = window.windowCorner(image, w, r, q), best = corner;
                    float max = in[best];
                    for (int i = 0; i < kernel; i++) {
                        for (int j = 0; j < kernel; j++) {
                            int at = corner + i * w + j;
                            if (in[at] > max || Float.isNaN(in[at])) { max = in[at]; best = at; }
                        }
                    }
                    outData[outOff + r * ow + q] = max;
                    argmax[outOff + r * ow + q] = best;
                }
            }
        }
        inputShape = x.shape();
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        checkGradient(dy);
        Tensor dx = gradInput = Tensor.reuse(gradInput, inputShape);
        float[] g = dy.data(), dxd = dx.data();
        Arrays.fill(dxd, 0f);  // the scatter below adds into the reused buffer
        for (int i = 0; i < g.length; i++) dxd[argmax[i]] += g[i];
        return dx;
    }
}
