package org.normlab.norm;

import java.util.Locale;
import org.normlab.nn.Layer;

/**
 * Which normalization a network uses, as one value that swaps it throughout the network.
 * {@link #create(int)} builds the layer for a given channel/feature count; {@code NONE} builds nothing.
 */
public sealed interface Norm {
    Norm NONE = new None();
    Norm BN = new Batch();

    /** The layer for {@code channels} channels (features), or null for {@link #NONE}. */
    Layer create(int channels);

    /** Short label used in tables and legends ("none", "BN"). */
    String label();

    /** Parses a label as written by {@link #label()} (case-insensitive). */
    static Norm parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "bn", "batchnorm" -> BN;
            default -> throw new IllegalArgumentException("Norm: unknown normalization '" + text + "' (known: none, BN)");
        };
    }

    record None() implements Norm {
        @Override public Layer create(int channels) { return null; }
        @Override public String label() { return "none"; }
        @Override public String toString() { return label(); }
    }

    record Batch() implements Norm {
        @Override public Layer create(int channels) { return new BatchNorm(channels); }
        @Override public String label() { return "BN"; }
        @Override public String toString() { return label(); }
    }
}
