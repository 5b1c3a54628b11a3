package org.normlab.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A direction a {@link Sweep} can vary a spec in: a typed setter and the table column(s) that show it. {@link Axes}
 * holds the predefined ones for {@link RunSpec}; {@link #and} makes an axis that sets other settings with it, e.g.
 * the batch size with a learning rate scaled to it:
 * <pre>
 * Axes.BATCH_SIZE.and(Axes.LR, b -> 0.05 * b / 32)
 * </pre>
 *
 * @param <S> the spec type
 * @param <T> the type of the values along the axis
 */
public final class Axis<S, T> {
    private final List<Field<S>> fields;
    private final Function<S, T> get;
    private final BiFunction<S, T, S> set;

    private Axis(List<Field<S>> fields, Function<S, T> get, BiFunction<S, T, S> set) {
        this.fields = List.copyOf(fields);
        this.get = get;
        this.set = set;
    }

    /** An axis over one setting: its column name, how to read it and how to set it. */
    public static <S, T> Axis<S, T> of(String name, Function<S, T> get, BiFunction<S, T, S> set) {
        return new Axis<>(List.of(new Field<S>(name, get)), get, set);
    }

    /**
     * This axis, also setting {@code other} to {@code derive(value)} at each value: one grid position per value,
     * each setting shown in its own column.
     */
    public <U> Axis<S, T> and(Axis<S, U> other, Function<? super T, ? extends U> derive) {
        List<Field<S>> both = new ArrayList<>(fields);
        both.addAll(other.fields);
        return new Axis<>(both, get, (spec, value) -> other.set.apply(set.apply(spec, value), derive.apply(value)));
    }

    /** {@code spec} with this axis at {@code value}. */
    public S apply(S spec, T value) { return set.apply(spec, value); }

    /** The value of {@code spec} along this axis (the first setting of a combined axis). */
    public T get(S spec) { return get.apply(spec); }

    /** The table fields this axis shows (one per setting it sets). */
    public List<Field<S>> fields() { return fields; }

    /** The column of a one-setting axis. */
    public Field<S> field() {
        if (fields.size() != 1) throw new IllegalStateException("Axis " + this + ": sets " + fields.size() + " settings, expected 1");
        return fields.get(0);
    }

    public String name() { return fields.get(0).name(); }

    @Override
    public String toString() { return fields.stream().map(Field::name).collect(Collectors.joining("+")); }
}
