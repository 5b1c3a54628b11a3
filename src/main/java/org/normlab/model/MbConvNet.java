package org.normlab.model;

import java.util.ArrayList;
import java.util.List;
import org.normlab.nn.Activation;
import org.normlab.nn.Conv2d;
import org.normlab.nn.GlobalAvgPool2d;
import org.normlab.nn.Init;
import org.normlab.nn.Layer;
import org.normlab.nn.Linear;
import org.normlab.nn.Sequential;
import org.normlab.norm.Norm;
import org.normlab.norm.NormOptions;
import org.normlab.tensor.Rng;

/**
 * A small EfficientNet-style network for (N, 1, 28, 28) images and 10 classes (claim C15), built from the pieces of
 * EfficientNet-B0 (stem, MBConv1 and MBConv6-like blocks with squeeze-and-excitation, SiLU, global pooling) at a size
 * that trains on a CPU:
 * <pre>
 * Conv2d(1→16, 3×3, stride 2, padding 1) → [Norm(16)] → SiLU          28×28 → 14×14   stem
 * MBConv(16→16, expand 1, stride 1)            + residual              14×14
 * MBConv(16→24, expand 4, stride 2)                                    14×14 → 7×7
 * MBConv(24→24, expand 4, stride 1)            + residual              7×7
 * GlobalAvgPool2d → Linear(24→10)
 * </pre>
 * With {@link Norm#NONE} the bracketed layers (and those inside the blocks) are left out and the convolutions keep
 * their biases. No head convolution, no dropout, no drop-connect.
 */
public final class MbConvNet {
    public static final int STEM_CHANNELS = 16, CLASSES = 10;

    private MbConvNet() {}

    /** The network above, initialized with {@code init} (He suits SiLU). */
    public static Sequential build(Norm norm, Init init, Rng rng) {
        Sequential model = new Sequential(layers(norm, NormOptions.DEFAULT));
        init.apply(model, rng);
        return model;
    }

    /** The layers of the network above, uninitialized, its norm layers started as {@code options} says. */
    static List<Layer> layers(Norm norm, NormOptions options) {
        List<Layer> layers = new ArrayList<>();
        Layer stemNorm = norm.create(STEM_CHANNELS, options);
        layers.add(new Conv2d(1, STEM_CHANNELS, 3, 2, 1, stemNorm == null || !norm.cancelsBias()));
        if (stemNorm != null) layers.add(stemNorm);
        layers.add(Activation.silu());
        layers.add(new MBConv(16, 16, 1, 1, norm, options));
        layers.add(new MBConv(16, 24, 4, 2, norm, options));
        layers.add(new MBConv(24, 24, 4, 1, norm, options));
        layers.add(new GlobalAvgPool2d());
        layers.add(new Linear(24, CLASSES, true));
        return layers;
    }
}
