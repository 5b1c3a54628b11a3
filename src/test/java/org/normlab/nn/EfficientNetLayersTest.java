package org.normlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.testing.GradCheck;

/** The layers EfficientNet's blocks are built from: depthwise convolution, global average pooling, SiLU and LeakyReLU. */
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
