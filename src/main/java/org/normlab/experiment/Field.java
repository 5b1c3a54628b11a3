package org.normlab.experiment;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.normlab.model.ModelSpec;
import org.normlab.norm.Norm;

/**
 * A field of a results table: its column name and the cell a run's spec shows in it. Numbers stay numbers; norms show
 * their label, enums and models their lower-case name, lists {@code [a, b]}, anything else its text.
 */
public record Field<S>(String name, Function<? super S, ?> cell) {
    /** The cell of {@code spec}. */
    public Object of(S spec) { return display(cell.apply(spec)); }

    static Object display(Object v) {
        return switch (v) {
            case Norm n -> n.label();
            case ModelSpec m -> m.name();
            case Enum<?> e -> e.name().toLowerCase(Locale.ROOT);
            case List<?> l -> l.toString();
            case null -> "null";
            default -> v;
        };
    }
}
