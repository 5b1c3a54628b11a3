package org.normlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.normlab.testing.LayerProperties.assertNames;
import static org.normlab.testing.LayerProperties.checkBadGradient;
import static org.normlab.testing.LayerProperties.checkBadInput;
import static org.normlab.testing.LayerProperties.checkFinite;
import static org.normlab.testing.LayerProperties.ints;
import static org.normlab.testing.LayerProperties.seeds;
import static org.normlab.testing.LayerProperties.tensors;

import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.normlab.model.MBConv;
import org.normlab.model.SqueezeExcite;
import org.normlab.nn.loss.BceWithLogits;
import org.normlab.nn.loss.Mse;
import org.normlab.nn.loss.SoftmaxCrossEntropy;
import org.normlab.norm.Norm;
import org.normlab.testing.LayerProperties.Case;
import org.normlab.model.GruCell;
import org.normlab.model.LstmCell;
import org.normlab.model.ModelSpec;
import org.normlab.model.Recurrent;
import org.normlab.model.RnnCell;
import org.normlab.norm.RecurrentNorm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * Property-based tests (jqwik) for every network layer and loss outside the normalization layers (those are in
 * {@code norm/NormLayerPropertiesTest} and {@code norm/NormVariantPropertiesTest}): random small shapes,
 * hyper-parameters, parameters and input values → no exception, the documented output shape, finite output and
 * gradients; a wrong input or gradient shape → an exception naming the layer and the shape. 30 tries each, small
 * shapes, so the whole class runs in seconds.
 */
class LayerPropertiesTest {
    private static final int TRIES = 30;

    // ---- finite in → finite out, documented shapes -------------------------------------------------------------

    @Property(tries = TRIES) void linear(@ForAll("linearCases") Case c) { checkFinite(c); }
    @Property(tries = TRIES) void conv2d(@ForAll("conv2dCases") Case c) { checkFinite(c); }
    @Property(tries = TRIES) void depthwiseConv2d(@ForAll("depthwiseCases") Case c) { checkFinite(c); }
    @Property(tries = TRIES) void pooling(@ForAll("poolingCases") Case c) { checkFinite(c); }
    @Property(tries = TRIES) void globalAvgPool(@ForAll("globalPoolCases") Case c) { checkFinite(c); }
    @Property(tries = TRIES) void activation(@ForAll("activationCases") Case c) { checkFinite(c); }
    @Property(tries = TRIES) void flattenAndReshape(@ForAll("reshapeCases") Case c) { checkFinite(c); }
    @Property(tries = TRIES) void dropout(@ForAll("dropoutCases") Case c) { checkFinite(c); }
    @Property(tries = TRIES) void residual(@ForAll("residualCases") Case c) { checkFinite(c); }
    @Property(tries = TRIES) void squeezeExcite(@ForAll("squeezeExciteCases") Case c) { checkFinite(c); }
    @Property(tries = TRIES) void mbconv(@ForAll("mbconvCases") Case c) { checkFinite(c); }
    @Property(tries = TRIES) void recurrent(@ForAll("recurrentCases") Case c) { checkFinite(c); }
    @Property(tries = TRIES) void sequential(@ForAll("sequentialCases") Case c) { checkFinite(c); }

    // ---- bad shapes name the layer and the shape --------------------------------------------------------------

