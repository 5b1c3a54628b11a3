package org.normlab.nn;

import java.io.Serializable;
import org.normlab.tensor.Rng;
import java.util.Arrays;

/**
 * Weight initializers with a scale factor (for initialization-sensitivity studies: scale 1 is the textbook rule).
 *
 * <pre>
 * HE:      W ~ N(0, (scale·√(2 / fanIn))²)           for ReLU nets (He et al. 2015)
 * XAVIER:  W ~ N(0, (scale·√(2 / (fanIn + fanOut)))²)  for sigmoid/tanh nets (Glorot &amp; Bengio 2010)
 * NORMAL:  W ~ N(0, scale²)                           a fixed σ, independent of width
 * </pre>
 * Biases start at zero. For a {@link Linear}, fanIn = in and fanOut = out; for a {@link Conv2d},
 * fanIn = in·kH·kW and fanOut = out·kH·kW (PyTorch's {@code _calculate_fan_in_and_fan_out}).
 * An {@link Initializable} layer (recurrent cells, depthwise convolutions, MBConv blocks…) fills itself with this rule.
 */
public record Init(Kind kind, double scale) implements Serializable {
    public enum Kind { HE, XAVIER, NORMAL }

    public Init {
        if (!(scale > 0) || !Double.isFinite(scale)) throw new IllegalArgumentException("Init: scale must be a positive finite number, got " + scale);
    }

    public static Init he() { return new Init(Kind.HE, 1); }
    public static Init xavier() { return new Init(Kind.XAVIER, 1); }

    /** The standard deviation this rule gives for a weight of the given fans. */
    public double std(int fanIn, int fanOut) {
        return scale * switch (kind) {
            case HE -> Math.sqrt(2.0 / fanIn);
            case XAVIER -> Math.sqrt(2.0 / (fanIn + fanOut));
            case NORMAL -> 1.0;
        };
    }

    /**
     * Fills every {@link Linear} and {@link Conv2d} in {@code model} (weights drawn, biases zeroed), in layer order,
     * looking inside {@link Sequential} and {@link Residual}.
     */
    public void apply(Layer model, Rng rng) {
        if (model instanceof Wrapper wrapper) {
            apply(wrapper.inner(), rng);
            wrapper.afterInit();
            return;
        }
        if (model instanceof Sequential seq) {
            for (Layer layer : seq.layers()) apply(layer, rng);
        } else if (model instanceof Residual residual) {
            apply(residual.inner(), rng);
        } else if (model instanceof Linear linear) {
            fill(linear.weight(), linear.bias(), linear.inFeatures(), linear.outFeatures(), rng);
        } else if (model instanceof Conv2d conv) {
            int receptiveField = conv.kernelH() * conv.kernelW();
            fill(conv.weight(), conv.bias(), conv.inChannels() * receptiveField, conv.outChannels() * receptiveField, rng);
        } else if (model instanceof Initializable layer) {
            layer.initialize(this, rng);
        }
    }

    /** Draws {@code weight} from N(0, std(fanIn, fanOut)²) and zeroes {@code bias} (if not null). */
    public void fill(Param weight, Param bias, int fanIn, int fanOut, Rng rng) {
        float std = (float) std(fanIn, fanOut);
        float[] w = weight.value().data();
        for (int i = 0; i < w.length; i++) w[i] = (float) (rng.nextGaussian() * std);
        if (bias != null) Arrays.fill(bias.value().data(), 0f);
    }
}
