package org.normlab.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.normlab.nn.Activation;
import org.normlab.nn.AvgPool2d;
import org.normlab.nn.Conv2d;
import org.normlab.nn.Dropout;
import org.normlab.nn.Flatten;
import org.normlab.nn.Init;
import org.normlab.nn.Layer;
import org.normlab.nn.Linear;
import org.normlab.norm.RecurrentNorm;
import org.normlab.nn.Sequential;
import org.normlab.nn.Shift;
import org.normlab.norm.NormOptions;
import org.normlab.norm.WeightStandardization;
import org.normlab.norm.Norm;
import org.normlab.tensor.Rng;

/** Builders for the networks the studies train. Each returns an initialized model. */
public final class Models {
    private Models() {}

    /**
     * The initialized network {@code spec} describes, built in one pass: weights drawn from {@code initRng}; from
     * {@code streams}, first one split per dropout layer, then one per noisy BN in layer order (a network without
     * such layers leaves it untouched); every norm layer starts with the spec's γ₀ and BN momentum (and has no γ, β
     * when the spec says so); a
     * {@link Shift} by the spec's input shift comes first (when not 0) and {@code probe} (when not null) sits on the
     * input of the last activation of the top-level layers.
     */
    public static Sequential build(NetworkSpec spec, Layer probe, Rng initRng, Rng streams) {
        NormOptions options = new NormOptions(spec.gamma0(), spec.bnMomentum(), streams == null ? null : streams::split, spec.normAffine());
        List<Layer> layers = switch (spec.model()) {
            case ModelSpec.Mlp mlp -> {
                boolean everyBlock = mlp.dropoutPlacement() == DropoutPlacement.EVERY_BLOCK;
                List<Rng> dropoutStreams = dropoutStreams(everyBlock ? mlp.hidden().size() : 1, mlp.dropout(), streams);
                yield mlpLayers(mlp.widths(), mlp.activation(), spec.norm(), mlp.placement(), mlp.dropout(), mlp.dropoutPlacement(), dropoutStreams, options);
            }
            case ModelSpec.LeNet lenet -> lenetLayers(spec.norm(), lenet.placement(), lenet.activation(), options);
            case ModelSpec.MbConv mbconv -> MbConvNet.layers(spec.norm(), options);
            case ModelSpec.Recurrent r -> RecurrentModels.rowClassifierLayers(switch (r.cell()) {
                case RNN -> RecurrentModels.rnnCell(r.hidden(), recurrentNorm(spec));
                case LSTM -> RecurrentModels.lstmCell(r.hidden(), recurrentNorm(spec), true);
                case GRU -> RecurrentModels.gruCell(r.hidden(), recurrentNorm(spec));
            });
        };
        if (spec.inputShift() != 0) layers.add(0, new Shift(spec.inputShift()));
        if (probe != null) insertBeforeLastActivation(layers, probe);
        Sequential model = new Sequential(layers);
        spec.init().apply(model, initRng);
        return model;
    }

    /** NONE, LN or BN of the spec as the recurrent cells' per-step normalization, with the spec's γ₀. */
    private static RecurrentNorm recurrentNorm(NetworkSpec spec) {
        if (spec.norm().equals(Norm.NONE)) return RecurrentNorm.NONE;
        if (spec.norm().equals(Norm.LN)) return RecurrentNorm.layer(spec.gamma0());
        if (spec.norm().equals(Norm.BN)) return RecurrentNorm.batchPerStep(spec.gamma0());
        throw new IllegalArgumentException("Models: recurrent model '" + spec.model().name() + "' takes norm none, LN or BN (per time step), got "
                + spec.norm().label());
    }