    @Property(tries = 10)
    void badInputShapesAreNamed(@ForAll("sizes") int a, @ForAll("sizes") int b, @ForAll("sizes") int n) {
        checkBadInput(new Linear(a, b, true), "Linear", Tensor.zeros(n, a + 1), Mode.TRAIN);
        checkBadInput(new Conv2d(a, b, 1, true), "Conv2d", Tensor.zeros(n, a + 1, 3, 3), Mode.TRAIN);
        checkBadInput(new Conv2d(a, b, 3, true), "Conv2d", Tensor.zeros(n, a, 2, 3), Mode.TRAIN);
        checkBadInput(new DepthwiseConv2d(a, 3, 1, 1, true), "DepthwiseConv2d", Tensor.zeros(n, a + 1, 3, 3), Mode.TRAIN);
        checkBadInput(new MaxPool2d(2), "MaxPool2d", Tensor.zeros(n, a, 1, 4), Mode.TRAIN);
        checkBadInput(new AvgPool2d(2), "AvgPool2d", Tensor.zeros(n, a, 4), Mode.TRAIN);
        checkBadInput(new GlobalAvgPool2d(), "GlobalAvgPool2d", Tensor.zeros(n, a, 4), Mode.TRAIN);
        checkBadInput(new Flatten(), "Flatten", Tensor.zeros(n), Mode.TRAIN);
        checkBadInput(new Reshape(a, b), "Reshape", Tensor.zeros(n, a * b + 1), Mode.TRAIN);
        checkBadInput(new SqueezeExcite(a, 1), "SqueezeExcite", Tensor.zeros(n, a + 1, 2, 2), Mode.TRAIN);
        checkBadInput(new MBConv(a, b, 2, 1, Norm.NONE), "MBConv", Tensor.zeros(n, a + 1, 4, 4), Mode.TRAIN);
        checkBadInput(new Recurrent(new RnnCell(a, b)), "Rnn", Tensor.zeros(n, 3, a + 1), Mode.TRAIN);
        checkBadInput(new Recurrent(new LstmCell(a, b)), "Lstm", Tensor.zeros(n, 3, a + 1), Mode.TRAIN);
        // Sequential passes the inner layer's message on: it names Linear and the flattened shape.
        Layer sequential = new Sequential(new Flatten(), new Linear(a, b, true));
        var e = assertThrows(IllegalArgumentException.class, () -> sequential.forward(Tensor.zeros(n, a + 1, 1), Mode.TRAIN));
        assertNames(e, "Linear", "[" + n + ", " + (a + 1) + "]");
    }

    @Property(tries = 10)
    void badGradientShapesAreNamed(@ForAll("sizes") int a, @ForAll("sizes") int b, @ForAll("sizes") int n) {
        Tensor flat = Tensor.randn(new Rng(n), 1f, n, a), image = Tensor.randn(new Rng(n), 1f, n, a, 4, 4);
        checkBadGradient(new Linear(a, b, true), "Linear", flat, Mode.TRAIN);
        checkBadGradient(new Conv2d(a, b, 3, 1, 1, true), "Conv2d", image, Mode.TRAIN);
        checkBadGradient(new DepthwiseConv2d(a, 3, 1, 1, true), "DepthwiseConv2d", image, Mode.TRAIN);
        checkBadGradient(new MaxPool2d(2), "MaxPool2d", image, Mode.TRAIN);
        checkBadGradient(new AvgPool2d(2), "AvgPool2d", image, Mode.TRAIN);
        checkBadGradient(new GlobalAvgPool2d(), "GlobalAvgPool2d", image, Mode.TRAIN);
        for (Activation.Kind kind : Activation.Kind.values()) checkBadGradient(new Activation(kind), "", flat, Mode.TRAIN);
        checkBadGradient(new Dropout(0.5, new Rng(1)), "Dropout", flat, Mode.TRAIN);
        checkBadGradient(new Residual(new Linear(a, a, true)), "Residual", flat, Mode.TRAIN);
        checkBadGradient(new SqueezeExcite(a, 1), "SqueezeExcite", image, Mode.TRAIN);
        checkBadGradient(new Recurrent(new LstmCell(a, b)), "Lstm", Tensor.randn(new Rng(1), 1f, n, 3, a), Mode.TRAIN);
    }

