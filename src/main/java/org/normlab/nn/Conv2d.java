package org.normlab.nn;

import java.util.Arrays;
import java.util.List;
import org.normlab.kernels.Gemm;
import org.normlab.kernels.Parallelism;
import org.normlab.tensor.Tensor;

/**
 * 2-d convolution (cross-correlation), PyTorch's {@code Conv2d} with zero padding, dilation 1 and groups 1.
 * {@code weight} is (out, in, kH, kW), {@code bias} is (out).
 *
 * <pre>
 * forward:   y[n,o,r,q] = b[o] + Σ_{c,i,j} W[o,c,i,j] · x̃[n, c, r·s − p + i, q·s − p + j]
 *            x̃ is x with p zeros around each image;  x: (N, in, H, W),  y: (N, out, Ho, Wo)
 *            Ho = ⌊(H + 2p − kH) / s⌋ + 1,   Wo = ⌊(W + 2p − kW) / s⌋ + 1
 *
 * as matrices, per sample n (im2col): Xₙ = im2col(xₙ) is K × (Ho·Wo) with K = in·kH·kW, row (c,i,j), column (r,q);
 *            Yₙ = W·Xₙ + b          W viewed as out × K,  Yₙ = y[n] viewed as out × (Ho·Wo)
 * backward:  dW += Σₙ dYₙ·Xₙᵀ,   db += Σ_{n,r,q} dy,   dXₙ = Wᵀ·dYₙ,   dx[n] = col2im(dXₙ)
 *            col2im adds each column entry back to the input pixel it was copied from (padding is dropped)
 * </pre>
 *
 * <p><b>One GEMM per sample, not one for the whole batch.</b> Measured with {@code LeNetStepBench} (LeNet-BN,
 * batch 256, OpenBLAS via Smile, 2 cores): one whole-batch GEMM per conv gave 51 ms per training step, chunks of
 * 64 or 16 samples 44–43 ms, one GEMM per sample 36–37 ms (the two convs alone, forward + backward: 34 ms → 19 ms).
 * The reason is the JNI boundary: Smile's {@code float[]} GEMM copies every array it is handed in and out of
 * native memory (a 2×2×2 product on 4M-float arrays takes 20 ms), so whole-batch im2col matrices (conv1:
 * 25 × 147 456 floats, 15 MB) cost more in copying than 256 small calls cost in overhead, while the per-sample
 * matrices (conv1: 25 × 576, conv2: 150 × 64) stay in cache through im2col, GEMM and the copy into y.
 *
 * <p>The im2col matrices of the last forward are kept for backward (dW needs them) and, like the other scratch
 * arrays, reused by the next forward when the input shape is unchanged. So are the output and input-gradient
 * tensors: a returned tensor stays valid until this layer's next forward (backward). With Activation and AvgPool2d
 * doing the same, a LeNet-BN step allocates about 5 MB instead of 23 MB (mostly the batch now); its Fashion-MNIST
 * epoch on the kernel's 1 GB heap went from 7.2 to 5.7 s (first, with the JIT's warm-up) and 4.8 to 3.9 s (second).
 */
public final class Conv2d implements Layer {
    private final int in, out, kernelH, kernelW, stride, padding;
    private final Param weight, bias;

    // What backward needs from the last forward: the input's shape and each sample's im2col matrix Xₙ.
    private int[] inputShape;
    private int outH, outW;
    private float[][] cols;
    // Scratch reused across steps while the shapes stay the same; never handed out.
    private float[][] partScratch = new float[0][];  // Yₙ per part of the batch in forward (dYₙ in backward): out × (Ho·Wo)
    private float[] dyScratch;   // dYₙ for the dW job of backward
    private float[] colGrad;     // dXₙ: K × (Ho·Wo)
    private Tensor output, gradInput;  // handed out, valid until the next forward (backward)

    /** Stride 1, no padding. */
    public Conv2d(int in, int out, int kernel, boolean withBias) { this(in, out, kernel, kernel, 1, 0, withBias); }

    /** Square kernel. */
    public Conv2d(int in, int out, int kernel, int stride, int padding, boolean withBias) {
        this(in, out, kernel, kernel, stride, padding, withBias);
    }

    /** Weights and bias start at zero; an {@link Init} fills them (the network builders always do). */
    public Conv2d(int in, int out, int kernelH, int kernelW, int stride, int padding, boolean withBias) {
        if (in <= 0 || out <= 0 || kernelH <= 0 || kernelW <= 0) {
            throw new IllegalArgumentException("Conv2d: channels and kernel sizes must be positive, got in=" + in + ", out=" + out
                    + ", kernel=" + kernelH + "×" + kernelW);
        }
        if (stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("Conv2d: stride must be positive and padding non-negative, got stride=" + stride
                    + ", padding=" + padding);
        }
        this.in = in;
        this.out = out;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.stride = stride;
        this.padding = padding;
        this.weight = Param.of("weight", Tensor.zeros(out, in, kernelH, kernelW));
        this.bias = withBias ? Param.of("bias", Tensor.zeros(out)) : null;
    }

