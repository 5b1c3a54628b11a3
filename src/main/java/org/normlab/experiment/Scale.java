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
     * Whether this scale is below the one the README's verdicts come from (default): its verdicts only show that a
     * study runs. {@code make report} says the same on every page of a report made at such a scale.
     */
    public boolean isPreview() { return this == SMOKE; }

    /** The line a plan at a preview scale carries ({@link #isPreview}); empty at the other scales. */
    public String previewNote() {
        return isPreview()
                ? toString() + " scale: a preview, not evidence. A study runs few seeds on a small budget here: its verdicts "
                        + "show that the pipeline works and may contradict the README's, which come from default scale."
                : "";
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
