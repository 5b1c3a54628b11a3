package org.normlab.nn;

import java.util.Arrays;
import org.normlab.kernels.ReusedTensor;
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
 * <p>The output and input-gradient tensors are reused by the next TRAIN call of the same shape: a returned tensor
 * stays valid until this layer's next forward (backward). An EVAL forward saves nothing (no argmax; its output held softly).
 */
public final class MaxPool2d extends Pooling {
    private final Saved<int[]> argmax = new Saved<>();  // what backward needs besides the input shape: each output's flat input index
    private int[] trainArgmax;  // reused by TRAIN forwards while the shape repeats
    private final ReusedTensor output = new ReusedTensor(), gradInput = new ReusedTensor();  // handed out, valid until the next call

    public MaxPool2d(int kernel) { this(kernel, kernel); }

    public MaxPool2d(int kernel, int stride) { super("MaxPool2d", kernel, stride); }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        boolean train = mode == Mode.TRAIN;
        Tensor y = output.take(train, checkInput(x));  // every element is written below
        int planes = x.dim(0) * x.dim(1), h = x.dim(2), w = x.dim(3), oh = y.dim(2), ow = y.dim(3), kernel = kernel();
        float[] in = x.data(), outData = y.data();
        if (train && (trainArgmax == null || trainArgmax.length != outData.length)) trainArgmax = new int[outData.length];
        int[] best = train ? trainArgmax : new int[outData.length];
        for (int plane = 0; plane < planes; plane++) {
            int image = plane * h * w, outOff = plane * oh * ow;
            for (int r = 0; r < oh; r++) {
                for (int q = 0; q < ow; q++) {
                    int corner = window.windowCorner(image, w, r, q), at = corner;
                    float max = in[at];
                    for (int i = 0; i < kernel; i++) {
                        for (int j = 0; j < kernel; j++) {
                            int next = corner + i * w + j;
                            if (in[next] > max || Float.isNaN(in[next])) { max = in[next]; at = next; }
                        }
                    }
                    outData[outOff + r * ow + q] = max;
                    best[outOff + r * ow + q] = at;
                }
            }
        }
        inputShape.keep(mode, x.shape());
        argmax.keep(mode, best);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        int[] shape = checkGradient(dy), best = argmax.get(this);
        Tensor dx = gradInput.reuse(shape);
        float[] g = dy.data(), dxd = dx.data();
        Arrays.fill(dxd, 0f);  // the scatter below adds into the reused buffer
        for (int i = 0; i < g.length; i++) dxd[best[i]] += g[i];
        return dx;
    }
}
