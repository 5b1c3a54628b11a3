package org.normlab.nn;

import java.util.List;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * Depthwise 2-d convolution: PyTorch's {@code Conv2d(C, C, k, stride, padding, groups=C)}, one k×k filter per
 * channel, zero padding. {@code weight} is (C, 1, kH, kW), {@code bias} is (C).
 *
 * <pre>
 * forward:   y[n,c,r,q] = b[c] + Σ_{i,j} W[c,0,i,j] · x̃[n, c, r·s − p + i, q·s − p + j]
 *            x̃ is x with p zeros around each image;  x: (N, C, H, W),  y: (N, C, Ho, Wo)
 *            Ho = ⌊(H + 2p − kH) / s⌋ + 1,   Wo = ⌊(W + 2p − kW) / s⌋ + 1
 * backward:  dW[c,0,i,j] += Σ_{n,r,q} dy[n,c,r,q] · x̃[n, c, r·s − p + i, q·s − p + j]
 *            db[c]       += Σ_{n,r,q} dy[n,c,r,q]
 *            dx[n, c, r·s − p + i, q·s − p + j] += W[c,0,i,j] · dy[n,c,r,q]      (terms that hit the padding drop)
 * </pre>
 * Direct loops, no im2col: each output reads only k² inputs of its own channel, so there is no matrix product to
 * hand to BLAS. Initialization follows PyTorch's fans for a (C, 1, kH, kW) weight: fanIn = kH·kW,
 * fanOut = C·kH·kW.
 */
public final class DepthwiseConv2d implements Layer, Initializable {
    private final int channels, kernelH, kernelW, stride, padding;
    private final Param weight, bias;
    private Tensor input;
    private int outH, outW;

    /** Square kernel. Weights and bias start at zero; an {@link Init} fills them (the builders always do). */
    public DepthwiseConv2d(int channels, int kernel, int stride, int padding, boolean withBias) {
        this(channels, kernel, kernel, stride, padding, withBias);
    }

    public DepthwiseConv2d(int channels, int kernelH, int kernelW, int stride, int padding, boolean withBias) {
        if (channels <= 0 || kernelH <= 0 || kernelW <= 0) {
            throw new IllegalArgumentException("DepthwiseConv2d: channels and kernel sizes must be positive, got C=" + channels
                    + ", kernel=" + kernelH + "×" + kernelW);
        }
        if (stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("DepthwiseConv2d: stride must be positive and padding non-negative, got stride=" + stride
                    + ", padding=" + padding);
        }
        this.channels = channels;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.stride = stride;
        this.padding = padding;
        this.weight = Param.of("weight", Tensor.zeros(channels, 1, kernelH, kernelW));
        this.bias = withBias ? Param.of("bias", Tensor.zeros(channels)) : null;
    }

    public Param weight() { return weight; }
    public Param bias() { return bias; }
    public int channels() { return channels; }
    public int kernelH() { return kernelH; }
    public int kernelW() { return kernelW; }
    public int stride() { return stride; }
    public int padding() { return padding; }

