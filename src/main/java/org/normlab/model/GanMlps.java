package org.normlab.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.normlab.nn.Activation;
import org.normlab.nn.Init;
import org.normlab.nn.Layer;
import org.normlab.nn.Linear;
import org.normlab.nn.Sequential;
import org.normlab.norm.Norm;
import org.normlab.tensor.Rng;

/**
 * Multilayer-perceptron GAN for 2-d toy data such as a ring of 8 Gaussians (claim C13), with DCGAN's rules for
 * normalization (Radford et al. 2015): normalize every hidden layer of both networks except the generator's output
 * and the discriminator's input layer; ReLU in the generator, LeakyReLU(0.2) in the discriminator.
 * <pre>
 * generator      z (noise) → [Linear → [Norm] → ReLU] per hidden width → Linear → point          (no norm, no activation at the output)
 * discriminator  point → Linear → LeakyReLU(0.2) → [Linear → [Norm] → LeakyReLU(0.2)] per further hidden width → Linear → logit
 * </pre>
 * The generator's output is linear, not DCGAN's tanh: the points of a toy distribution are not confined to [−1, 1].
 * A linear layer followed by a BN-like norm has no bias (before LN/GN it keeps one). Each builder returns an initialized model.
 */
public final class GanMlps {
    /** NormLab's defaults for the ring study: 16-d noise, two hidden layers of 128 in each network. */
    public static final int[] GENERATOR_WIDTHS = {16, 128, 128, 2}, DISCRIMINATOR_WIDTHS = {2, 128, 128, 1};
    public static final double LEAKY_SLOPE = 0.2;

    private GanMlps() {}

    /** {@link #GENERATOR_WIDTHS} under He initialization. */
    public static Sequential generator(Norm norm, Rng rng) { return generator(GENERATOR_WIDTHS, norm, Init.he(), rng); }

    /** {@link #DISCRIMINATOR_WIDTHS} under He initialization. */
    public static Sequential discriminator(Norm norm, Rng rng) { return discriminator(DISCRIMINATOR_WIDTHS, norm, Init.he(), rng); }

    /** @param widths noise size, hidden widths…, data size (e.g. 16, 128, 128, 2) */
    public static Sequential generator(int[] widths, Norm norm, Init init, Rng rng) {
        checkWidths("generator", widths);
        List<Layer> layers = new ArrayList<>();
        for (int i = 1; i < widths.length - 1; i++) {
            Layer normLayer = norm.create(widths[i]);
            layers.add(new Linear(widths[i - 1], widths[i], normLayer == null || !norm.cancelsBias()));
            if (normLayer != null) layers.add(normLayer);
            layers.add(Activation.relu());
        }
        layers.add(new Linear(widths[widths.length - 2], widths[widths.length - 1], true));
        Sequential model = new Sequential(layers);
        init.apply(model, rng);
        return model;
    }

    /** @param widths data size, hidden widths…, 1 (e.g. 2, 128, 128, 1) */
    public static Sequential discriminator(int[] widths, Norm norm, Init init, Rng rng) {
        checkWidths("discriminator", widths);
        if (widths[widths.length - 1] != 1) {
            throw new IllegalArgumentException("GanMlps discriminator: the last width is the single logit, must be 1, got "
                    + Arrays.toString(widths));
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 1; i < widths.length - 1; i++) {
            Layer normLayer = i == 1 ? null : norm.create(widths[i]);   // the input layer is never normalized
            layers.add(new Linear(widths[i - 1], widths[i], normLayer == null || !norm.cancelsBias()));
            if (normLayer != null) layers.add(normLayer);
            layers.add(Activation.leakyRelu(LEAKY_SLOPE));
        }
        layers.add(new Linear(widths[widths.length - 2], 1, true));
        Sequential model = new Sequential(layers);
        init.apply(model, rng);
        return model;
    }

    private static void checkWidths(String which, int[] widths) {
        if (widths.length < 3) {
            throw new IllegalArgumentException("GanMlps " + which + ": needs input, at least one hidden and output widths, got "
                    + Arrays.toString(widths));
        }
        for (int w : widths) {
            if (w <= 0) throw new IllegalArgumentException("GanMlps " + which + ": widths must be positive, got " + Arrays.toString(widths));
        }
    }
}
