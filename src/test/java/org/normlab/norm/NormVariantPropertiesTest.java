package org.normlab.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.normlab.testing.LayerProperties.checkBadGradient;
import static org.normlab.testing.LayerProperties.checkBadInput;
import static org.normlab.testing.LayerProperties.checkFinite;
import static org.normlab.testing.LayerProperties.ints;
import static org.normlab.testing.LayerProperties.seeds;
import static org.normlab.testing.LayerProperties.tensors;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.normlab.nn.Conv2d;
import org.normlab.nn.Linear;
import org.normlab.nn.Mode;
import org.normlab.testing.LayerProperties.Case;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * Property-based tests (jqwik) for the normalization variants not covered by {@link NormLayerPropertiesTest}:
 * Weight Standardization (of a Conv2d and of a Linear), Batch Renormalization (inside and after its warm-up) and
 * Ghost BatchNorm; and, for every normalization layer, that a wrong input or gradient shape is an error naming
 * the layer and the shape; that a bad ε is refused at construction, an empty batch is an error and Ghost BatchNorm
 * validates the caller's whole input before any running statistic moves. 30 tries each, small shapes.
 */
class NormVariantPropertiesTest {
    private static final int TRIES = 30;

    @Property(tries = TRIES) void weightStandardization(@ForAll("wsCases") Case c) { checkFinite(c); }
    @Property(tries = TRIES) void batchRenorm(@ForAll("brnCases") Case c) { checkFinite(c); }
    @Property(tries = TRIES) void ghostBatchNorm(@ForAll("ghostCases") Case c) { checkFinite(c); }

    @Property(tries = 10)
    void badShapesAreNamed(@ForAll("sizes") int c, @ForAll("sizes") int n) {
        int groups = 1 + (c - 1) % 2;  // divides 2c
        checkBadInput(new BatchNorm(c), "BatchNorm", Tensor.zeros(n + 1, c + 1, 2), Mode.TRAIN);
        checkBadInput(new LayerNorm(c, 3), "LayerNorm", Tensor.zeros(n, c, 4), Mode.TRAIN);
        checkBadInput(new GroupNorm(groups, 2 * c), "GroupNorm", Tensor.zeros(n, 2 * c + 1, 2), Mode.TRAIN);
        checkBadInput(new InstanceNorm(c), "InstanceNorm", Tensor.zeros(n, c + 1, 3), Mode.TRAIN);
        checkBadInput(new LocalResponseNorm(3), "LocalResponseNorm", Tensor.zeros(n + c), Mode.TRAIN);
        checkBadInput(new BatchRenorm(c), "BatchRenorm", Tensor.zeros(n + 1, c + 1, 2), Mode.TRAIN);
        checkBadInput(new GhostBatchNorm(c, 2), "GhostBatchNorm", Tensor.zeros(n + 1, c + 1, 2), Mode.TRAIN);
        checkBadInput(new WeightStandardization(new Linear(c + 1, 2, true)), "Linear", Tensor.zeros(n, c + 2), Mode.TRAIN);
        checkBadInput(new WeightStandardization(new Conv2d(c, 2, 3, true)), "Conv2d", Tensor.zeros(n, c + 1, 3, 3), Mode.TRAIN);

        Tensor x = Tensor.randn(new Rng(c), 1f, n + 1, c, 3), image = Tensor.randn(new Rng(n), 1f, n, c, 3, 3);
        checkBadGradient(new BatchNorm(c), "BatchNorm", x, Mode.TRAIN);
        checkBadGradient(new LayerNorm(c, 3), "LayerNorm", x, Mode.TRAIN);
        checkBadGradient(new GroupNorm(1, c), "GroupNorm", x, Mode.TRAIN);
        checkBadGradient(new InstanceNorm(c), "InstanceNorm", x, Mode.TRAIN);
        checkBadGradient(new LocalResponseNorm(3), "LocalResponseNorm", x, Mode.TRAIN);
        checkBadGradient(new BatchRenorm(c), "BatchRenorm", x, Mode.TRAIN);
        checkBadGradient(new GhostBatchNorm(c, 2), "GhostBatchNorm", x, Mode.TRAIN);
        checkBadGradient(new WeightStandardization(new Conv2d(c, 2, 3, true)), "Conv2d", image, Mode.TRAIN);
    }