    public int outputHeight(int h) { return (h + 2 * padding - kernelH) / stride + 1; }
    public int outputWidth(int w) { return (w + 2 * padding - kernelW) / stride + 1; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        checkInput(x);
        int n = x.dim(0), h = x.dim(2), w = x.dim(3);
        outH = outputHeight(h);
        outW = outputWidth(w);
        Tensor y = Tensor.zeros(n, channels, outH, outW);
        float[] in = x.data(), out = y.data(), wd = weight.value().data();
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < channels; c++) {
                int image = (s * channels + c) * h * w, plane = (s * channels + c) * outH * outW;
                if (bias != null) java.util.Arrays.fill(out, plane, plane + outH * outW, bias.value().data()[c]);
                for (int i = 0; i < kernelH; i++) {
                    for (int j = 0; j < kernelW; j++) {
                        float wij = wd[(c * kernelH + i) * kernelW + j];
                        // Output columns q whose input column q·s − p + j lies inside the image.
                        int qLo = Math.max(0, Math.ceilDiv(padding - j, stride));
                        int qHi = Math.min(outW, Math.floorDiv(w - 1 + padding - j, stride) + 1);
                        for (int r = 0; r < outH; r++) {
                            int ih = r * stride - padding + i;
                            if (ih < 0 || ih >= h) continue;
                            int src = image + ih * w - padding + j, dst = plane + r * outW;
                            for (int q = qLo; q < qHi; q++) out[dst + q] += wij * in[src + q * stride];
                        }
                    }
                }
            }
        }
        input = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (input == null) throw new IllegalStateException(describe() + ": backward called before forward");
        int n = input.dim(0), h = input.dim(2), w = input.dim(3);
        if (dy.rank() != 4 || dy.dim(0) != n || dy.dim(1) != channels || dy.dim(2) != outH || dy.dim(3) != outW) {
            throw new IllegalArgumentException(describe() + ": expected gradient [" + n + "," + channels + "," + outH + "," + outW + "], got "
                    + dy.shapeString());
        }
        Tensor dx = Tensor.zeros(input.shape());
        float[] in = input.data(), g = dy.data(), dxd = dx.data(), wd = weight.value().data(), dw = weight.grad().data();
        for (int c = 0; c < channels; c++) {
            if (bias != null) {
                double sum = 0;
                for (int s = 0; s < n; s++) {
                    int plane = (s * channels + c) * outH * outW;
                    for (int p = 0; p < outH * outW; p++) sum += g[plane + p];
                }
                bias.grad().data()[c] += (float) sum;
            }
            for (int i = 0; i < kernelH; i++) {
                for (int j = 0; j < kernelW; j++) {
                    int wi = (c * kernelH + i) * kernelW + j;
                    float wij = wd[wi];
                    int qLo = Math.max(0, Math.ceilDiv(padding - j, stride));
                    int qHi = Math.min(outW, Math.floorDiv(w - 1 + padding - j, stride) + 1);
                    double dwij = 0;
                    for (int s = 0; s < n; s++) {
                        int image = (s * channels + c) * h * w, plane = (s * channels + c) * outH * outW;
                        for (int r = 0; r < outH; r++) {
                            int ih = r * stride - padding + i;
                            if (ih < 0 || ih >= h) continue;
                            int src = image + ih * w - padding + j, dst = plane + r * outW;
                            for (int q = qLo; q < qHi; q++) {
                                float gy = g[dst + q];
                                dwij += (double) gy * in[src + q * stride];
                                dxd[src + q * stride] += wij * gy;
                            }
                        }
                    }
                    dw[wi] += (float) dwij;
                }
            }
        }
        return dx;
    }

    private void checkInput(Tensor x) {
        int minH = Math.max(1, kernelH - 2 * padding), minW = Math.max(1, kernelW - 2 * padding);
        if (x.rank() != 4 || x.dim(1) != channels) {
            throw new IllegalArgumentException(describe() + ": expected input [N," + channels + ",H,W], got " + x.shapeString());
        }
        if (x.dim(2) < minH || x.dim(3) < minW) {
            throw new IllegalArgumentException(describe() + ": expected input [N," + channels + ",H≥" + minH + ",W≥" + minW + "], got "
                    + x.shapeString());
        }
        if (x.dim(0) == 0) throw new IllegalArgumentException(describe() + ": got an empty batch " + x.shapeString());
    }

    /** weight ~ N(0, std(kH·kW, C·kH·kW)²) (PyTorch's fans for groups = C), bias = 0. */
    @Override
    public void initialize(Init init, Rng rng) {
        int receptiveField = kernelH * kernelW;
        init.fill(weight, bias, receptiveField, channels * receptiveField, rng);
    }

    @Override
    public List<Param> params() { return bias == null ? List.of(weight) : List.of(weight, bias); }

    @Override
    public String describe() {
        return "DepthwiseConv2d(C=" + channels + ", " + kernelH + "×" + kernelW
                + (stride != 1 ? ", stride " + stride : "") + (padding != 0 ? ", padding " + padding : "")
                + (bias == null ? ", no bias" : "") + ")";
    }
}
