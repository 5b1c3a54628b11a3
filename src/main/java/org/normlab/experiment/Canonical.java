package org.normlab.experiment;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.normlab.model.ModelSpec;
import org.normlab.norm.Norm;

/**
 * The canonical text of a spec: {@code v1;<kind>} followed by {@code ;name=value} for each setting that differs
 * from its default, in the order the spec adds them. Values are written one way whatever their Java type: numbers
 * as the shortest decimal ({@code 0.1}, {@code 64}, {@code 1E-300} never: plain digits), norms by label, enums
 * and models by lower-case name, lists as {@code [a, b]}. The version changes only if this format does.
 */
public final class Canonical {
    public static final String VERSION = "v1";

    private final StringBuilder text;

    Canonical(String kind) { text = new StringBuilder(VERSION).append(';').append(kind); }

    /** Adds {@code name=value} unless {@code value} equals {@code defaultValue}. */
    Canonical add(String name, Object value, Object defaultValue) {
        if (!Objects.equals(value, defaultValue)) text.append(';').append(name).append('=').append(format(value));
        return this;
    }

    String text() { return text.toString(); }

    /** A value as the canonical text writes it. */
    static String format(Object value) {
        return switch (value) {
            case Double d -> number(d);
            case Float f -> number(f);
            case Integer i -> Integer.toString(i);
            case Long l -> Long.toString(l);
            case Norm n -> n.label();
            case ModelSpec m -> m.name();
            case Schedule.Warmup w -> w.toString();
            case Enum<?> e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-');
            case List<?> l -> l.stream().map(Canonical::format).collect(Collectors.joining(", ", "[", "]"));
            default -> String.valueOf(value);
        };
    }

    private static String number(double d) {
        if (!Double.isFinite(d)) return Double.toString(d);
        if (d == 0) return 1 / d < 0 ? "-0" : "0";
        return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }
}
