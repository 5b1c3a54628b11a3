package org.normlab.nn;

import java.util.Arrays;
import org.normlab.kernels.ReusedTensor;
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
 *
 * <p>The output and input-gradient tensors are reused by the next TRAIN call of the same shape: a returned tensor
 * stays valid until this layer's next forward (backward). An EVAL forward keeps nothing (not its input, and its
 * output is its own tensor, held softly until the next TRAIN step).
 */
public final class DepthwiseConv2d extends Convolution implements Initializable {
    private final int channels;
    private final Saved<Tensor> input = new Saved<>();  // what backward needs from the last TRAIN forward
    private final ReusedTensor output = new ReusedTensor(), gradInput = new ReusedTensor();  // handed out, valid until the next call

    /** Square kernel. */
    public DepthwiseConv2d(int channels, int kernel, int stride, int padding, boolean withBias) {
        this(channels, kernel, kernel, stride, padding, withBias);
    }

    /** Weight (C, 1, kH, kW) and bias (C), zero until an {@link Init} fills them (the builders always do). */
    public DepthwiseConv2d(int channels, int kernelH, int kernelW, int stride, int padding, boolean withBias) {
        super(checkedWindow(channels, kernelH, kernelW, stride, padding), new int[] {channels, 1, kernelH, kernelW}, withBias);
        this.channels = channels;
    }

    private static Window checkedWindow(int channels, int kernelH, int kernelW, int stride, int padding) {
        if (channels <= 0 || kernelH <= 0 || kernelW <= 0) {
            throw new IllegalArgumentException("DepthwiseConv2d: channels and kernel sizes must be positive, got C=" + channels
                    + ", kernel=" + kernelH + "×" + kernelW);
        }
        return Window.convolution("DepthwiseConv2d", kernelH, kernelW, stride, padding);
    }

    public int channels() { return channels; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        checkInput(x, channels);
        int n = x.dim(0), h = x.dim(2), w = x.dim(3);
        int kernelH = kernelH(), kernelW = kernelW(), stride = stride();
        int outH = outputHeight(h), outW = outputWidth(w);
        Tensor y = output.take(mode == Mode.TRAIN, n, channels, outH, outW);
        float[] in = x.data(), out = y.data(), wd = weight.value().data();
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < channels; c++) {
                int image = (s * channels + c) * h * w, plane = (s * channels + c) * outH * outW;
                Arrays.fill(out, plane, plane + outH * outW, bias == null ? 0f : bias.value().data()[c]);  // the taps add into it
                for (int i = 0; i < kernelH; i++) {
                    int rLo = window.firstRow(i), rHi = window.endRow(i, h);
                    for (int j = 0; j < kernelW; j++) {
                        float wij = wd[(c * kernelH + i) * kernelW + j];
                        int qLo = window.firstColumn(j), qHi = window.endColumn(j, w);
                        for (int r = rLo; r < rHi; r++) {
                            int src = window.rowStart(image, w, window.inputRow(r, i), j), dst = plane + r * outW;
                            for (int q = qLo; q < qHi; q++) out[dst + q] += wij * in[src + q * stride];
                        }
                    }
                }
            }
        }
        input.keep(mode, x);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor x = input.get(this);
        checkGradient(dy, x.shape());
        int n = x.dim(0), h = x.dim(2), w = x.dim(3), outH = outputHeight(h), outW = outputWidth(w);
        int kernelH = kernelH(), kernelW = kernelW(), stride = stride();
        Tensor dx = gradInput.reuse(x.shape());
        float[] in = x.data(), g = dy.data(), dxd = dx.data(), wd = weight.value().data(), dw = weight.grad().data();
        Arrays.fill(dxd, 0f);  // the taps add into the reused buffer
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
                int rLo = window.firstRow(i), rHi = window.endRow(i, h);
                for (int j = 0; j < kernelW; j++) {
                    int wi = (c * kernelH + i) * kernelW + j;
                    float wij = wd[wi];
                    int qLo = window.firstColumn(j), qHi = window.endColumn(j, w);
                    double dwij = 0;
                    for (int s = 0; s < n; s++) {
                        int image = (s * channels + c) * h * w, plane = (s * channels + c) * outH * outW;
                        for (int r = rLo; r < rHi; r++) {
                            int src = window.rowStart(image, w, window.inputRow(r, i), j), dst = plane + r * outW;
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

    /** weight ~ N(0, std(kH·kW, C·kH·kW)²) (PyTorch's fans for groups = C), bias = 0. */
    @Override
    public void initialize(Init init, Rng rng) {
        int receptiveField = kernelH() * kernelW();
        init.fill(weight, bias, receptiveField, channels * receptiveField, rng);
    }

    @Override
    public String describe() {
        return "DepthwiseConv2d(C=" + channels + ", " + window.describe(1) + (bias == null ? ", no bias" : "") + ")";
    }
}