    @Property(tries = TRIES)
    void aBadEpsIsRefusedAtConstruction(@ForAll("badEps") double eps, @ForAll("sizes") int c) {
        assertEquals("BatchRenorm(C=" + c + "): eps must be positive and finite, got " + eps,
                assertThrows(IllegalArgumentException.class, () -> new BatchRenorm(c, eps, 0.1, 3, 5, 0, 10)).getMessage());
        assertEquals("WS(Linear(" + (c + 1) + "→2)): eps must be positive and finite, got " + eps,
                assertThrows(IllegalArgumentException.class, () -> new WeightStandardization(new Linear(c + 1, 2, true), eps)).getMessage());
        assertEquals("WS(" + new Conv2d(c, 2, 3, true).describe() + "): eps must be positive and finite, got " + eps,
                assertThrows(IllegalArgumentException.class, () -> new WeightStandardization(new Conv2d(c, 2, 3, true), eps)).getMessage());
    }

    @Property(tries = TRIES)
    void anEmptyBatchIsAnError(@ForAll("sizes") int c, @ForAll("sizes") int rank, @ForAll("modes") Mode mode) {
        int[] shape = new int[1 + Math.min(rank, 3)];
        Arrays.fill(shape, 2);
        shape[0] = 0;
        shape[1] = c;
        Tensor empty = Tensor.zeros(shape);
        assertEquals("BatchRenorm(C=" + c + "): got an empty batch " + empty.shapeString(),
                assertThrows(IllegalArgumentException.class, () -> new BatchRenorm(c).forward(empty, mode)).getMessage());
        assertEquals("GhostBatchNorm(C=" + c + ", v=2): got an empty batch " + empty.shapeString(),
                assertThrows(IllegalArgumentException.class, () -> new GhostBatchNorm(c, 2).forward(empty, mode)).getMessage());
    }

    /** A NaN or Inf anywhere, in any virtual batch: refused before a running statistic moves. */
    @Property(tries = TRIES)
    void ghostBatchNormValidatesTheWholeInputFirst(@ForAll("ghostShapes") int[] shapeAndV, @ForAll("modes") Mode mode,
                                                   @ForAll("anySeed") long seed, @ForAll("nonFinite") float bad) {
        int v = shapeAndV[3];
        int[] shape = Arrays.copyOf(shapeAndV, 3);
        GhostBatchNorm layer = new GhostBatchNorm(shape[1], v);
        Rng rng = new Rng(seed);
        layer.forward(Tensor.randn(rng, 2f, shape), Mode.TRAIN);  // running statistics away from 0 and 1
        float[] mean = layer.batchNorm().runningMean().data().clone(), var = layer.batchNorm().runningVar().data().clone();
        long tracked = layer.batchNorm().batchesTracked();
        Tensor x = Tensor.randn(rng, 2f, shape);
        x.data()[rng.nextInt(x.size())] = bad;
        assertEquals(layer.describe() + ": input contains NaN or Inf",
                assertThrows(IllegalArgumentException.class, () -> layer.forward(x, mode)).getMessage());
        assertArrayEquals(mean, layer.batchNorm().runningMean().data());
        assertArrayEquals(var, layer.batchNorm().runningVar().data());
        assertEquals(tracked, layer.batchNorm().batchesTracked());
    }

    /** A last virtual batch with one value per channel: the error names the caller's shape. */
    @Property(tries = TRIES)
    void ghostBatchNormNamesTheCallersShape(@ForAll("sizes") int c, @ForAll("sizes") int batches, @ForAll("sizes") int vMinus2) {
        int v = vMinus2 + 1, n = batches * v + 1;  // v ≥ 2; the last virtual batch holds one sample
        GhostBatchNorm layer = new GhostBatchNorm(c, v);
        Tensor x = Tensor.randn(new Rng(n), 1f, n, c);
        checkBadInput(layer, "GhostBatchNorm(C=" + c + ", v=" + v + ")", x, Mode.TRAIN);
        String message = assertThrows(IllegalArgumentException.class, () -> layer.forward(x, Mode.TRAIN)).getMessage();
        assertTrue(!message.contains("[1, " + c + "]"), message);
        assertEquals(0, layer.batchNorm().batchesTracked(), "no virtual batch ran");
        layer.forward(x, Mode.EVAL);  // EVAL has no virtual batches: any N is fine
    }