    public Param weight() { return weight; }
    public Param bias() { return bias; }
    public int inChannels() { return in; }
    public int outChannels() { return out; }
    public int kernelH() { return kernelH; }
    public int kernelW() { return kernelW; }
    public int stride() { return stride; }
    public int padding() { return padding; }

    /** Output height for an input of height {@code h}. */
    public int outputHeight(int h) { return (h + 2 * padding - kernelH) / stride + 1; }

    /** Output width for an input of width {@code w}. */
    public int outputWidth(int w) { return (w + 2 * padding - kernelW) / stride + 1; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        checkInput(x);
        int n = x.dim(0), h = x.dim(2), w = x.dim(3);
        prepareBuffers(x.shape());
        int pixels = outH * outW, k = in * kernelH * kernelW;
        Tensor y = output = Tensor.reuse(output, n, out, outH, outW);  // every element is written below
        float[] xd = x.data(), yd = y.data(), wd = weight.value().data();
        // Samples are independent: blocks of them over the kernel threads, each part with its own Yₙ scratch.
        int parts = parts(n);
        Parallelism.forEach(parts, (long) n * k * pixels, part -> {
            float[] sampleOut = partScratch[part];
            for (int s = n * part / parts, end = n * (part + 1) / parts; s < end; s++) {
                im2col(xd, h, w, s, cols[s]);
                Gemm.gemm(false, false, out, pixels, k, 1f, wd, cols[s], 0f, sampleOut);
                for (int o = 0; o < out; o++) {
                    float b = bias == null ? 0f : bias.value().data()[o];
                    int src = o * pixels, dst = (s * out + o) * pixels;
                    for (int p = 0; p < pixels; p++) yd[dst + p] = sampleOut[src + p] + b;
                }
            }
        });
        return y;
    }

    /** Parts a batch of n samples is split into (the kernel threads, at most n), with their scratch arrays ready. */
    private int parts(int n) {
        int parts = Math.max(1, Math.min(n, Parallelism.threads()));
        if (partScratch.length < parts) partScratch = java.util.Arrays.copyOf(partScratch, parts);
        for (int p = 0; p < parts; p++) if (partScratch[p] == null) partScratch[p] = new float[out * outH * outW];
        return parts;
    }

    @Override
    public Tensor backward(Tensor dy) { return backward(dy, true); }

    /** dW and db only: the first layer of a model needs no dx (its input is the data), which halves its backward. */
    @Override
    public void backwardToParameters(Tensor dy) { backward(dy, false); }

    private Tensor backward(Tensor dy, boolean inputGradient) {
        if (inputShape == null) throw new IllegalStateException(describe() + ": backward called before forward");
        int n = inputShape[0], h = inputShape[2], w = inputShape[3];
        if (dy.rank() != 4 || dy.dim(0) != n || dy.dim(1) != out || dy.dim(2) != outH || dy.dim(3) != outW) {
            throw new IllegalArgumentException(describe() + ": expected gradient [" + n + "," + out + "," + outH + "," + outW + "], got "
                    + dy.shapeString());
        }
        int pixels = outH * outW, k = in * kernelH * kernelW;
        float[] g = dy.data(), wd = weight.value().data(), dw = weight.grad().data();
        if (bias != null) {
            float[] db = bias.grad().data();
            for (int o = 0; o < out; o++) {
                double sum = 0;
                for (int s = 0; s < n; s++) {
                    int off = (s * out + o) * pixels;
                    for (int p = 0; p < pixels; p++) sum += g[off + p];
                }
                db[o] += (float) sum;
            }
        }
        Tensor dx = inputGradient ? (gradInput = Tensor.reuse(gradInput, inputShape)) : null;
        float[] dxd = inputGradient ? dx.data() : null;
        // Two independent jobs, run side by side on two threads (one after the other on one): dW summed over the
        // samples in order (so its bits do not depend on the thread count), and each sample's dXₙ with its col2im.
        Parallelism.forEach(inputGradient ? 2 : 1, (long) n * k * pixels, job -> {
            float[] sampleGrad = job == 0 ? dyScratch : partScratch[0];
            for (int s = 0; s < n; s++) {
                System.arraycopy(g, s * out * pixels, sampleGrad, 0, out * pixels);   // dYₙ (Gemm takes whole arrays)
                if (job == 0) {
                    Gemm.gemm(false, true, out, k, pixels, 1f, sampleGrad, cols[s], 1f, dw);
                } else {
                    Gemm.gemm(true, false, k, pixels, out, 1f, wd, sampleGrad, 0f, colGrad);
                    Arrays.fill(dxd, s * in * h * w, (s + 1) * in * h * w, 0f);  // col2im adds into the reused buffer
                    col2im(colGrad, h, w, s, dxd);
                }
            }
        });
        return dx;
    }

