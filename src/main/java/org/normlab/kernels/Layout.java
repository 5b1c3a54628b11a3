package org.normlab.kernels;

/**
 * A contiguous float array read as (outer, channels, inner): value (o, c, i) at {@code (o·channels + c)·inner + i}.
 * An (N, C, H, W) tensor is (N, C, H·W); an (N, C) one is (N, C, 1); a LayerNorm row set is (rows, 1, D).
 * A channel's values over one outer index form a "run" of {@code inner} values.
 */
public record Layout(int outer, int channels, int inner) {
    public Layout {
        if (outer < 0 || channels < 0 || inner < 0) {
            throw new IllegalArgumentException("Layout: outer, channels and inner must be ≥ 0, got (" + outer + ", " + channels + ", " + inner + ")");
        }
    }

    /** (shape[0], shape[1], product of the rest) of a shape of rank ≥ 2. */
    public static Layout of(int[] shape) {
        int inner = 1;
        for (int d = 2; d < shape.length; d++) inner *= shape[d];
        return new Layout(shape[0], shape[1], inner);
    }

    public int size() { return outer * channels * inner; }
}
