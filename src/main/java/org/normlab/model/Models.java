package org.normlab.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.normlab.nn.Activation;
import org.normlab.nn.Flatten;
import org.normlab.nn.Init;
import org.normlab.nn.Layer;
import org.normlab.nn.Linear;
import org.normlab.nn.Sequential;
import org.normlab.norm.Norm;
import org.normlab.norm.Placement;
import org.normlab.tensor.Rng;

/** Builders for the networks the studies train. Each returns an initialized model. */
public final class Models {
    private Models() {}

    /**
     * A multilayer perceptron: Flatten, then for each hidden width a block Linear → [Norm] → activation
     * (or Linear → activation → [Norm] with {@link Placement#AFTER}), then a Linear output layer.
     * A layer followed by BatchNorm gets no bias (BN's β replaces it, as is customary).
     *
     * @param widths input size, hidden widths…, output size (e.g. 784, 256, 256, 10)
     */
    public static Sequential mlp(int[] widths, Activation.Kind activation, Norm norm, Placement placement, Init init, Rng rng) {
        if (widths.length < 2) throw new IllegalArgumentException("MLP: needs at least input and output widths, got " + Arrays.toString(widths));
        List<Layer> layers = new ArrayList<>();
        layers.add(new Flatten());
        for (int i = 1; i < widths.length - 1; i++) {
            Layer normLayer = norm.create(widths[i]);
            boolean biasRedundant = normLayer != null && placement == Placement.BEFORE;
            layers.add(new Linear(widths[i - 1], widths[i], !biasRedundant));
            if (normLayer != null && placement == Placement.BEFORE) layers.add(normLayer);
            layers.add(new Activation(activation));
            if (normLayer != null && placement == Placement.AFTER) layers.add(normLayer);
        }
        layers.add(new Linear(widths[widths.length - 2], widths[widths.length - 1], true));
        Sequential model = new Sequential(layers);
        init.apply(model, rng);
        return model;
    }
}
