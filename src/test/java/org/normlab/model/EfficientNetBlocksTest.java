package org.normlab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.normlab.nn.Activation;
import org.normlab.nn.Conv2d;
import org.normlab.nn.Init;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.nn.Silu;
import org.normlab.norm.Norm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.testing.GradCheck;
import org.normlab.testing.LayerProperties;

/** EfficientNet's blocks: squeeze-and-excitation and MBConv. */
class EfficientNetBlocksTest {

    private static void randomize(Param p, Rng rng, double std) {
        float[] v = p.value().data();
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextGaussian() * std);
    }

    // ---- Squeeze-and-excitation ----

    private static SqueezeExcite randomSe(int channels, int reduced, Layer activation, long seed) {
        SqueezeExcite se = new SqueezeExcite(channels, reduced, activation);
        Rng rng = new Rng(seed);
        for (Param p : se.params()) randomize(p, rng, 0.8);
        return se;
    }

    @Test
    void squeezeExciteMatchesItsDefinition() {
        SqueezeExcite se = randomSe(3, 2, new Silu(), 21);
        Tensor x = Tensor.randn(new Rng(22), 1f, 2, 3, 4, 5);
        Tensor y = se.forward(x, Mode.TRAIN);
        Tensor wr = se.reduce().weight().value(), br = se.reduce().bias().value();
        Tensor we = se.expand().weight().value(), be = se.expand().bias().value();
        for (int n = 0; n < 2; n++) {
            double[] s = new double[3], v = new double[2];
            for (int c = 0; c < 3; c++) for (int h = 0; h < 4; h++) for (int w = 0; w < 5; w++) s[c] += x.get(n, c, h, w) / 20.0;
            for (int r = 0; r < 2; r++) {
                double u = br.get(r);
                for (int c = 0; c < 3; c++) u += wr.get(r, c) * s[c];
                v[r] = u / (1 + Math.exp(-u));   // SiLU
            }
            for (int c = 0; c < 3; c++) {
                double e = be.get(c);
                for (int r = 0; r < 2; r++) e += we.get(c, r) * v[r];
                double a = 1 / (1 + Math.exp(-e));
                for (int h = 0; h < 4; h++) for (int w = 0; w < 5; w++) assertEquals(a * x.get(n, c, h, w), y.get(n, c, h, w), 1e-6);
            }
        }
    }

    @Test
    void squeezeExciteGradients() {
        GradCheck.check(randomSe(4, 2, new Silu(), 23), Tensor.randn(new Rng(24), 1f, 3, 4, 3, 3), Mode.TRAIN, 25);
        GradCheck.check(randomSe(4, 3, Activation.relu(), 26), Tensor.randn(new Rng(27), 1f, 3, 4, 3, 3), Mode.TRAIN, 28);
        assertEquals("SqueezeExcite(4→3→4, ReLU)", randomSe(4, 3, Activation.relu(), 26).describe());
        assertEquals("SqueezeExcite(16→4→16, SiLU): expected input [N,16,H,W], got [2, 8, 5, 5]",
                assertThrows(IllegalArgumentException.class, () -> new SqueezeExcite(16, 4).forward(Tensor.zeros(2, 8, 5, 5), Mode.TRAIN)).getMessage());
    }

    // ---- MBConv ----

    private static MBConv initialized(MBConv block, long seed) {
        Init.he().apply(block, new Rng(seed));
        return block;
    }

    @Test
    void mbconvGradientsWithAndWithoutResidual() {
        for (Norm norm : new Norm[] {Norm.NONE, Norm.BN}) {
            MBConv residual = initialized(new MBConv(4, 4, 2, 1, norm), 29);
            assertTrue(residual.hasResidual());
            GradCheck.check(residual, Tensor.randn(new Rng(30), 1f, 3, 4, 5, 5), Mode.TRAIN, 31);

            MBConv strided = initialized(new MBConv(4, 4, 2, 2, norm), 32);        // stride 2: no residual
            assertFalse(strided.hasResidual());
            GradCheck.check(strided, Tensor.randn(new Rng(33), 1f, 3, 4, 5, 5), Mode.TRAIN, 34);

            MBConv widening = initialized(new MBConv(3, 5, 1, 1, norm), 35);       // in ≠ out, no expansion
            assertFalse(widening.hasResidual());
            GradCheck.check(widening, Tensor.randn(new Rng(36), 1f, 3, 3, 4, 4), Mode.TRAIN, 37);
        }
        // EVAL keeps nothing for backward: after TRAIN steps, an EVAL forward, then a backward is refused by the block.
        MBConv bn = initialized(new MBConv(4, 4, 2, 1, Norm.BN), 38);
        for (int i = 0; i < 3; i++) bn.forward(Tensor.randn(new Rng(39 + i), 1f, 4, 4, 5, 5), Mode.TRAIN);
        Tensor y = bn.forward(Tensor.randn(new Rng(42), 1f, 2, 4, 5, 5), Mode.EVAL);
        LayerProperties.assertBackwardRefusedAfterEval(bn, Tensor.randn(new Rng(43), 1f, y.shape()));
    }

    @Test
    void residualBlockWithZeroProjectionIsTheIdentity() {
        // body(x) ends in the projection; with its weights zero the body gives 0 (NONE: bias 0) or BN(0) = β = 0.
        for (Norm norm : new Norm[] {Norm.NONE, Norm.BN}) {
            MBConv block = initialized(new MBConv(4, 4, 3, 1, norm), 44);
            Conv2d projection = (Conv2d) block.body().layers().stream().filter(l -> l instanceof Conv2d c && c.outChannels() == 4)
                    .reduce((a, b) -> b).orElseThrow();
            Arrays.fill(projection.weight().value().data(), 0f);
            Tensor x = Tensor.randn(new Rng(45), 1f, 2, 4, 6, 6);
            assertArrayEquals(x.data(), block.forward(x, Mode.TRAIN).data(), 0f, norm + ": y = 0 + x");
            // …and the gradient that reaches x is dy itself: the body's contribution passes through zero weights.
            Tensor dy = Tensor.randn(new Rng(46), 1f, 2, 4, 6, 6);
            assertArrayEquals(dy.data(), block.backward(dy).data(), 0f, norm + ": dx = dy + 0");
        }
    }

    @Test
    void mbconvLayoutShapesAndInit() {
        MBConv block = initialized(new MBConv(16, 24, 4, 2, Norm.BN), 47);
        assertEquals("MBConv(16→24, expand 4, 3×3, stride 2, SE 4, BN)", block.describe());
        assertEquals("Conv2d(16→64, 1×1, no bias) → BatchNorm(C=64) → SiLU → DepthwiseConv2d(C=64, 3×3, stride 2, padding 1, no bias) → "
                + "BatchNorm(C=64) → SiLU → SqueezeExcite(64→4→64, SiLU) → Conv2d(64→24, 1×1, no bias) → BatchNorm(C=24)", block.body().describe());
        assertArrayEquals(new int[] {2, 24, 7, 7}, block.forward(Tensor.randn(new Rng(48), 1f, 2, 16, 14, 14), Mode.TRAIN).shape());
        assertEquals(7, block.outputSize(14));
        for (Param p : block.params()) {
            if (!p.name().equals("weight")) continue;
            boolean drawn = false;
            for (float w : p.value().data()) drawn |= w != 0;
            assertTrue(drawn, "a weight of " + block.describe() + " was not initialized");
        }
        assertEquals("MBConv(16→16, expand 1, 3×3, SE 4, residual)", new MBConv(16, 16, 1, 1, Norm.NONE).describe());
        assertEquals("DepthwiseConv2d(C=16, 3×3, padding 1) → SiLU → SqueezeExcite(16→4→16, SiLU) → Conv2d(16→16, 1×1)",
                new MBConv(16, 16, 1, 1, Norm.NONE).body().describe());
        assertEquals("MBConv(16→24, expand 4, 3×3, stride 2, SE 4, BN): expected input [N,16,H,W], got [2, 1, 28, 28]",
                assertThrows(IllegalArgumentException.class, () -> block.forward(Tensor.zeros(2, 1, 28, 28), Mode.TRAIN)).getMessage());
        assertEquals("MBConv: kernel must be odd (same padding), got 4",
                assertThrows(IllegalArgumentException.class, () -> new MBConv(4, 4, 1, 4, 1, Norm.NONE)).getMessage());
    }
}