    @Property(tries = TRIES)
    void losses(@ForAll("sizes") int n, @ForAll("sizes") int k, @ForAll("seedsArb") long seed, @ForAll("logitScales") float scale) {
        Rng rng = new Rng(seed);
        Tensor logits = Tensor.randn(rng, scale, n, k);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = rng.nextInt(k);
        SoftmaxCrossEntropy.Result ce = SoftmaxCrossEntropy.evaluate(logits, labels);
        assertTrue(Double.isFinite(ce.loss()) && ce.loss() >= 0, "cross-entropy " + ce.loss());
        assertArrayEquals(logits.shape(), ce.gradLogits().shape());
        assertTrue(ce.gradLogits().isFinite(), "cross-entropy gradient " + ce.gradLogits());

        Tensor targets = Tensor.zeros(n, k);
        for (int i = 0; i < targets.size(); i++) targets.data()[i] = (float) rng.nextDouble();
        BceWithLogits.Result bce = BceWithLogits.evaluate(logits, targets);
        assertTrue(Double.isFinite(bce.loss()) && bce.loss() >= 0, "BCE " + bce.loss());
        assertArrayEquals(logits.shape(), bce.gradLogits().shape());
        assertTrue(bce.gradLogits().isFinite(), "BCE gradient " + bce.gradLogits());

        Tensor predictions = Tensor.randn(rng, Math.min(scale, 1e6f), n, k);
        Mse.Result mse = Mse.evaluate(predictions, targets);
        assertTrue(Double.isFinite(mse.loss()) && mse.loss() >= 0, "MSE " + mse.loss());
        assertArrayEquals(predictions.shape(), mse.gradPredictions().shape());
        assertTrue(mse.gradPredictions().isFinite(), "MSE gradient " + mse.gradPredictions());

        Tensor wrong = Tensor.zeros(n, k + 1);
        var e1 = assertThrows(IllegalArgumentException.class, () -> BceWithLogits.evaluate(logits, wrong));
        assertTrue(e1.getMessage().contains("BceWithLogits") && e1.getMessage().contains(wrong.shapeString()), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Mse.evaluate(predictions, wrong));
        assertTrue(e2.getMessage().contains("Mse") && e2.getMessage().contains(wrong.shapeString()), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.evaluate(logits, new int[n + 1]));
        assertTrue(e3.getMessage().contains("SoftmaxCrossEntropy") && e3.getMessage().contains(String.valueOf(n + 1)), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.evaluate(Tensor.zeros(n, k, 1), labels));
        assertTrue(e4.getMessage().contains("SoftmaxCrossEntropy") && e4.getMessage().contains("[" + n + ", " + k + ", 1]"), e4.getMessage());
    }

    // ---- generators -------------------------------------------------------------------------------------------

    @Provide Arbitrary<Integer> sizes() { return ints(1, 4); }
    @Provide Arbitrary<Long> seedsArb() { return seeds(); }
    @Provide Arbitrary<Float> logitScales() { return Arbitraries.of(1f, 10f, 1e4f, 1e30f); }

    private static Arbitrary<Mode> modes() { return Arbitraries.of(Mode.values()); }

    private static Case kase(String name, Supplier<Layer> f, Tensor x, int[] out, Mode mode, double paramStd, long seed) {
        return new Case(name, f, x, out, mode, false, paramStd, seed);
    }

    @Provide
    Arbitrary<Case> linearCases() {
        return Combinators.combine(ints(1, 4), ints(1, 6), ints(1, 6), Arbitraries.of(true, false)).as((n, in, out, bias) -> new int[] {n, in, out, bias ? 1 : 0})
                .flatMap(p -> Combinators.combine(tensors(new int[] {p[0], p[1]}, 1e3f), modes(), seeds()).as((x, mode, seed) ->
                        kase("Linear(" + p[1] + "→" + p[2] + ")", () -> new Linear(p[1], p[2], p[3] == 1), x, new int[] {p[0], p[2]}, mode, 1, seed)));
    }

