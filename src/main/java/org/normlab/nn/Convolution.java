package org.normlab.nn;

import java.util.List;
import org.normlab.tensor.Tensor;

/**
 * What {@link Conv2d} and {@link DepthwiseConv2d} share besides their math: the {@link Window} (kH × kW, stride s,
 * zero padding p), the weight and the optional bias, and their accessors. Weight and bias start at zero; an
 * {@link Init} fills them (the network builders always do).
 */
abstract sealed class Convolution implements Layer permits Conv2d, DepthwiseConv2d {
    final Window window;
    final Param weight, bias;

    /** {@code weightShape} is (out, in per group, kH, kW); the bias has one value per output channel. */
    Convolution(Window window, int[] weightShape, boolean withBias) {
        this.window = window;
        this.weight = Param.of("weight", Tensor.zeros(weightShape));
        this.bias = withBias ? Param.of("bias", Tensor.zeros(weightShape[0])) : null;
    }

    public Param weight() { return weight; }
    public Param bias() { return bias; }
    public int kernelH() { return window.kernelH(); }
    public int kernelW() { return window.kernelW(); }
    public int stride() { return window.stride(); }
    public int padding() { return window.padding(); }

    /** Output height for an input of height {@code h}. */
    public int outputHeight(int h) { return window.outputHeight(h); }

    /** Output width for an input of width {@code w}. */
    public int outputWidth(int w) { return window.outputWidth(w); }

    /** x is (N, channels, H, W) with N &gt; 0 and the window inside the padded image. */
    void checkInput(Tensor x, int channels) {
        int minH = Math.max(1, kernelH() - 2 * padding()), minW = Math.max(1, kernelW() - 2 * padding());
        if (x.rank() != 4 || x.dim(1) != channels) {
            throw new IllegalArgumentException(describe() + ": expected input [N," + channels + ",H,W], got " + x.shapeString());
        }
        if (x.dim(2) < minH || x.dim(3) < minW) {
            throw new IllegalArgumentException(describe() + ": expected input [N," + channels + ",H≥" + minH + ",W≥" + minW + "], got "
                    + x.shapeString());
        }
        if (x.dim(0) == 0) throw new IllegalArgumentException(describe() + ": got an empty batch " + x.shapeString());
    }

    /** dy is (N, out, Ho, Wo) for the last TRAIN forward's input shape. */
    void checkGradient(Tensor dy, int[] inputShape) {
        int n = inputShape[0], channels = weight.value().dim(0), outH = outputHeight(inputShape[2]), outW = outputWidth(inputShape[3]);
        if (dy.rank() != 4 || dy.dim(0) != n || dy.dim(1) != channels || dy.dim(2) != outH || dy.dim(3) != outW) {
            throw new IllegalArgumentException(describe() + ": expected gradient [" + n + "," + channels + "," + outH + "," + outW + "], got "
                    + dy.shapeString());
        }
    }

    @Override
    public List<Param> params() { return bias == null ? List.of(weight) : List.of(weight, bias); }
}
