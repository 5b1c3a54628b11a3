package org.normlab.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * The checks every layer's jqwik properties share: random parameters and input through forward and backward with
 * no exception, the documented output shape, finite output, input gradient and parameter gradients (after an EVAL
 * forward, which keeps nothing for backward: a backward that fails naming the layer); and for a badly shaped input
 * or gradient, an {@link IllegalArgumentException} whose message names the layer and the shape.
 */
public final class LayerProperties {
    private LayerProperties() {}

    /**
     * One generated case; the layer is built fresh for each try (layers are stateful).
     *
     * @param paramStd standard deviation of the random parameter values (0 keeps the layer's initialization)
     * @param warmUp for EVAL: one TRAIN forward first, so running statistics move away from their initial values
     */
    public record Case(String layer, Supplier<Layer> factory, Tensor x, int[] expectedShape, Mode mode, boolean warmUp,
                       double paramStd, long seed) {
        @Override public String toString() { return layer + " " + mode + (warmUp ? " after a TRAIN step" : "") + " on " + x; }
    }

    /** Forward and backward: no exception, expected shapes, everything finite; after EVAL, backward refused. */
    public static void checkFinite(Case c) {
        Layer layer = c.factory().get();
        Rng rng = new Rng(c.seed());
        if (c.paramStd() > 0) {
            for (Param p : layer.params()) {
                float[] v = p.value().data();
                for (int i = 0; i < v.length; i++) v[i] = (float) (c.paramStd() * rng.nextGaussian());
            }
        }
        if (c.warmUp()) layer.forward(c.x(), Mode.TRAIN);
        Tensor y = layer.forward(c.x(), c.mode());
        assertArrayEquals(c.expectedShape(), y.shape(), () -> c.layer() + ": output shape " + y.shapeString());
        assertTrue(y.isFinite(), () -> c.layer() + ": output not finite: " + y);
        Tensor dy = Tensor.randn(rng, 1f, y.shape());
        if (c.mode() == Mode.EVAL) {
            assertBackwardRefusedAfterEval(layer, dy);
            return;
        }
        for (Param p : layer.params()) p.zeroGrad();
        Tensor dx = layer.backward(dy);
        assertArrayEquals(c.x().shape(), dx.shape(), () -> c.layer() + ": input gradient shape " + dx.shapeString());
        assertTrue(dx.isFinite(), () -> c.layer() + ": input gradient not finite: " + dx);
        for (Param p : layer.params()) assertTrue(p.grad().isFinite(), () -> c.layer() + ": " + p.name() + " gradient not finite: " + p.grad());
    }

    /**
     * After an EVAL forward, {@code backward(dy)} throws an IllegalStateException of one line naming the layer (or,
     * for a container such as Sequential, the layer inside it whose backward ran first).
     */
    public static void assertBackwardRefusedAfterEval(Layer layer, Tensor dy) {
        var e = assertThrows(IllegalStateException.class, () -> layer.backward(dy), () -> layer.describe() + " ran a backward after EVAL");
        assertTrue(Layer.all(layer, Layer.class).stream().anyMatch(l -> e.getMessage().startsWith(l.describe() + ": backward after an EVAL forward")),
                () -> "message does not name " + layer.describe() + " or a layer in it: " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), () -> "message of more than one line: " + e.getMessage());
    }

    /** A forward on {@code bad} throws, naming the layer ({@code name}) and the bad shape. */
    public static void checkBadInput(Layer layer, String name, Tensor bad, Mode mode) {
        var e = assertThrows(IllegalArgumentException.class, () -> layer.forward(bad, mode), () -> name + " accepted " + bad.shapeString());
        assertNames(e, name, bad.shapeString());
    }

    /** After a good forward, a backward with a gradient of the wrong shape throws, naming the layer and that shape. */
    public static void checkBadGradient(Layer layer, String name, Tensor good, Mode mode) {
        Tensor y = layer.forward(good, mode);
        int[] wrong = y.shape();
        wrong[wrong.length - 1] += 1;
        Tensor dy = Tensor.zeros(wrong);
        var e = assertThrows(IllegalArgumentException.class, () -> layer.backward(dy), () -> name + " accepted gradient " + dy.shapeString());
        assertNames(e, name, dy.shapeString());
    }

    public static void assertNames(Exception e, String name, String shape) {
        String m = String.valueOf(e.getMessage());
        assertTrue(m.contains(name), () -> "message does not name " + name + ": " + m);
        assertTrue(m.contains(shape), () -> "message does not give the shape " + shape + ": " + m);
        assertTrue(m.contains("expected"), () -> "message does not say what was expected: " + m);
    }

    /** Values of one magnitude tier ([-10,10] mostly; tiny; or up to ±{@code large}), or one constant. */
    public static Arbitrary<Tensor> tensors(int[] shape, float large) {
        int size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        Arbitrary<Float> ordinary = Arbitraries.floats().between(-10f, 10f);
        Arbitrary<Float> big = ordinary.map(v -> v * large / 10f);
        Arbitrary<Float> tiny = ordinary.map(v -> v * 1e-7f);
        Arbitrary<float[]> varied = Arbitraries.frequency(Tuple.of(6, ordinary), Tuple.of(1, big), Tuple.of(1, tiny))
                .flatMap(values -> values.array(float[].class).ofSize(size));
        Arbitrary<float[]> constant = Arbitraries.floats().between(-10f, 10f).map(v -> {
            float[] d = new float[size];
            Arrays.fill(d, v);
            return d;
        });
        return Arbitraries.frequency(Tuple.of(5, varied), Tuple.of(1, constant)).flatMap(a -> a).map(d -> Tensor.of(d, shape));
    }

    public static Arbitrary<Long> seeds() { return Arbitraries.longs().withoutEdgeCases(); }

    public static Arbitrary<Integer> ints(int min, int max) { return Arbitraries.integers().between(min, max); }
}