    @Provide
    Arbitrary<Case> conv2dCases() {
        return Combinators.combine(ints(1, 3), ints(1, 3), ints(1, 3), ints(1, 2), ints(0, 1), ints(0, 3), ints(0, 3), ints(1, 3))
                .as((in, out, k, stride, pad, dh, dw, n) -> new int[] {in, out, k, stride, pad, Math.max(1, k - 2 * pad) + dh, Math.max(1, k - 2 * pad) + dw, n})
                .flatMap(p -> Combinators.combine(tensors(new int[] {p[7], p[0], p[5], p[6]}, 1e3f), Arbitraries.of(true, false), seeds()).as((x, bias, seed) -> {
                    int oh = (p[5] + 2 * p[4] - p[2]) / p[3] + 1, ow = (p[6] + 2 * p[4] - p[2]) / p[3] + 1;
                    return kase("Conv2d(" + p[0] + "→" + p[1] + ", k=" + p[2] + ", s=" + p[3] + ", p=" + p[4] + ")",
                            () -> new Conv2d(p[0], p[1], p[2], p[3], p[4], bias), x, new int[] {p[7], p[1], oh, ow}, Mode.TRAIN, 1, seed);
                }));
    }

    @Provide
    Arbitrary<Case> depthwiseCases() {
        return Combinators.combine(ints(1, 4), ints(1, 3), ints(1, 2), ints(0, 1), ints(0, 3), ints(0, 3), ints(1, 3))
                .as((c, k, stride, pad, dh, dw, n) -> new int[] {c, k, stride, pad, Math.max(1, k - 2 * pad) + dh, Math.max(1, k - 2 * pad) + dw, n})
                .flatMap(p -> Combinators.combine(tensors(new int[] {p[6], p[0], p[4], p[5]}, 1e3f), Arbitraries.of(true, false), seeds()).as((x, bias, seed) -> {
                    int oh = (p[4] + 2 * p[3] - p[1]) / p[2] + 1, ow = (p[5] + 2 * p[3] - p[1]) / p[2] + 1;
                    return kase("DepthwiseConv2d(C=" + p[0] + ", k=" + p[1] + ", s=" + p[2] + ", p=" + p[3] + ")",
                            () -> new DepthwiseConv2d(p[0], p[1], p[2], p[3], bias), x, new int[] {p[6], p[0], oh, ow}, Mode.TRAIN, 1, seed);
                }));
    }

    @Provide
    Arbitrary<Case> poolingCases() {
        return Combinators.combine(ints(1, 3), ints(1, 3), ints(0, 3), ints(0, 3), ints(1, 3), ints(1, 3), Arbitraries.of(true, false))
                .as((k, stride, dh, dw, n, c, max) -> new int[] {k, stride, k + dh, k + dw, n, c, max ? 1 : 0})
                .flatMap(p -> Combinators.combine(tensors(new int[] {p[4], p[5], p[2], p[3]}, 1e30f), modes(), seeds()).as((x, mode, seed) -> {
                    int[] out = {p[4], p[5], (p[2] - p[0]) / p[1] + 1, (p[3] - p[0]) / p[1] + 1};
                    return p[6] == 1
                            ? kase("MaxPool2d(" + p[0] + ", " + p[1] + ")", () -> new MaxPool2d(p[0], p[1]), x, out, mode, 0, seed)
                            : kase("AvgPool2d(" + p[0] + ", " + p[1] + ")", () -> new AvgPool2d(p[0], p[1]), x, out, mode, 0, seed);
                }));
    }

    @Provide
    Arbitrary<Case> globalPoolCases() {
        return Combinators.combine(ints(1, 3), ints(1, 4), ints(1, 4), ints(1, 4)).as((n, c, h, w) -> new int[] {n, c, h, w})
                .flatMap(s -> Combinators.combine(tensors(s, 1e30f), modes(), seeds()).as((x, mode, seed) ->
                        kase("GlobalAvgPool2d", GlobalAvgPool2d::new, x, new int[] {s[0], s[1]}, mode, 0, seed)));
    }

