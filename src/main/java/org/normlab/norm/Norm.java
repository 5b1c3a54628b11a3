package org.normlab.norm;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.normlab.nn.Layer;
import org.normlab.nn.Param;

/**
 * Which normalization a network uses, as one value that swaps it throughout the network.
 * {@link #create(int)} builds the layer for a given channel/feature count; {@code NONE} builds nothing.
 *
 * <ul>
 *   <li>{@code BN}: {@link BatchNorm} over (N, spatial) per channel.</li>
 *   <li>{@code LN}: layer normalization over all of a sample's features with per-channel affine — on an MLP's
 *       (N, F) activations exactly {@link LayerNorm}{@code (F)}, on convolutional (N,C,H,W) activations the GroupNorm
 *       paper's LN over (C,H,W). One value thus serves both kinds of network; it is built as {@code GroupNorm(1, C)},
 *       whose equality with LayerNorm is tested.</li>
 *   <li>{@code GN(g)}: {@link GroupNorm} with g groups (g must divide the channel count).</li>
 *   <li>{@code NOISY_BN}: {@link NoisyBatchNorm}, BN plus random noise that changes every training step.</li>
 *   <li>{@code IN}: {@link InstanceNorm} with PyTorch's InstanceNorm2d defaults (no affine, no running
 *       statistics); it needs spatial dims, so it has no meaning in an MLP.</li>
 * </ul>
 */
public sealed interface Norm extends Serializable {
    Norm NONE = new None();
    Norm BN = new Batch();
    Norm LN = new LayerWise();
    Norm IN = new Instance();

    /** Group normalization with {@code groups} groups, e.g. {@code GN(32)}; label "GN(32)". */
    static Norm GN(int groups) { return new Grouped(groups); }

    /** Batch Renormalization with its default r_max/d_max schedule: "BRN". */
    Norm BRN = new Renorm();
    /**
     * Local response normalization with AlexNet's hyper-parameters n = 5, α = 1e-4, β = 0.75, k = 2, in AlexNet's
     * formula b = a / (k + α·Σa²)^β: since {@link LocalResponseNorm} follows PyTorch and divides α by n, the layer gets
     * alpha = n·1e-4 = 5e-4. Across channels of a feature map, after the activation (AlexNet: conv → ReLU → LRN →
     * pool): "LRN".
     */
    Norm LRN = new LocalResponse();

    /** BatchNorm plus time-varying random noise in training (Santurkar et al.'s "noisy BN"): "noisy-BN". */
    Norm NOISY_BN = new NoisyBatch();

    /** Ghost BatchNorm with virtual batches of {@code size}: "GHOST(16)". */
    static Norm GHOST(int size) { return new Ghost(size); }

    /** GroupNorm with {@code groups} groups after weight-standardized convs/linears: "GN+WS(2)". */
    static Norm GN_WS(int groups) { return new GroupedWs(groups); }

    /** Whether this norm subtracts a per-channel batch mean, which cancels a bias of the layer before it (BN and kin). */
    default boolean cancelsBias() { return false; }

    /**
     * Whether this norm only makes sense on feature maps (IN: each channel of each sample over its H×W positions;
     * LRN: across neighbouring channels of a feature map), so builders leave it out after linear layers, whose (N, F)
     * output has one value per channel and sample.
     */
    default boolean featureMapsOnly() { return false; }

    /** Whether builders put this norm after the activation rather than before it (LRN, as AlexNet does). */
    default boolean followsActivation() { return false; }

    /** Whether the conv/linear layer before this norm uses {@link WeightStandardization}. */
    default boolean standardizesWeights() { return false; }

    /** The layer for {@code channels} channels (features), or null for {@link #NONE}. */
    Layer create(int channels);

    /**
     * The layer without its affine map (y = x̂: no γ, β to learn; PyTorch's {@code affine=False}), or null for
     * {@link #NONE}. Only BN offers it; other norms say so.
     */
    default Layer createWithoutAffine(int channels) {
        throw new IllegalArgumentException("Norm " + label() + ": a norm without affine γ, β is supported for BN only, got " + label());
    }

    /**
     * The layer for {@code channels} channels started as {@code options} says: its gains γ at γ₀ (as float), its
     * BatchNorms with the given momentum, a noisy BN with the next noise stream, without γ, β when the options say so
     * ({@link #createWithoutAffine}). With {@link NormOptions#DEFAULT} it is {@link #create(int)}.
     */
    default Layer create(int channels, NormOptions options) {
        Layer layer = options.affine() ? create(channels) : createWithoutAffine(channels);
        if (layer == null) return null;
        if (options.gamma0() != 1) {
            for (Param p : layer.params()) if (p.isNormAffine() && p.name().equals("gamma")) Arrays.fill(p.value().data(), (float) options.gamma0());
        }
        if (options.bnMomentum() != 0.1) for (BatchNorm bn : Layer.all(layer, BatchNorm.class)) bn.setMomentum(options.bnMomentum());
        if (options.noiseStreams() != null) for (NoisyBatchNorm noisy : Layer.all(layer, NoisyBatchNorm.class)) noisy.reseed(options.noiseStreams().get());
        return layer;
    }

