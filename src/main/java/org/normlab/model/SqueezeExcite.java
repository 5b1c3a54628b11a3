package org.normlab.model;

import java.util.ArrayList;
import java.util.List;
import org.normlab.nn.Activation;
import org.normlab.nn.GlobalAvgPool2d;
import org.normlab.nn.Init;
import org.normlab.nn.Initializable;
import org.normlab.nn.Layer;
import org.normlab.nn.Linear;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.nn.Saved;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * Squeeze-and-excitation (Hu et al. 2018) as EfficientNet uses it: a per-channel gate computed from the
 * channel means. The two fully connected layers are 1×1 convolutions on a 1×1 map in EfficientNet; here they are
 * {@link Linear} layers on (N, C), which is the same map.
 *
 * <pre>
 * forward:   s = mean_{h,w} x            (N, C)        squeeze ({@link GlobalAvgPool2d})
 *            u = s·W_rᵀ + b_r            (N, R)        reduce
 *            v = act(u)                                SiLU (EfficientNet) or ReLU (Hu et al.)
 *            e = v·W_eᵀ + b_e            (N, C)        expand
 *            a = σ(e)                                  gate in (0, 1)
 *            y[n,c,h,w] = a[n,c] · x[n,c,h,w]
 * backward:  da[n,c] = Σ_{h,w} dy[n,c,h,w]·x[n,c,h,w]
 *            ds = reduce'(act'(expand'(σ'(da))))      through the layers above (their parameter gradients added)
 *            dx[n,c,h,w] = a[n,c]·dy[n,c,h,w] + ds[n,c]/(H·W)
 * </pre>
 */
public final class SqueezeExcite implements Layer, Initializable {
    private final int channels, reduced;
    private final GlobalAvgPool2d squeeze = new GlobalAvgPool2d();
    private final Linear reduce, expand;
    private final Layer activation;
    private final Activation gate = Activation.sigmoid();
    // What backward needs from the last TRAIN forward: x and the gate a.
    private record Forward(Tensor input, Tensor scale) {}
    private final Saved<Forward> saved = new Saved<>();

    /** SiLU between the two layers, as in EfficientNet. */
    public SqueezeExcite(int channels, int reduced) { this(channels, reduced, Activation.silu()); }

    /**
     * @param reduced    R, the width of the bottleneck (EfficientNet: a quarter of the block's input channels)
     * @param activation a fresh activation layer for between the two linear layers (e.g. {@link Activation#silu()}, {@link Activation#relu()})
     */
    public SqueezeExcite(int channels, int reduced, Layer activation) {
        if (channels <= 0 || reduced <= 0) {
            throw new IllegalArgumentException("SqueezeExcite: channel counts must be positive, got C=" + channels + ", reduced=" + reduced);
        }
        this.channels = channels;
        this.reduced = reduced;
        this.reduce = new Linear(channels, reduced, true);
        this.expand = new Linear(reduced, channels, true);
        this.activation = activation;
    }

    public int channels() { return channels; }
    public int reducedChannels() { return reduced; }
    public Linear reduce() { return reduce; }
    public Linear expand() { return expand; }

    @Override
    public List<Layer> children() { return List.of(squeeze, reduce, activation, expand, gate); }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.rank() != 4 || x.dim(1) != channels) {
            throw new IllegalArgumentException(describe() + ": expected input [N," + channels + ",H,W], got " + x.shapeString());
        }
        Tensor s = squeeze.forward(x, mode);
        Tensor a = gate.forward(expand.forward(activation.forward(reduce.forward(s, mode), mode), mode), mode);
        int area = x.dim(2) * x.dim(3);
        Tensor y = Tensor.zeros(x.shape());
        float[] in = x.data(), out = y.data(), ad = a.data();
        for (int p = 0; p < ad.length; p++) {
            float gain = ad[p];
            for (int i = p * area; i < (p + 1) * area; i++) out[i] = gain * in[i];
        }
        saved.keep(mode, new Forward(x, a));
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Forward forward = saved.get(this);
        Tensor input = forward.input(), scale = forward.scale();
        Layer.checkGradient(this, input, dy);
        int area = input.dim(2) * input.dim(3);
        float[] in = input.data(), g = dy.data(), ad = scale.data();
        Tensor dScale = Tensor.zeros(scale.shape());
        Tensor dx = Tensor.zeros(input.shape());
        float[] da = dScale.data(), out = dx.data();
        for (int p = 0; p < ad.length; p++) {
            double sum = 0;
            for (int i = p * area; i < (p + 1) * area; i++) {
                sum += (double) g[i] * in[i];
                out[i] = ad[p] * g[i];
            }
            da[p] = (float) sum;
        }
        Tensor dSqueezed = reduce.backward(activation.backward(expand.backward(gate.backward(dScale))));
        float[] throughMean = squeeze.backward(dSqueezed).data();
        for (int i = 0; i < out.length; i++) out[i] += throughMean[i];
        return dx;
    }

    /** Both linear layers under {@code init}'s rule (biases zero). */
    @Override
    public void initialize(Init init, Rng rng) {
        init.apply(reduce, rng);
        init.apply(expand, rng);
    }

    @Override
    public List<Param> params() {
        List<Param> all = new ArrayList<>(reduce.params());
        all.addAll(activation.params());
        all.addAll(expand.params());
        return all;
    }

    @Override
    public String describe() { return "SqueezeExcite(" + channels + "→" + reduced + "→" + channels + ", " + activation.describe() + ")"; }
}
