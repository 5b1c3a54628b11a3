package org.normlab.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.tensor.Rng;
import org.normlab.testing.LayerProperties;
import org.normlab.tensor.Tensor;

/**
 * Property-based tests (jqwik) for every normalization layer: random shapes, hyper-parameters, γ/β and input
 * values, from ordinary to large (±1e18) and tiny (±1e-6) magnitudes, and constant inputs (zero variance).
 * For finite input each layer must not throw, must keep the input's shape, and must return finite outputs,
 * input gradients and parameter gradients (after EVAL it must refuse a backward, naming itself). 100 tries per property (see junit-platform.properties).
 */
class NormLayerPropertiesTest {

    /**
     * One generated case. The layer is built fresh for each run, since layers are stateful.
     *
     * @param warmUp for EVAL: run one TRAIN forward first so running statistics are not at their initial values
     */
    record Case(String layer, Supplier<Layer> factory, Tensor x, Mode mode, boolean warmUp, long seed) {
        @Override public String toString() { return layer + " " + mode + (warmUp ? " after a TRAIN step" : "") + " on " + x; }
    }

    @Property
    void batchNorm(@ForAll("batchNormCases") Case c) { checkFiniteAndShapePreserving(c); }

    @Property
    void layerNorm(@ForAll("layerNormCases") Case c) { checkFiniteAndShapePreserving(c); }

    @Property
    void groupNorm(@ForAll("groupNormCases") Case c) { checkFiniteAndShapePreserving(c); }

    @Property
    void instanceNorm(@ForAll("instanceNormCases") Case c) { checkFiniteAndShapePreserving(c); }

    @Property
    void localResponseNorm(@ForAll("localResponseNormCases") Case c) { checkFiniteAndShapePreserving(c); }

    private static void checkFiniteAndShapePreserving(Case c) {
        Layer layer = c.factory().get();
        Rng rng = new Rng(c.seed());
        for (Param p : layer.params()) {
            float[] v = p.value().data();
            for (int i = 0; i < v.length; i++) v[i] = (float) (3 * rng.nextGaussian());
        }
        if (c.warmUp()) layer.forward(c.x(), Mode.TRAIN);
        Tensor y = layer.forward(c.x(), c.mode());
        assertArrayEquals(c.x().shape(), y.shape(), "output shape");
        assertTrue(y.isFinite(), "output not finite: " + y);
        Tensor dy = Tensor.randn(rng, 1f, y.shape());
        if (c.mode() == Mode.EVAL) {
            LayerProperties.assertBackwardRefusedAfterEval(layer, dy);
            return;
        }
        for (Param p : layer.params()) p.zeroGrad();
        Tensor dx = layer.backward(dy);
        assertArrayEquals(c.x().shape(), dx.shape(), "input gradient shape");
        assertTrue(dx.isFinite(), "input gradient not finite: " + dx);
        for (Param p : layer.params()) assertTrue(p.grad().isFinite(), p.name() + " gradient not finite: " + p.grad());
    }

    // ---- generators -------------------------------------------------------------------------------------------

    /** Input values of one magnitude tier, or one constant repeated (zero variance everywhere). */
    private static Arbitrary<Tensor> tensors(int[] shape) {
        int size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        Arbitrary<Float> ordinary = Arbitraries.floats().between(-10f, 10f);
        Arbitrary<Float> large = ordinary.map(v -> v * 1e17f);
        Arbitrary<Float> tiny = ordinary.map(v -> v * 1e-7f);
        Arbitrary<float[]> varied = Arbitraries.frequency(Tuple.of(6, ordinary), Tuple.of(1, large), Tuple.of(1, tiny))
                .flatMap(values -> values.array(float[].class).ofSize(size));
        Arbitrary<float[]> constant = Arbitraries.floats().between(-1e6f, 1e6f).map(v -> {
            float[] d = new float[size];
            Arrays.fill(d, v);
            return d;
        });
        return Arbitraries.frequency(Tuple.of(5, varied), Tuple.of(1, constant)).flatMap(a -> a).map(d -> Tensor.of(d, shape));
    }

    /** {n, c, spatial…} with the given ranges; spatial rank in [minSpatialRank, maxSpatialRank], each dim 1..4. */
    private static Arbitrary<int[]> shapes(int minN, int maxN, int minC, int maxC, int minSpatialRank, int maxSpatialRank) {
        return Combinators.combine(Arbitraries.integers().between(minN, maxN), Arbitraries.integers().between(minC, maxC),
                Arbitraries.integers().between(1, 4).list().ofMinSize(minSpatialRank).ofMaxSize(maxSpatialRank))
                .as((n, c, spatial) -> {
                    int[] shape = new int[2 + spatial.size()];
                    shape[0] = n;
                    shape[1] = c;
                    for (int i = 0; i < spatial.size(); i++) shape[2 + i] = spatial.get(i);
                    return shape;
                });
    }