    private static void insertBeforeLastActivation(List<Layer> layers, Layer probe) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i) instanceof Activation) {
                layers.add(i, probe);
                return;
            }
        }
        throw new IllegalArgumentException("Models: " + new Sequential(layers).describe() + " has no activation to probe");
    }

    private static List<Rng> dropoutStreams(int blocks, double dropout, Rng streams) {
        if (dropout > 0 && streams == null) throw new IllegalArgumentException("MLP: dropout p=" + dropout + " needs an Rng for its masks");
        List<Rng> out = new ArrayList<>();
        if (dropout > 0) for (int i = 0; i < blocks; i++) out.add(streams.split());
        return out;
    }

    /**
     * A multilayer perceptron: Flatten, then for each hidden width a block Linear → [Norm] → activation
     * (or Linear → activation → [Norm] with {@link Placement#AFTER}), then a Linear output layer.
     * A layer directly followed by BatchNorm gets no bias (BN subtracts the batch mean, which cancels it, and β
     * replaces it); before LN or GN a bias is not cancelled, so it stays.
     *
     * @param widths input size, hidden widths…, output size (e.g. 784, 256, 256, 10)
     */
    public static Sequential mlp(int[] widths, Activation.Kind activation, Norm norm, Placement placement, Init init, Rng rng) {
        return mlp(widths, activation, norm, placement, init, rng, 0, null);
    }

    /**
     * The MLP above with {@link Dropout}(p) closing every hidden block (after the activation, and after the norm when
     * it is placed after the activation), as in Srivastava et al. Weights are drawn from {@code rng} exactly as without
     * dropout; the masks come from {@code dropoutRng}, one split stream per dropout layer. p = 0 adds no layers.
     */
    public static Sequential mlp(int[] widths, Activation.Kind activation, Norm norm, Placement placement, Init init, Rng rng,
                                 double dropout, Rng dropoutRng) {
        if (widths.length < 2) throw new IllegalArgumentException("MLP: needs at least input and output widths, got " + Arrays.toString(widths));
        Sequential model = new Sequential(mlpLayers(widths, activation, norm, placement, dropout, DropoutPlacement.EVERY_BLOCK,
                dropoutStreams(widths.length - 2, dropout, dropoutRng), NormOptions.DEFAULT));
        init.apply(model, rng);
        return model;
    }

    /**
     * The MLP's layers; with {@link DropoutPlacement#BEFORE_OUTPUT} the one Dropout closes the last hidden block only
     * (after every norm), with {@link DropoutPlacement#EVERY_BLOCK} one closes every hidden block.
     */
    private static List<Layer> mlpLayers(int[] widths, Activation.Kind activation, Norm norm, Placement placement, double dropout,
                                         DropoutPlacement dropoutPlacement, List<Rng> dropoutStreams, NormOptions options) {
        if (widths.length < 2) throw new IllegalArgumentException("MLP: needs at least input and output widths, got " + Arrays.toString(widths));
        List<Layer> layers = new ArrayList<>();
        layers.add(new Flatten());
        for (int i = 1; i < widths.length - 1; i++) {
            Layer normLayer = norm.create(widths[i], options);
            boolean biasRedundant = norm.cancelsBias() && placement == Placement.BEFORE;
            layers.add(weights(new Linear(widths[i - 1], widths[i], !biasRedundant), norm));
            if (normLayer != null && placement == Placement.BEFORE) layers.add(normLayer);
            layers.add(new Activation(activation));
            if (normLayer != null && placement == Placement.AFTER) layers.add(normLayer);
            if (dropout > 0 && dropoutPlacement == DropoutPlacement.EVERY_BLOCK) layers.add(new Dropout(dropout, dropoutStreams.get(i - 1)));
            if (dropout > 0 && dropoutPlacement == DropoutPlacement.BEFORE_OUTPUT && i == widths.length - 2) {
                layers.add(new Dropout(dropout, dropoutStreams.get(0)));
            }
        }
        layers.add(new Linear(widths[widths.length - 2], widths[widths.length - 1], true));
        return layers;
    }

    /**
     * LeNet-5 as in d2l.ai's "LeNet with batch normalization" (§8.5), for (N, 1, 28, 28) images and 10 classes:
     * <pre>
     * Conv(1→6, 5×5) → [Norm(6)] → act → AvgPool(2, 2)         28×28 → 24×24 → 12×12
     * Conv(6→16, 5×5) → [Norm(16)] → act → AvgPool(2, 2)       12×12 → 8×8 → 4×4
     * Flatten (16·4·4 = 256) → Linear(256→120) → [Norm(120)] → act → Linear(120→84) → [Norm(84)] → act → Linear(84→10)
     * </pre>
     * With {@link Norm#NONE} the bracketed layers are left out. A conv or linear layer followed by BatchNorm gets no bias
     * (it would be cancelled by the batch-mean subtraction); before other norms it keeps one. A norm across feature-map
     * channels or positions only ({@link Norm#featureMapsOnly()}: IN, LRN) sits after the two convolutions only, as in
     * the GroupNorm paper's and AlexNet's conv nets: the linear blocks have one value per channel and sample. A norm
     * that {@link Norm#followsActivation() follows the activation} (LRN: conv → act → LRN → pool, as AlexNet) is placed
     * after it whatever {@code placement} says.
     */
    public static Sequential lenet(Norm norm, Activation.Kind activation, Init init, Rng rng) {
        return lenet(norm, Placement.BEFORE, activation, init, rng);
    }

    /**
     * The LeNet above with the norm {@link Placement#BEFORE} the activation (conv → norm → act, as d2l and Ioffe &amp;
     * Szegedy) or {@link Placement#AFTER} it (conv → act → norm → pool). After the activation a bias is not cancelled
     * by BN (the nonlinearity comes first), so the layer keeps it.
     */
    public static Sequential lenet(Norm norm, Placement placement, Activation.Kind activation, Init init, Rng rng) {
        Sequential model = new Sequential(lenetLayers(norm, placement, activation, NormOptions.DEFAULT));
        init.apply(model, rng);
        return model;
    }

    private static List<Layer> lenetLayers(Norm norm, Placement placement, Activation.Kind activation, NormOptions options) {
        Norm features = norm.featureMapsOnly() ? Norm.NONE : norm;
        List<Layer> layers = new ArrayList<>();
        convBlock(layers, 1, 6, norm, placement, activation, options);
        convBlock(layers, 6, 16, norm, placement, activation, options);
        layers.add(new Flatten());
        linearBlock(layers, 16 * 4 * 4, 120, features, placement, activation, options);
        linearBlock(layers, 120, 84, features, placement, activation, options);
        layers.add(new Linear(84, 10, true));
        return layers;
    }

    private static void convBlock(List<Layer> layers, int in, int out, Norm norm, Placement requested, Activation.Kind activation,
                                  NormOptions options) {
        Placement placement = norm.followsActivation() ? Placement.AFTER : requested;
        Layer normLayer = norm.create(out, options);
        layers.add(weights(new Conv2d(in, out, 5, !(norm.cancelsBias() && placement == Placement.BEFORE)), norm));
        normAndActivation(layers, normLayer, placement, activation);
        layers.add(new AvgPool2d(2, 2));
    }

    private static void linearBlock(List<Layer> layers, int in, int out, Norm norm, Placement placement, Activation.Kind activation,
                                    NormOptions options) {
        Layer normLayer = norm.create(out, options);
        layers.add(weights(new Linear(in, out, !(norm.cancelsBias() && placement == Placement.BEFORE)), norm));
        normAndActivation(layers, normLayer, placement, activation);
    }

    private static void normAndActivation(List<Layer> layers, Layer normLayer, Placement placement, Activation.Kind activation) {
        if (normLayer != null && placement == Placement.BEFORE) layers.add(normLayer);
        layers.add(new Activation(activation));
        if (normLayer != null && placement == Placement.AFTER) layers.add(normLayer);
    }

    /** The layer as is, or wrapped in {@link WeightStandardization} when the norm asks for it (GN+WS). */
    private static Layer weights(Layer convOrLinear, Norm norm) {
        return norm.standardizesWeights() ? new WeightStandardization(convOrLinear) : convOrLinear;
    }
}