    @Provide
    Arbitrary<Case> activationCases() {
        Arbitrary<int[]> shapes = ints(1, 4).array(int[].class).ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(shapes, Arbitraries.of(Activation.Kind.values()), Arbitraries.doubles().between(0, 2))
                .as((s, kind, slope) -> new Object[] {s, kind, slope})
                .flatMap(o -> Combinators.combine(tensors((int[]) o[0], 1e30f), modes(), seeds()).as((x, mode, seed) -> {
                    Activation.Kind kind = (Activation.Kind) o[1];
                    double slope = (double) o[2];
                    Supplier<Layer> f = kind == Activation.Kind.LEAKY_RELU ? () -> Activation.leakyRelu(slope) : () -> new Activation(kind);
                    return kase(kind + (kind == Activation.Kind.LEAKY_RELU ? "(" + slope + ")" : ""), f, x, (int[]) o[0], mode, 0, seed);
                }));
    }

    @Provide
    Arbitrary<Case> reshapeCases() {
        return Combinators.combine(ints(1, 3), ints(1, 4), ints(1, 4), Arbitraries.of(true, false)).as((n, a, b, flatten) -> new int[] {n, a, b, flatten ? 1 : 0})
                .flatMap(p -> Combinators.combine(tensors(p[3] == 1 ? new int[] {p[0], p[1], p[2]} : new int[] {p[0], p[1] * p[2]}, 1e30f), modes(), seeds())
                        .as((x, mode, seed) -> p[3] == 1
                                ? kase("Flatten", Flatten::new, x, new int[] {p[0], p[1] * p[2]}, mode, 0, seed)
                                : kase("Reshape(" + p[1] + ", " + p[2] + ")", () -> new Reshape(p[1], p[2]), x, new int[] {p[0], p[1], p[2]}, mode, 0, seed)));
    }

    @Provide
    Arbitrary<Case> dropoutCases() {
        Arbitrary<int[]> shapes = ints(1, 4).array(int[].class).ofMinSize(2).ofMaxSize(4);
        return Combinators.combine(shapes, Arbitraries.doubles().between(0, 0.95)).as((s, p) -> new Object[] {s, p})
                .flatMap(o -> Combinators.combine(tensors((int[]) o[0], 1e30f), modes(), seeds()).as((x, mode, seed) ->
                        kase("Dropout(p=" + o[1] + ")", () -> new Dropout((double) o[1], new Rng(seed)), x, (int[]) o[0], mode, 0, seed)));
    }

    @Provide
    Arbitrary<Case> residualCases() {
        return Combinators.combine(ints(1, 4), ints(1, 5), Arbitraries.of(true, false)).as((n, d, withNorm) -> new int[] {n, d, withNorm ? 1 : 0})
                .flatMap(p -> Combinators.combine(tensors(new int[] {p[0], p[1]}, 1e3f), seeds()).as((x, seed) -> kase(
                        "Residual(Linear(" + p[1] + "→" + p[1] + ")" + (p[2] == 1 ? ", Tanh" : "") + ")",
                        () -> new Residual(p[2] == 1 ? new Sequential(new Linear(p[1], p[1], true), Activation.tanh()) : new Linear(p[1], p[1], true)),
                        x, new int[] {p[0], p[1]}, Mode.TRAIN, 1, seed)));
    }

    @Provide
    Arbitrary<Case> squeezeExciteCases() {
        return Combinators.combine(ints(1, 3), ints(1, 4), ints(1, 3), ints(1, 3), ints(1, 3)).as((n, c, r, h, w) -> new int[] {n, c, r, h, w})
                .flatMap(p -> Combinators.combine(tensors(new int[] {p[0], p[1], p[3], p[4]}, 1e3f), modes(), seeds()).as((x, mode, seed) -> kase(
                        "SqueezeExcite(C=" + p[1] + ", r=" + p[2] + ")", () -> new SqueezeExcite(p[1], p[2]), x,
                        new int[] {p[0], p[1], p[3], p[4]}, mode, 1, seed)));
    }