    private static Arbitrary<Long> seeds() { return Arbitraries.longs().withoutEdgeCases(); }

    @Provide
    Arbitrary<Case> batchNormCases() {
        // N ≥ 2, so training always has more than one value per channel.
        return shapes(2, 4, 1, 4, 0, 2).flatMap(shape -> Combinators.combine(tensors(shape),
                Arbitraries.of(Arrays.asList(0.1, 0.5, 1.0, null)), Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.of(Mode.values()), seeds()).as((x, momentum, affine, track, mode, seed) -> new Case(
                        "BatchNorm(C=" + shape[1] + ", momentum=" + momentum + ", affine=" + affine + ", track=" + track + ")",
                        () -> new BatchNorm(shape[1], 1e-5, momentum, affine, track), x, mode, mode == Mode.EVAL, seed)));
    }

    @Provide
    Arbitrary<Case> layerNormCases() {
        Arbitrary<List<Integer>> leading = Arbitraries.integers().between(1, 4).list().ofMinSize(1).ofMaxSize(2);
        Arbitrary<List<Integer>> normalized = Arbitraries.integers().between(1, 4).list().ofMinSize(1).ofMaxSize(3);
        return Combinators.combine(leading, normalized).as((lead, norm) -> {
            int[] normalizedShape = norm.stream().mapToInt(Integer::intValue).toArray();
            int[] shape = new int[lead.size() + norm.size()];
            for (int i = 0; i < lead.size(); i++) shape[i] = lead.get(i);
            System.arraycopy(normalizedShape, 0, shape, lead.size(), normalizedShape.length);
            return new int[][] {shape, normalizedShape};
        }).flatMap(shapes -> Combinators.combine(tensors(shapes[0]), Arbitraries.of(true, false), Arbitraries.of(Mode.values()), seeds())
                .as((x, affine, mode, seed) -> new Case("LayerNorm(" + Arrays.toString(shapes[1]) + ", affine=" + affine + ")",
                        () -> new LayerNorm(shapes[1], 1e-5, affine), x, mode, false, seed)));
    }

    @Provide
    Arbitrary<Case> groupNormCases() {
        return Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 3)).as((groups, perGroup) -> new int[] {groups, perGroup})
                .flatMap(g -> shapes(1, 3, g[0] * g[1], g[0] * g[1], 0, 2).flatMap(shape -> Combinators.combine(tensors(shape),
                        Arbitraries.of(true, false), Arbitraries.of(Mode.values()), seeds()).as((x, affine, mode, seed) -> new Case(
                                "GroupNorm(G=" + g[0] + ", C=" + shape[1] + ", affine=" + affine + ")",
                                () -> new GroupNorm(g[0], shape[1], 1e-5, affine), x, mode, false, seed))));
    }

    @Provide
    Arbitrary<Case> instanceNormCases() {
        // Instance statistics need more than one spatial value: spatial rank 1..2 with at least 2 values.
        return shapes(1, 3, 1, 4, 1, 2).filter(s -> s[0] * s[1] > 0 && Arrays.stream(s).skip(2).reduce(1, (a, b) -> a * b) >= 2)
                .flatMap(shape -> Combinators.combine(tensors(shape), Arbitraries.of(true, false), Arbitraries.of(true, false),
                        Arbitraries.of(Mode.values()), seeds()).as((x, affine, track, mode, seed) -> new Case(
                                "InstanceNorm(C=" + shape[1] + ", affine=" + affine + ", track=" + track + ")",
                                () -> new InstanceNorm(shape[1], 1e-5, 0.1, affine, track), x, mode, mode == Mode.EVAL && track, seed)));
    }

    @Provide
    Arbitrary<Case> localResponseNormCases() {
        Arbitrary<double[]> hyper = Combinators.combine(Arbitraries.integers().between(1, 7), Arbitraries.doubles().between(0, 10),
                Arbitraries.doubles().between(0.01, 2), Arbitraries.doubles().between(0.1, 5))
                .as((size, alpha, beta, k) -> new double[] {size, alpha, beta, k});
        return shapes(1, 3, 1, 8, 0, 2).flatMap(shape -> Combinators.combine(tensors(shape), hyper, Arbitraries.of(Mode.values()), seeds())
                .as((x, h, mode, seed) -> new Case("LocalResponseNorm(size=" + (int) h[0] + ", alpha=" + h[1] + ", beta=" + h[2] + ", k=" + h[3] + ")",
                        () -> new LocalResponseNorm((int) h[0], h[1], h[2], h[3]), x, mode, false, seed)));
    }
}