    @Provide Arbitrary<Double> badEps() {
        return Arbitraries.oneOf(Arbitraries.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1e-5),
                Arbitraries.doubles().lessOrEqual(0));
    }

    @Provide Arbitrary<Float> nonFinite() { return Arbitraries.of(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY); }

    @Provide Arbitrary<Mode> modes() { return Arbitraries.of(Mode.values()); }

    @Provide Arbitrary<Long> anySeed() { return seeds(); }

    /** {N, C, L, v}: N from 2 to 9 over virtual batches of 2 to 4, L ≥ 2 so that every virtual batch may train. */
    @Provide Arbitrary<int[]> ghostShapes() {
        return Combinators.combine(ints(2, 9), ints(1, 4), ints(2, 3), ints(2, 4)).as((n, c, l, v) -> new int[] {n, c, l, v});
    }

    @Provide Arbitrary<Integer> sizes() { return ints(1, 4); }

    @Provide
    Arbitrary<Case> wsCases() {
        return Combinators.combine(ints(1, 3), ints(1, 3), ints(1, 3), ints(0, 2), ints(1, 3), Arbitraries.of(true, false))
                .as((in, out, k, extra, n, conv) -> new int[] {in, out, k, extra, n, conv ? 1 : 0})
                .filter(p -> p[5] == 1 ? p[0] * p[2] * p[2] >= 2 : p[0] * p[2] >= 2)  // fan-in ≥ 2
                .flatMap(p -> {
                    boolean conv = p[5] == 1;
                    int side = p[2] + p[3], features = p[0] * p[2];
                    int[] shape = conv ? new int[] {p[4], p[0], side, side} : new int[] {p[4], features};
                    int[] out = conv ? new int[] {p[4], p[1], side - p[2] + 1, side - p[2] + 1} : new int[] {p[4], p[1]};
                    return Combinators.combine(tensors(shape, 1e3f), Arbitraries.of(Mode.values()), seeds()).as((x, mode, seed) -> new Case(
                            "WeightStandardization(" + (conv ? "Conv2d(" + p[0] + "→" + p[1] + ", k=" + p[2] + ")" : "Linear(" + features + "→" + p[1] + ")") + ")",
                            () -> new WeightStandardization(conv ? new Conv2d(p[0], p[1], p[2], true) : new Linear(features, p[1], true)),
                            x, out, mode, false, 1, seed));
                });
    }

    @Provide
    Arbitrary<Case> brnCases() {
        // warm-up 0 or 5 steps: r, d clipped to 1, 0 (plain BN) or already free within their limits.
        return Combinators.combine(ints(2, 4), ints(1, 4), ints(1, 3), Arbitraries.of(0L, 5L), Arbitraries.of(Mode.values()))
                .as((n, c, hw, warmup, mode) -> new Object[] {new int[] {n, c, hw}, warmup, mode})
                .flatMap(o -> {
                    int[] p = (int[]) o[0];
                    long warmup = (long) o[1];
                    Mode mode = (Mode) o[2];
                    int[] shape = {p[0], p[1], p[2]};
                    return Combinators.combine(tensors(shape, 1e3f), seeds()).as((x, seed) -> new Case(
                            "BatchRenorm(C=" + p[1] + ", warm-up " + warmup + ")", () -> new BatchRenorm(p[1], 1e-5, 0.1, 3, 5, warmup, 10),
                            x, shape, mode, mode == Mode.EVAL, 1, seed));
                });
    }

    @Provide
    Arbitrary<Case> ghostCases() {
        // Spatial size ≥ 2, so a virtual batch of one sample still has more than one value per channel.
        return Combinators.combine(ints(2, 6), ints(1, 4), ints(2, 4), ints(2, 4), Arbitraries.of(Mode.values()))
                .as((n, c, spatial, v, mode) -> new Object[] {new int[] {n, c, spatial}, v, mode})
                .flatMap(o -> {
                    int[] shape = (int[]) o[0];
                    int v = (int) o[1];
                    Mode mode = (Mode) o[2];
                    return Combinators.combine(tensors(shape, 1e3f), seeds()).as((x, seed) -> new Case(
                            "GhostBatchNorm(C=" + shape[1] + ", v=" + v + ")", () -> new GhostBatchNorm(shape[1], v), x, shape, mode,
                            mode == Mode.EVAL, 1, seed));
                });
    }
}
