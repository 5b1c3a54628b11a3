package org.normlab.nn;

import org.normlab.tensor.Tensor;
import java.util.Arrays;

/**
 * Global average pooling, PyTorch's {@code AdaptiveAvgPool2d(1)} followed by {@code flatten(1)}.
 *
 * <pre>
 * forward:   y[n,c] = (1/(H·W)) Σ_{h,w} x[n,c,h,w]        x: (N, C, H, W),  y: (N, C)
 * backward:  dx[n,c,h,w] = dy[n,c] / (H·W)
 * </pre>
 */
public final class GlobalAvgPool2d implements Layer {
    private final Saved<int[]> savedShape = new Saved<>();  // the last TRAIN forward's input shape

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.rank() != 4 || x.dim(2) == 0 || x.dim(3) == 0) {
            throw new IllegalArgumentException(describe() + ": expected input [N,C,H,W], got " + x.shapeString());
        }
        int planes = x.dim(0) * x.dim(1), area = x.dim(2) * x.dim(3);
        Tensor y = Tensor.zeros(x.dim(0), x.dim(1));
        float[] in = x.data(), out = y.data();
        for (int p = 0; p < planes; p++) {
            double sum = 0;
            for (int i = 0; i < area; i++) sum += in[p * area + i];
            out[p] = (float) (sum / area);
        }
        savedShape.keep(mode, x.shape());
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        int[] inputShape = savedShape.get(this);
        int n = inputShape[0], c = inputShape[1], area = inputShape[2] * inputShape[3];
        if (dy.rank() != 2 || dy.dim(0) != n || dy.dim(1) != c) {
            throw new IllegalArgumentException(describe() + ": expected gradient [" + n + "," + c + "], got " + dy.shapeString());
        }
        Tensor dx = Tensor.zeros(inputShape);
        float[] g = dy.data(), out = dx.data();
        for (int p = 0; p < n * c; p++) {
            float share = g[p] / area;
            Arrays.fill(out, p * area, (p + 1) * area, share);
        }
        return dx;
    }

    @Override
    public String describe() { return "GlobalAvgPool2d"; }
}
