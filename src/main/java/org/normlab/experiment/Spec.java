package org.normlab.experiment;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * What one run of a {@link Sweep} is: a value whose {@link #canonical() canonical text} names it in the store. Two
 * equal specs give identical results (the seed fixes initialization, data order and noise; nothing else enters).
 */
public interface Spec<S extends Spec<S>> extends Serializable {
    long seed();

    S withSeed(long seed);

    /**
     * A versioned text of every setting that differs from its default, in a fixed order (see {@link Canonical}): a new
     * setting whose default keeps today's behaviour leaves every existing text, and so every stored run, unchanged.
     */
    String canonical();

    /**
     * The run's settings as labelled lines, in order ("model", "optimizer", "data", "budget", …; not the seed), each
     * setting named in {@code grid} (a table column, e.g. "lr") shown as "(grid)": a sweep sets it.
     */
    Map<String, String> outline(Set<String> grid);

    /** The run in a few readable lines (model, optimizer, data, budget; not the seed), as a notebook shows it before running. */
    default String describe() { return describe(Set.of()); }

    /** {@link #describe()} with the settings named in {@code grid} shown as "(grid)" (see {@link #outline}). */
    default String describe(Set<String> grid) {
        StringBuilder sb = new StringBuilder();
        outline(grid).forEach((label, text) -> SpecText.line(sb, label, text));
        return sb.toString().stripTrailing();
    }

    /** The first 16 hex digits of the SHA-256 of {@link #canonical()}: the name of this run's stored results. */
    default String key() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
