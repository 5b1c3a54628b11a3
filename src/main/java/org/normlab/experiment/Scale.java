package org.normlab.experiment;

import java.util.Arrays;
import java.util.Locale;

/**
 * How big a study runs: {@code SMOKE} (CI, seconds), {@code DEFAULT} (interactive, minutes on 2 cores or Binder),
 * {@code FULL} (paper quality). Chosen, first match wins, by {@link #use} in a notebook (where the environment
 * cannot be set before launch, e.g. on Binder), {@code -Dnormlab.scale}, or {@code NORMLAB_SCALE}; default
 * {@code DEFAULT}.
 */
public enum Scale {
    SMOKE, DEFAULT, FULL;

    private static volatile Scale chosen;

    /**
     * Every later {@link #current()} in this JVM (a notebook's kernel) gives {@code scale}; {@code null} goes back to
     * the property and the environment. Returns a line saying what is now in force.
     */
    public static String use(Scale scale) {
        chosen = scale;
        Scale now = current();
        return "scale: " + now + (scale == null ? " (from -Dnormlab.scale, NORMLAB_SCALE or the default)" : " (set in this kernel by Scale.use)")
                + (now.isPreview() ? "\n" + now.previewNote() : "");
    }

    /**
     * Whether this scale's verdicts are a preview: smoke and default are (a few minutes per study on 2 cores, too few
     * seeds and steps for most claims); only full scale, kept in the atlas (docs/atlas.md), is evidence.
     */
    public boolean isPreview() { return this != FULL; }

    /** The line a plan at a preview scale carries ({@link #isPreview}), saying where the full verdict is; empty at full. */
    public String previewNote() {
        String where = " The verdicts that count come from full scale, kept in the atlas (docs/atlas.md): "
                + "`make report NORMLAB_SCALE=full` rebuilds this study's page from it.";
        return switch (this) {
            case SMOKE -> "smoke scale: a preview, not evidence. A study runs few seeds on a small budget here: its verdicts show that the "
                    + "pipeline works and may contradict the README's." + where;
            case DEFAULT -> "default scale: a preview, not evidence. A study runs in a few minutes here, with fewer seeds and steps than most "
                    + "claims need." + where;
            case FULL -> "";
        };
    }

    /** The scale this JVM was asked for. */
    public static Scale current() {
        Scale c = chosen;
        if (c != null) return c;
        String p = System.getProperty("normlab.scale");
        if (p != null && !p.isBlank()) return parse(p, "-Dnormlab.scale");
        String e = System.getenv("NORMLAB_SCALE");
        if (e != null && !e.isBlank()) return parse(e, "NORMLAB_SCALE");
        return DEFAULT;
    }

    public static Scale parse(String text, String source) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + "=" + text + " is not a scale; use one of "
                    + Arrays.toString(values()).toLowerCase(Locale.ROOT), e);
        }
    }

    /** Picks the value for this scale. */
    public <T> T pick(T smoke, T normal, T full) {
        return switch (this) { case SMOKE -> smoke; case DEFAULT -> normal; case FULL -> full; };
    }

    @Override
    public String toString() { return name().toLowerCase(Locale.ROOT); }
}