    /** Short label used in tables and legends ("none", "BN", "LN", "GN(4)", "IN"). */
    String label();

    /** Parses a label as written by {@link #label()} (case-insensitive; also "batchnorm", "groupnorm(4)", …). */
    static Norm parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher group = Pattern.compile("(?:gn|groupnorm)\\s*\\(\\s*(\\d{1,9})\\s*\\)").matcher(t);
        if (group.matches()) return GN(Integer.parseInt(group.group(1)));
        Matcher groupWs = Pattern.compile("gn\\s*\\+\\s*ws\\s*\\(\\s*(\\d{1,9})\\s*\\)").matcher(t);
        if (groupWs.matches()) return GN_WS(Integer.parseInt(groupWs.group(1)));
        Matcher ghost = Pattern.compile("ghost\\s*\\(\\s*(\\d{1,9})\\s*\\)").matcher(t);
        if (ghost.matches()) return GHOST(Integer.parseInt(ghost.group(1)));
        return switch (t) {
            case "none" -> NONE;
            case "bn", "batchnorm" -> BN;
            case "ln", "layernorm" -> LN;
            case "in", "instancenorm" -> IN;
            case "brn", "batchrenorm" -> BRN;
            case "lrn" -> LRN;
            case "noisy-bn", "noisybn", "noisy bn" -> NOISY_BN;
            default -> throw new IllegalArgumentException("Norm: unknown normalization '" + text + "' (known: none, BN, LN, GN(g), IN, BRN, GHOST(v), GN+WS(g), LRN, noisy-BN)");
        };
    }

    record None() implements Norm {
        @Override public Layer create(int channels) { return null; }
        @Override public Layer createWithoutAffine(int channels) { return null; }
        @Override public String label() { return "none"; }
        @Override public String toString() { return label(); }
    }

    record Batch() implements Norm {
        @Override public boolean cancelsBias() { return true; }
        @Override public Layer create(int channels) { return new BatchNorm(channels); }
        @Override public Layer createWithoutAffine(int channels) { return new BatchNorm(channels, 1e-5, 0.1, false, true); }
        @Override public String label() { return "BN"; }
        @Override public String toString() { return label(); }
    }

    /** Layer normalization over all features of a sample (C or C,H,W), per-channel affine: {@code GroupNorm(1, C)}. */
    record LayerWise() implements Norm {
        @Override public Layer create(int channels) { return new GroupNorm(1, channels); }
        @Override public String label() { return "LN"; }
        @Override public String toString() { return label(); }
    }

    /** Group normalization with a fixed number of groups. */
    record Grouped(int groups) implements Norm {
        public Grouped {
            if (groups <= 0) throw new IllegalArgumentException("Norm: GN needs a positive number of groups, got " + groups);
        }
        @Override public Layer create(int channels) { return new GroupNorm(groups, channels); }
        @Override public String label() { return "GN(" + groups + ")"; }
        @Override public String toString() { return label(); }
    }

    /** Instance normalization with PyTorch's InstanceNorm2d defaults. */
    record Instance() implements Norm {
        @Override public boolean featureMapsOnly() { return true; }
        @Override public Layer create(int channels) { return new InstanceNorm(channels); }
        @Override public String label() { return "IN"; }
        @Override public String toString() { return label(); }
    }

    /** {@link NoisyBatchNorm} with its default noise; a run reseeds its noise from the run's seed. */
    record NoisyBatch() implements Norm {
        @Override public boolean cancelsBias() { return true; }
        @Override public Layer create(int channels) { return new NoisyBatchNorm(channels); }
        @Override public String label() { return "noisy-BN"; }
        @Override public String toString() { return label(); }
    }

    record Renorm() implements Norm {
        @Override public boolean cancelsBias() { return true; }
        @Override public Layer create(int channels) { return new BatchRenorm(channels); }
        @Override public String label() { return "BRN"; }
        @Override public String toString() { return label(); }
    }

    record LocalResponse() implements Norm {
        static final int SIZE = 5;
        @Override public Layer create(int channels) { return new LocalResponseNorm(SIZE, SIZE * 1e-4, 0.75, 2); }
        @Override public boolean featureMapsOnly() { return true; }
        @Override public boolean followsActivation() { return true; }
        @Override public String label() { return "LRN"; }
        @Override public String toString() { return label(); }
    }

    record Ghost(int size) implements Norm {
        @Override public boolean cancelsBias() { return true; }
        public Ghost {
            if (size < 2) throw new IllegalArgumentException("Norm: GHOST needs a virtual batch size ≥ 2, got " + size);
        }
        @Override public Layer create(int channels) { return new GhostBatchNorm(channels, size); }
        @Override public String label() { return "GHOST(" + size + ")"; }
        @Override public String toString() { return label(); }
    }

    record GroupedWs(int groups) implements Norm {
        public GroupedWs {
            if (groups <= 0) throw new IllegalArgumentException("Norm: GN+WS needs a positive number of groups, got " + groups);
        }
        @Override public Layer create(int channels) { return new GroupNorm(groups, channels); }
        @Override public boolean standardizesWeights() { return true; }
        @Override public String label() { return "GN+WS(" + groups + ")"; }
        @Override public String toString() { return label(); }
    }
}