    @Provide
    Arbitrary<Case> mbconvCases() {
        Arbitrary<Norm> norms = Arbitraries.of(Norm.NONE, Norm.BN, Norm.LN, Norm.GN(1));
        return Combinators.combine(ints(2, 3), ints(1, 3), ints(1, 3), ints(1, 3), ints(1, 2), ints(1, 4), ints(1, 4), norms)
                .as((n, in, out, expand, stride, h, w, norm) -> new Object[] {new int[] {n, in, out, expand, stride, h, w}, norm})
                .flatMap(o -> {
                    int[] p = (int[]) o[0];
                    Norm norm = (Norm) o[1];
                    return Combinators.combine(tensors(new int[] {p[0], p[1], p[5], p[6]}, 1e3f), modes(), seeds()).as((x, mode, seed) -> new Case(
                            "MBConv(" + p[1] + "→" + p[2] + ", expand " + p[3] + ", stride " + p[4] + ", " + norm.label() + ")",
                            () -> new MBConv(p[1], p[2], p[3], p[4], norm), x,
                            new int[] {p[0], p[2], (p[5] - 1) / p[4] + 1, (p[6] - 1) / p[4] + 1}, mode, mode == Mode.EVAL, 0.5, seed));
                });
    }

    @Provide
    Arbitrary<Case> recurrentCases() {
        Arbitrary<RecurrentNorm> norms = Arbitraries.of(RecurrentNorm.NONE, RecurrentNorm.LN, RecurrentNorm.BN);
        return Combinators.combine(ints(2, 4), ints(1, 4), ints(1, 3), ints(1, 4), Arbitraries.of(ModelSpec.Recurrent.Cell.values()), norms)
                .as((n, t, f, h, cell, norm) -> new Object[] {new int[] {n, t, f, h}, cell, norm})
                .flatMap(o -> {
                    int[] p = (int[]) o[0];
                    ModelSpec.Recurrent.Cell cell = (ModelSpec.Recurrent.Cell) o[1];
                    RecurrentNorm norm = (RecurrentNorm) o[2];
                    Supplier<Layer> f = switch (cell) {
                        case LSTM -> () -> new Recurrent(new LstmCell(p[2], p[3], norm, true));
                        case GRU -> () -> new Recurrent(new GruCell(p[2], p[3], norm));
                        case RNN -> () -> new Recurrent(new RnnCell(p[2], p[3], norm));
                    };
                    return Combinators.combine(tensors(new int[] {p[0], p[1], p[2]}, 1e3f), modes(), seeds()).as((x, mode, seed) -> new Case(
                            cell + " cell(" + p[2] + "→" + p[3] + ", " + norm.kind() + ")", f, x, new int[] {p[0], p[3]},
                            mode, mode == Mode.EVAL, 1, seed));
                });
    }

    @Provide
    Arbitrary<Case> sequentialCases() {
        return Combinators.combine(ints(2, 4), ints(1, 3), ints(1, 3), ints(1, 5), ints(1, 4)).as((n, c, hw, hidden, k) -> new int[] {n, c, hw, hidden, k})
                .flatMap(p -> Combinators.combine(tensors(new int[] {p[0], p[1], p[2], p[2]}, 1e3f), modes(), seeds()).as((x, mode, seed) -> {
                    int features = p[1] * p[2] * p[2];
                    return new Case("Sequential(Flatten, Linear, BN, ReLU, Linear)", () -> new Sequential(new Flatten(),
                            new Linear(features, p[3], false), Norm.BN.create(p[3]), Activation.relu(), new Linear(p[3], p[4], true)),
                            x, new int[] {p[0], p[4]}, mode, mode == Mode.EVAL, 1, seed);
                }));
    }
}