    /** Copies the receptive fields of sample {@code sample} into {@code col} (K × Ho·Wo), zeros where they hit padding. */
    private void im2col(float[] x, int h, int w, int sample, float[] col) {
        for (int c = 0; c < in; c++) {
            int image = (sample * in + c) * h * w;
            for (int i = 0; i < kernelH; i++) {
                for (int j = 0; j < kernelW; j++) {
                    int row = ((c * kernelH + i) * kernelW + j) * outH * outW;
                    // Output columns q whose input column q·s − p + j lies inside the image.
                    int qLo = Math.max(0, Math.ceilDiv(padding - j, stride));
                    int qHi = Math.min(outW, Math.floorDiv(w - 1 + padding - j, stride) + 1);
                    for (int r = 0; r < outH; r++) {
                        int dst = row + r * outW, ih = r * stride - padding + i;
                        if (ih < 0 || ih >= h || qLo >= qHi) {
                            Arrays.fill(col, dst, dst + outW, 0f);
                            continue;
                        }
                        Arrays.fill(col, dst, dst + qLo, 0f);
                        int src = image + ih * w - padding + j;   // input index of output column q is src + q·stride
                        if (stride == 1) {
                            System.arraycopy(x, src + qLo, col, dst + qLo, qHi - qLo);
                        } else {
                            for (int q = qLo; q < qHi; q++) col[dst + q] = x[src + q * stride];
                        }
                        Arrays.fill(col, dst + qHi, dst + outW, 0f);
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: adds each entry of {@code colGrad} to the input pixel of {@code sample} it came from. */
    private void col2im(float[] colGrad, int h, int w, int sample, float[] dx) {
        for (int c = 0; c < in; c++) {
            int image = (sample * in + c) * h * w;
            for (int i = 0; i < kernelH; i++) {
                for (int j = 0; j < kernelW; j++) {
                    int row = ((c * kernelH + i) * kernelW + j) * outH * outW;
                    int qLo = Math.max(0, Math.ceilDiv(padding - j, stride));
                    int qHi = Math.min(outW, Math.floorDiv(w - 1 + padding - j, stride) + 1);
                    for (int r = 0; r < outH; r++) {
                        int ih = r * stride - padding + i;
                        if (ih < 0 || ih >= h) continue;
                        int src = row + r * outW, dst = image + ih * w - padding + j;
                        for (int q = qLo; q < qHi; q++) dx[dst + q * stride] += colGrad[src + q];
                    }
                }
            }
        }
    }

    /** Sizes the per-sample matrices for this input; keeps last step's arrays when the input shape is unchanged. */
    private void prepareBuffers(int[] shape) {
        if (Arrays.equals(shape, inputShape)) return;
        int n = shape[0], k = in * kernelH * kernelW;
        outH = outputHeight(shape[2]);
        outW = outputWidth(shape[3]);
        int pixels = outH * outW;
        cols = new float[n][k * pixels];
        partScratch = new float[0][];
        dyScratch = new float[out * pixels];
        colGrad = new float[k * pixels];
        inputShape = shape;
    }

    private void checkInput(Tensor x) {
        int minH = Math.max(1, kernelH - 2 * padding), minW = Math.max(1, kernelW - 2 * padding);
        if (x.rank() != 4 || x.dim(1) != in) {
            throw new IllegalArgumentException(describe() + ": expected input [N," + in + ",H,W], got " + x.shapeString());
        }
        if (x.dim(2) < minH || x.dim(3) < minW) {
            throw new IllegalArgumentException(describe() + ": expected input [N," + in + ",H≥" + minH + ",W≥" + minW + "], got "
                    + x.shapeString());
        }
        if (x.dim(0) == 0) throw new IllegalArgumentException(describe() + ": got an empty batch " + x.shapeString());
    }

    @Override
    public List<Param> params() { return bias == null ? List.of(weight) : List.of(weight, bias); }

    @Override
    public String describe() {
        return "Conv2d(" + in + "→" + out + ", " + kernelH + "×" + kernelW
                + (stride != 1 ? ", stride " + stride : "") + (padding != 0 ? ", padding " + padding : "")
                + (bias == null ? ", no bias" : "") + ")";
    }
}
