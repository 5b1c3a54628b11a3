package org.normlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.normlab.model.MBConv;
import org.normlab.model.SqueezeExcite;
import org.normlab.norm.Norm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.testing.GradCheck;

/** Depthwise convolution, global average pooling, squeeze-and-excitation, MBConv, SiLU and LeakyReLU. */
class EfficientNetLayersTest {

    private static void randomize(Param p, Rng rng, double std) {
        float[] v = p.value().data();
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextGaussian() * std);
    }

    private static DepthwiseConv2d randomDepthwise(int channels, int kernelH, int kernelW, int stride, int padding, boolean bias, long seed) {
        DepthwiseConv2d conv = new DepthwiseConv2d(channels, kernelH, kernelW, stride, padding, bias);
        Rng rng = new Rng(seed);
        randomize(conv.weight(), rng, 1);
        if (bias) randomize(conv.bias(), rng, 1);
        return conv;
    }

    /** Channel c of x (N, C, H, W) as an (N, 1, H, W) tensor. */
    private static Tensor channel(Tensor x, int c) {
        int n = x.dim(0), channels = x.dim(1), area = x.dim(2) * x.dim(3);
        Tensor y = Tensor.zeros(n, 1, x.dim(2), x.dim(3));
        for (int s = 0; s < n; s++) System.arraycopy(x.data(), (s * channels + c) * area, y.data(), s * area, area);
        return y;
    }

    // ---- Depthwise convolution ----

    /** Depthwise = one Conv2d(1→1) per channel, with that channel's filter: outputs, dx, dW and db all agree. */
    private static void assertEqualsConv2dPerChannel(DepthwiseConv2d depthwise, Tensor x, long seed) {
        int channels = depthwise.channels(), kh = depthwise.kernelH(), kw = depthwise.kernelW();
        Tensor y = depthwise.forward(x, Mode.TRAIN);
        Tensor dy = Tensor.randn(new Rng(seed), 1f, y.shape());
        for (Param p : depthwise.params()) p.zeroGrad();
        Tensor dx = depthwise.backward(dy);
        for (int c = 0; c < channels; c++) {
            Conv2d single = new Conv2d(1, 1, kh, kw, depthwise.stride(), depthwise.padding(), depthwise.bias() != null);
            System.arraycopy(depthwise.weight().value().data(), c * kh * kw, single.weight().value().data(), 0, kh * kw);
            if (depthwise.bias() != null) single.bias().value().data()[0] = depthwise.bias().value().get(c);
            String what = depthwise.describe() + " channel " + c;
            assertArrayEquals(single.forward(channel(x, c), Mode.TRAIN).data(), channel(y, c).data(), 1e-5f, what + " output");
            assertArrayEquals(single.backward(channel(dy, c)).data(), channel(dx, c).data(), 1e-5f, what + " dx");
            float[] dw = Arrays.copyOfRange(depthwise.weight().grad().data(), c * kh * kw, (c + 1) * kh * kw);
            assertArrayEquals(single.weight().grad().data(), dw, 1e-4f, what + " dW");
            if (depthwise.bias() != null) assertEquals(single.bias().grad().get(0), depthwise.bias().grad().get(c), 1e-4f, what + " db");
        }
    }

    @Test
    void depthwiseEqualsConv2dAppliedPerChannel() {
        Tensor x = Tensor.randn(new Rng(1), 1f, 2, 3, 7, 6);
        assertEqualsConv2dPerChannel(randomDepthwise(3, 3, 3, 1, 1, true, 2), x, 3);
        assertEqualsConv2dPerChannel(randomDepthwise(3, 3, 3, 2, 1, false, 4), x, 5);
        assertEqualsConv2dPerChannel(randomDepthwise(3, 2, 3, 2, 0, true, 6), x, 7);
        assertEqualsConv2dPerChannel(randomDepthwise(3, 5, 3, 3, 2, true, 8), x, 9);
        assertEqualsConv2dPerChannel(randomDepthwise(3, 1, 1, 1, 0, false, 10), x, 11);
    }

    @Test
    void depthwiseGradients() {
        GradCheck.check(randomDepthwise(3, 3, 3, 1, 1, true, 12), Tensor.randn(new Rng(13), 1f, 2, 3, 5, 5), Mode.TRAIN, 14);
        GradCheck.check(randomDepthwise(2, 3, 2, 2, 1, false, 15), Tensor.randn(new Rng(16), 1f, 2, 2, 6, 5), Mode.TRAIN, 17);
    }

    @Test
    void depthwiseShapesInitAndDescription() {
        DepthwiseConv2d conv = new DepthwiseConv2d(4, 3, 2, 1, false);
        assertArrayEquals(new int[] {2, 4, 4, 4}, conv.forward(Tensor.zeros(2, 4, 7, 7), Mode.EVAL).shape());  // ⌊(7 + 2 − 3)/2⌋ + 1
        assertArrayEquals(new int[] {4, 1, 3, 3}, conv.weight().value().shape(), "PyTorch layout (C, 1, kH, kW)");
        assertEquals("DepthwiseConv2d(C=4, 3×3, stride 2, padding 1, no bias)", conv.describe());
        DepthwiseConv2d wide = new DepthwiseConv2d(64, 3, 1, 1, true);
        Arrays.fill(wide.bias().value().data(), 1f);
        Init.he().apply(wide, new Rng(18));   // fanIn = kH·kW = 9: std √(2/9)
        double sq = 0;
        for (float w : wide.weight().value().data()) sq += w * w;
        assertEquals(Math.sqrt(2.0 / 9), Math.sqrt(sq / (64 * 9)), 0.1 * Math.sqrt(2.0 / 9));   // 576 draws: ±3 % s.d.
        for (float b : wide.bias().value().data()) assertEquals(0f, b);
    }

    @Test
    void depthwiseErrorsNameLayerAndShapes() {
        DepthwiseConv2d conv = new DepthwiseConv2d(4, 3, 1, 0, true);
        assertEquals("DepthwiseConv2d(C=4, 3×3): expected input [N,4,H,W], got [2, 3, 8, 8]",
                assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.zeros(2, 3, 8, 8), Mode.TRAIN)).getMessage());
        assertEquals("DepthwiseConv2d(C=4, 3×3): expected input [N,4,H≥3,W≥3], got [2, 4, 2, 8]",
                assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.zeros(2, 4, 2, 8), Mode.TRAIN)).getMessage());
        assertEquals("DepthwiseConv2d(C=4, 3×3): backward called before forward",
                assertThrows(IllegalStateException.class, () -> conv.backward(Tensor.zeros(2, 4, 6, 6))).getMessage());
        conv.forward(Tensor.zeros(2, 4, 8, 8), Mode.TRAIN);
        assertEquals("DepthwiseConv2d(C=4, 3×3): expected gradient [2,4,6,6], got [2, 4, 8, 8]",
                assertThrows(IllegalArgumentException.class, () -> conv.backward(Tensor.zeros(2, 4, 8, 8))).getMessage());
    }

    // ---- Global average pooling ----

    @Test
    void globalAveragePoolingValuesAndGradients() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 6, -4, 0, 0, 0}, 1, 2, 2, 2);
        assertArrayEquals(new float[] {3, -1}, new GlobalAvgPool2d().forward(x, Mode.TRAIN).data(), 1e-7f);
        GradCheck.check(new GlobalAvgPool2d(), Tensor.randn(new Rng(19), 1f, 3, 2, 3, 4), Mode.TRAIN, 20);
        assertEquals("GlobalAvgPool2d: expected input [N,C,H,W], got [3, 4]",
                assertThrows(IllegalArgumentException.class, () -> new GlobalAvgPool2d().forward(Tensor.zeros(3, 4), Mode.TRAIN)).getMessage());
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
        // EVAL with BN: running statistics, the block is then fixed affine maps between the nonlinearities.
        MBConv bn = initialized(new MBConv(4, 4, 2, 1, Norm.BN), 38);
        for (int i = 0; i < 3; i++) bn.forward(Tensor.randn(new Rng(39 + i), 1f, 4, 4, 5, 5), Mode.TRAIN);
        GradCheck.check(bn, Tensor.randn(new Rng(42), 1f, 2, 4, 5, 5), Mode.EVAL, 43);
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

    // ---- Activations ----

    @Test
    void siluAndLeakyReluValuesAndGradients() {
        Tensor x = Tensor.of(new float[] {-2, -0.5f, 0.5f, 3}, 2, 2);
        float[] silu = new Silu().forward(x, Mode.TRAIN).data();
        for (int i = 0; i < 4; i++) assertEquals(x.data()[i] / (1 + Math.exp(-x.data()[i])), silu[i], 1e-6);
        assertArrayEquals(new float[] {-0.4f, -0.1f, 0.5f, 3}, new LeakyRelu(0.2).forward(x, Mode.TRAIN).data(), 1e-7f);
        Tensor away = Tensor.randn(new Rng(49), 1.5f, 4, 5);
        for (int i = 0; i < away.size(); i++) if (Math.abs(away.data()[i]) < 0.05f) away.data()[i] = 0.3f;   // off LeakyReLU's kink
        GradCheck.check(new Silu(), away, Mode.TRAIN, 50);
        GradCheck.check(new LeakyRelu(0.2), away, Mode.TRAIN, 51);
        assertEquals("LeakyReLU(0.2)", new LeakyRelu(0.2).describe());
        assertEquals("LeakyReLU: negative slope must be non-negative and finite, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> new LeakyRelu(-1)).getMessage());
    }

    @Test
    void reshapeTurnsImagesIntoRowSequences() {
        Reshape rows = new Reshape(28, 28);
        Tensor x = Tensor.randn(new Rng(52), 1f, 3, 1, 28, 28);
        Tensor y = rows.forward(x, Mode.TRAIN);
        assertArrayEquals(new int[] {3, 28, 28}, y.shape());
        assertEquals(x.get(2, 0, 5, 7), y.get(2, 5, 7), "row t of image n is step t of sequence n");
        assertArrayEquals(x.shape(), rows.backward(y).shape());
        assertEquals("Reshape(→[N,28,28]): expected input [N,…] with 784 values per sample, got [3, 1, 28, 27]",
                assertThrows(IllegalArgumentException.class, () -> rows.forward(Tensor.zeros(3, 1, 28, 27), Mode.TRAIN)).getMessage());
    }
}
