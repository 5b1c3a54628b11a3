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
 */
public final class MaxPool2d implements Layer {
    private final int kernel, stride;

    // What backward needs: the input's shape and, per output value, the flat index of its input argmax.
    private int[] inputShape;
    private int[] argmax;

    /** Stride equal to the kernel (PyTorch's default): non-overlapping windows. */
    public MaxPool2d(int kernel) { this(kernel, kernel); }

    public MaxPool2d(int kernel, int stride) {
        if (kernel <= 0 || stride <= 0) {
            throw new IllegalArgumentException("MaxPool2d: kernel and stride must be positive, got kernel=" + kernel + ", stride=" + stride);
        }
        this.kernel = kernel;
        this.stride = stride;
    }

    public int kernel() { return kernel; }
    public int stride() { return stride; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Pooling.checkInput(describe(), x, kernel);
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        int oh = (h - kernel) / stride + 1, ow = (w - kernel) / stride + 1;
        Tensor y = Tensor.zeros(n, c, oh, ow);
        float[] in = x.data(), outData = y.data();
        if (argmax == null || argmax.length != outData.length) argmax = new int[outData.length];
        for (int plane = 0; plane < n * c; plane++) {
            int image = plane * h * w, outOff = plane * oh * ow;
            for (int r = 0; r < oh; r++) {
                for (int q = 0; q < ow; q++) {
                    int best = image + r * stride * w + q * stride;
                    float max = in[best];
                    for (int i = 0; i < kernel; i++) {
                        int rowOff = image + (r * stride + i) * w + q * stride;
                        for (int j = 0; j < kernel; j++) {
                            float v = in[rowOff + j];
                            if (v > max || Float.isNaN(v)) { max = v; best = rowOff + j; }
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
        if (inputShape == null) throw new IllegalStateException(describe() + ": backward called before forward");
        int[] expected = Pooling.outputShape(inputShape, kernel, stride);
        if (!Arrays.equals(dy.shape(), expected)) {
            throw new IllegalArgumentException(describe() + ": expected gradient " + Arrays.toString(expected) + ", got " + dy.shapeString());
        }
        Tensor dx = Tensor.zeros(inputShape);
        float[] g = dy.data(), dxd = dx.data();
        for (int i = 0; i < g.length; i++) dxd[argmax[i]] += g[i];
        return dx;
    }

    @Override
    public String describe() { return "MaxPool2d(" + kernel + "×" + kernel + (stride != kernel ? ", stride " + stride : "") + ")"; }
}
