package org.normlab.norm;

import java.util.ArrayList;
import java.util.List;
import org.normlab.nn.Conv2d;
import org.normlab.nn.Layer;
import org.normlab.nn.Linear;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.nn.Saved;
import org.normlab.nn.Wrapper;
import org.normlab.tensor.Tensor;

/**
 * Weight Standardization (Qiao et al. 2019) of a {@link Conv2d} or {@link Linear}: the layer computes with
 * standardized weights, each output unit's weights having zero mean and unit variance over its fan-in.
 *
 * <pre>
 * forward:   Ŵ_o = (W_o − μ_o) / σ_o,   μ_o = mean(W_o),  σ_o = √(var(W_o) + ε)     (over the fan-in of output o)
 *            y = layer(x; Ŵ)
 * backward:  dŴ from the layer's own backward, then
 *            dW_o = (1/σ_o) · (dŴ_o − mean(dŴ_o) − Ŵ_o · mean(dŴ_o ⊙ Ŵ_o))
 * </pre>
 * The trainable tensor is the raw W ({@link #weight()}); the wrapped layer's weight holds Ŵ and is not trained
 * directly. ε = 1e-5 (the paper's reference code uses 1e-5 added to the standard deviation; adding it to the
 * variance, as here, is the form most re-implementations use — documented deviation). Used as "GN+WS".
 */
public final class WeightStandardization implements Wrapper {
    private final Layer layer;
    private final Param innerWeight;
    private final Param weight;
    private final int outputs, fanIn;
    private final double eps;
    private final double[] invStd;  // 1/σ_o of the last forward
    private final Saved<double[]> savedInvStd = new Saved<>();  // the same after a TRAIN forward, for backward

    public WeightStandardization(Layer layer) { this(layer, 1e-5); }

    public WeightStandardization(Layer layer, double eps) {
        if (layer instanceof Conv2d conv) innerWeight = conv.weight();
        else if (layer instanceof Linear linear) innerWeight = linear.weight();
        else throw new IllegalArgumentException("WeightStandardization: wraps a Conv2d or Linear, got " + layer.describe());
        this.layer = layer;
        this.outputs = innerWeight.value().dim(0);
        this.fanIn = innerWeight.value().size() / outputs;
        if (fanIn < 2) throw new IllegalArgumentException(describe() + ": needs a fan-in of at least 2, got " + fanIn);
        if (!(eps > 0) || !Double.isFinite(eps)) throw new IllegalArgumentException(describe() + ": eps must be positive and finite, got " + eps);
        this.eps = eps;
        this.weight = Param.of("weight", innerWeight.value().copy());
        this.invStd = new double[outputs];
    }

    /** The raw, trainable weight W (initializers write here). */
    public Param weight() { return weight; }

    @Override
    public Layer inner() { return layer; }

    /** Takes the freshly initialized inner weight as the raw weight W. */
    @Override
    public void afterInit() { System.arraycopy(innerWeight.value().data(), 0, weight.value().data(), 0, weight.value().size()); }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        float[] w = weight.value().data(), standardized = innerWeight.value().data();
        for (int o = 0; o < outputs; o++) {
            double mean = 0, sq = 0;
            for (int i = 0; i < fanIn; i++) mean += w[o * fanIn + i];
            mean /= fanIn;
            for (int i = 0; i < fanIn; i++) { double d = w[o * fanIn + i] - mean; sq += d * d; }
            invStd[o] = 1 / Math.sqrt(sq / fanIn + eps);
            for (int i = 0; i < fanIn; i++) standardized[o * fanIn + i] = (float) ((w[o * fanIn + i] - mean) * invStd[o]);
        }
        savedInvStd.keep(mode, invStd);
        return layer.forward(x, mode);
    }

    @Override
    public Tensor backward(Tensor dy) {
        double[] invStd = savedInvStd.get(this);
        innerWeight.zeroGrad();
        Tensor dx = layer.backward(dy);
        float[] dStd = innerWeight.grad().data(), std = innerWeight.value().data(), dw = weight.grad().data();
        for (int o = 0; o < outputs; o++) {
            double meanG = 0, meanGW = 0;
            for (int i = 0; i < fanIn; i++) { meanG += dStd[o * fanIn + i]; meanGW += dStd[o * fanIn + i] * std[o * fanIn + i]; }
            meanG /= fanIn;
            meanGW /= fanIn;
            for (int i = 0; i < fanIn; i++) {
                dw[o * fanIn + i] += (float) (invStd[o] * (dStd[o * fanIn + i] - meanG - std[o * fanIn + i] * meanGW));
            }
        }
        return dx;
    }

    @Override
    public List<Param> params() {
        List<Param> p = new ArrayList<>();
        p.add(weight);
        for (Param q : layer.params()) if (q != innerWeight) p.add(q);
        return p;
    }

    @Override
    public String describe() { return "WS(" + layer.describe() + ")"; }
}
