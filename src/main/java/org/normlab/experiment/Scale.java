package org.normlab.experiment;

import java.util.Arrays;
import java.util.Locale;

/**
 * How big a study runs: {@code SMOKE} (CI, seconds), {@code DEFAULT} (interactive, minutes on 2 cores or Binder),
 * {@code FULL} (paper quality). Chosen by {@code -Dnormlab.scale} or {@code NORMLAB_SCALE}; default {@code DEFAULT}.
 */
public enum Scale {
    SMOKE, DEFAULT, FULL;

    /** The scale this JVM was asked for. */
    public static Scale current() {
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
