package org.normlab.model;

import java.util.ArrayList;
import java.util.List;
import org.normlab.nn.Activation;
import org.normlab.nn.Conv2d;
import org.normlab.nn.DepthwiseConv2d;
import org.normlab.nn.Init;
import org.normlab.nn.Initializable;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.nn.Saved;
import org.normlab.nn.Sequential;
import org.normlab.norm.Norm;
import org.normlab.norm.NormOptions;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * The inverted-residual block of MobileNetV2 and EfficientNet (MBConv), with squeeze-and-excitation and SiLU,
 * for inputs (N, in, H, W). E = in·expandRatio hidden channels; [Norm] is left out for {@link Norm#NONE}.
 *
 * <pre>
 * body:      Conv2d(in→E, 1×1) → [Norm(E)] → SiLU                       expansion (left out when expandRatio = 1)
 *            DepthwiseConv2d(E, k×k, stride s, padding ⌊k/2⌋) → [Norm(E)] → SiLU
 *            SqueezeExcite(E→max(1, ⌊in/4⌋)→E, SiLU)
 *            Conv2d(E→out, 1×1) → [Norm(out)]                           projection, no activation (linear bottleneck)
 * forward:   y = body(x) + x      when s = 1 and in = out (residual)
 *            y = body(x)          otherwise
 * backward:  dx = body'(dy) + dy  (residual),   dx = body'(dy)  otherwise
 * </pre>
 * A convolution followed by a BN-like norm has no bias (the batch-mean subtraction cancels it, β replaces it);
 * before LN/GN it keeps its bias. EfficientNet's drop-connect
 * (stochastic depth) is left out.
 */
public final class MBConv implements Layer, Initializable {
    private final int in, out, expandRatio, kernel, stride;
    private final Norm norm;
    private final boolean residual;
    private final Sequential body;
    private final Saved<int[]> inputShape = new Saved<>();  // of the last TRAIN forward

    /** 3×3 depthwise kernel. */
    public MBConv(int in, int out, int expandRatio, int stride, Norm norm) { this(in, out, expandRatio, 3, stride, norm); }

    /** 3×3 depthwise kernel, norm layers started as {@code options} says. */
    public MBConv(int in, int out, int expandRatio, int stride, Norm norm, NormOptions options) {
        this(in, out, expandRatio, 3, stride, norm, options);
    }

    public MBConv(int in, int out, int expandRatio, int kernel, int stride, Norm norm) {
        this(in, out, expandRatio, kernel, stride, norm, NormOptions.DEFAULT);
    }

    /** Weights start at zero; an {@link Init} fills them (the builders always do). */
    public MBConv(int in, int out, int expandRatio, int kernel, int stride, Norm norm, NormOptions options) {
        if (in <= 0 || out <= 0 || expandRatio <= 0 || kernel <= 0 || stride <= 0) {
            throw new IllegalArgumentException("MBConv: sizes must be positive, got in=" + in + ", out=" + out + ", expandRatio="
                    + expandRatio + ", kernel=" + kernel + ", stride=" + stride);
        }
        if (kernel % 2 == 0) throw new IllegalArgumentException("MBConv: kernel must be odd (same padding), got " + kernel);
        this.in = in;
        this.out = out;
        this.expandRatio = expandRatio;
        this.kernel = kernel;
        this.stride = stride;
        this.norm = norm;
        this.residual = stride == 1 && in == out;
        int hidden = in * expandRatio;
        List<Layer> layers = new ArrayList<>();
        if (expandRatio != 1) {
            Layer expandNorm = norm.create(hidden, options);
            layers.add(new Conv2d(in, hidden, 1, expandNorm == null || !norm.cancelsBias()));
            if (expandNorm != null) layers.add(expandNorm);
            layers.add(Activation.silu());
        }
        Layer depthwiseNorm = norm.create(hidden, options);
        layers.add(new DepthwiseConv2d(hidden, kernel, stride, kernel / 2, depthwiseNorm == null || !norm.cancelsBias()));
        if (depthwiseNorm != null) layers.add(depthwiseNorm);
        layers.add(Activation.silu());
        layers.add(new SqueezeExcite(hidden, Math.max(1, in / 4), Activation.silu()));
        Layer projectNorm = norm.create(out, options);
        layers.add(new Conv2d(hidden, out, 1, projectNorm == null || !norm.cancelsBias()));
        if (projectNorm != null) layers.add(projectNorm);
        this.body = new Sequential(layers);
    }

    public boolean hasResidual() { return residual; }
    public int inChannels() { return in; }
    public int outChannels() { return out; }
    public int stride() { return stride; }
    /** The layers of the block, without the residual connection. */
    public Sequential body() { return body; }

    @Override
    public List<Layer> children() { return List.of(body); }

    /** Output height for an input of height {@code h} (that of the depthwise convolution). */
    public int outputSize(int h) { return (h + 2 * (kernel / 2) - kernel) / stride + 1; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.rank() != 4 || x.dim(1) != in) {
            throw new IllegalArgumentException(describe() + ": expected input [N," + in + ",H,W], got " + x.shapeString());
        }
        Tensor branch = body.forward(x, mode);
        inputShape.keep(mode, x.shape());
        if (!residual) return branch;
        Tensor y = Tensor.zeros(branch.shape());
        float[] yd = y.data(), b = branch.data(), xd = x.data();
        for (int i = 0; i < yd.length; i++) yd[i] = b[i] + xd[i];
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        inputShape.get(this);
        Tensor dx = body.backward(dy);
        if (residual) {
            float[] d = dx.data(), g = dy.data();
            for (int i = 0; i < d.length; i++) d[i] += g[i];
        }
        return dx;
    }

    /** Every convolution and the SE layers under {@code init}'s rule, in layer order. */
    @Override
    public void initialize(Init init, Rng rng) { init.apply(body, rng); }

    @Override
    public List<Param> params() { return body.params(); }

    @Override
    public String describe() {
        return "MBConv(" + in + "→" + out + ", expand " + expandRatio + ", " + kernel + "×" + kernel
                + (stride != 1 ? ", stride " + stride : "") + ", SE " + Math.max(1, in / 4)
                + (norm == Norm.NONE ? "" : ", " + norm.label()) + (residual ? ", residual" : "") + ")";
    }
}
