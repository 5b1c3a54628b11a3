package org.normlab.nn;

import java.util.Arrays;
import org.normlab.kernels.Gemm;
import org.normlab.kernels.Parallelism;
import org.normlab.kernels.ReusedTensor;
import org.normlab.kernels.SampleMatrices;
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
 * <p>One GEMM per sample, not one for the whole batch or per tile: OpenBLAS's arithmetic depends on the shape of
 * the call (which kernel runs, how k is blocked), so regrouping the products would change the bits every study's
 * numbers rest on, and per-sample matrices stay in cache through im2col and the GEMM, whose result lands straight
 * in y (docs/decisions/conv-gemm-per-sample.md).
 *
 * <p>A TRAIN forward keeps each sample's im2col matrix for backward (dW needs them) and, like the other scratch
 * arrays, reuses them in the next TRAIN forward of the same input shape; the output and input-gradient tensors
 * are reused the same way, so a returned tensor stays valid until this layer's next forward (backward). An EVAL
 * forward keeps nothing: each part of the batch fills one im2col matrix for its samples in turn (the same values,
 * the same GEMM calls), and its output is its own tensor, held softly until the next TRAIN step.
 */
public final class Conv2d extends Convolution {
    private final int in, out;

    // What backward needs from the last TRAIN forward: its input shape and each sample's im2col matrix Xₙ.
    private record Forward(int[] inputShape, SampleMatrices columns) {}
    private final Saved<Forward> saved = new Saved<>();
    // Scratch reused across steps while the shapes stay the same; never handed out.
    private SampleMatrices trainColumns;  // Xₙ of a TRAIN forward, K × (Ho·Wo) each
    private float[] colGrad;              // dXₙ: K × (Ho·Wo)
    private final ReusedTensor output = new ReusedTensor(), gradInput = new ReusedTensor();  // handed out, valid until the next call

    /** Stride 1, no padding. */
    public Conv2d(int in, int out, int kernel, boolean withBias) { this(in, out, kernel, kernel, 1, 0, withBias); }

    /** Square kernel. */
    public Conv2d(int in, int out, int kernel, int stride, int padding, boolean withBias) {
        this(in, out, kernel, kernel, stride, padding, withBias);
    }

    /** Weight (out, in, kH, kW) and bias (out), zero until an {@link Init} fills them (the network builders always do). */
    public Conv2d(int in, int out, int kernelH, int kernelW, int stride, int padding, boolean withBias) {
        super(checkedWindow(in, out, kernelH, kernelW, stride, padding), new int[] {out, in, kernelH, kernelW}, withBias);
        this.in = in;
        this.out = out;
    }

    private static Window checkedWindow(int in, int out, int kernelH, int kernelW, int stride, int padding) {
        if (in <= 0 || out <= 0 || kernelH <= 0 || kernelW <= 0) {
            throw new IllegalArgumentException("Conv2d: channels and kernel sizes must be positive, got in=" + in + ", out=" + out
                    + ", kernel=" + kernelH + "×" + kernelW);
        }
        return Window.convolution("Conv2d", kernelH, kernelW, stride, padding);
    }

    public int inChannels() { return in; }
    public int outChannels() { return out; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        checkInput(x, in);
        int n = x.dim(0), h = x.dim(2), w = x.dim(3), outH = outputHeight(h), outW = outputWidth(w);
        int pixels = outH * outW, k = in * kernelH() * kernelW(), parts = parts(n);
        boolean train = mode == Mode.TRAIN;
        // Backward reads every Xₙ again, so TRAIN keeps one per sample; EVAL is done with Xₙ after its GEMM.
        SampleMatrices cols = train ? (trainColumns = SampleMatrices.perSample(trainColumns, n, k * pixels)) : SampleMatrices.perPart(parts, k * pixels);
        Tensor y = output.take(train, n, out, outH, outW);  // every element is written below
        float[] xd = x.data(), yd = y.data(), wd = weight.value().data();
        // Samples are independent: blocks of them over the kernel threads.
        Parallelism.forEach(parts, (long) n * k * pixels, part -> {
            for (int s = n * part / parts, end = n * (part + 1) / parts; s < end; s++) {
                float[] col = cols.of(part, s);
                window.im2col(xd, s, in, h, w, col);
                Gemm.gemm(false, false, out, pixels, k, 1f, wd, 0, col, 0, 0f, yd, s * out * pixels);  // W·Xₙ into y[n]
                for (int o = 0; o < out; o++) {
                    float b = bias == null ? 0f : bias.value().data()[o];
                    for (int p = (s * out + o) * pixels, end1 = p + pixels; p < end1; p++) yd[p] += b;
                }
            }
        });
        saved.keep(mode, new Forward(x.shape(), cols));
        return y;
    }

    /** Parts a batch of n samples is split into: the kernel threads, at most n. */
    private static int parts(int n) { return Math.max(1, Math.min(n, Parallelism.threads())); }

    @Override
    public Tensor backward(Tensor dy) { return backward(dy, true); }

    /** dW and db only: the first layer of a model needs no dx (its input is the data), which halves its backward. */
    @Override
    public void backwardToParameters(Tensor dy) { backward(dy, false); }

    private Tensor backward(Tensor dy, boolean inputGradient) {
        Forward forward = saved.get(this);
        int[] inputShape = forward.inputShape();
        checkGradient(dy, inputShape);
        int n = inputShape[0], h = inputShape[2], w = inputShape[3];
        int pixels = outputHeight(h) * outputWidth(w), k = in * kernelH() * kernelW();
        SampleMatrices cols = forward.columns();
        if (inputGradient && (colGrad == null || colGrad.length != k * pixels)) colGrad = new float[k * pixels];
        float[] g = dy.data(), wd = weight.value().data(), dw = weight.grad().data();
        Tensor dx = inputGradient ? gradInput.reuse(inputShape) : null;
        float[] dxd = inputGradient ? dx.data() : null;
        // Two independent jobs, run side by side on two threads (one after the other on one): dW summed over the
        // samples in order (so its bits do not depend on the thread count); and db with each sample's dXₙ and col2im.
        boolean second = bias != null || inputGradient;
        Parallelism.forEach(second ? 2 : 1, (long) n * k * pixels, job -> {
            if (job == 0) {
                for (int s = 0; s < n; s++) Gemm.gemm(false, true, out, k, pixels, 1f, g, s * out * pixels, cols.kept(s), 0, 1f, dw, 0);
                return;
            }
            if (bias != null) biasGradient(g, n, pixels, bias.grad().data());
            if (!inputGradient) return;
            for (int s = 0; s < n; s++) {
                Gemm.gemm(true, false, k, pixels, out, 1f, wd, 0, g, s * out * pixels, 0f, colGrad, 0);  // dYₙ where it lies in dy
                Arrays.fill(dxd, s * in * h * w, (s + 1) * in * h * w, 0f);  // col2im adds into the reused buffer
                window.col2im(colGrad, s, in, h, w, dxd);
            }
        });
        return dx;
    }

    /** db += Σ_{n,r,q} dy, each channel's sum in double, in sample and pixel order. */
    private void biasGradient(float[] g, int n, int pixels, float[] db) {
        for (int o = 0; o < out; o++) {
            double sum = 0;
            for (int s = 0; s < n; s++) {
                int off = (s * out + o) * pixels;
                for (int p = 0; p < pixels; p++) sum += g[off + p];
            }
            db[o] += (float) sum;
        }
    }

    @Override
    public String describe() {
        return "Conv2d(" + in + "→" + out + ", " + window.describe(1) + (bias == null ? ", no bias" : "") + ")";
    }
}
