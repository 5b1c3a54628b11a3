package org.normlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.testing.GradCheck;
import java.util.Arrays;
import java.util.List;
import org.normlab.kernels.Parallelism;

class Conv2dTest {

    private static Conv2d randomConv(int in, int out, int kernelH, int kernelW, int stride, int padding, boolean withBias, long seed) {
        Conv2d conv = new Conv2d(in, out, kernelH, kernelW, stride, padding, withBias);
        Rng rng = new Rng(seed);
        float[] w = conv.weight().value().data();
        for (int i = 0; i < w.length; i++) w[i] = (float) rng.nextGaussian();
        if (withBias) {
            float[] b = conv.bias().value().data();
            for (int i = 0; i < b.length; i++) b[i] = (float) rng.nextGaussian();
        }
        return conv;
    }

    /** The definition, one output value at a time, summed in double: y[n,o,r,q] = b[o] + Σ W[o,c,i,j]·x̃[n,c,r·s−p+i,q·s−p+j]. */
    private static double[] directConvolution(Conv2d conv, Tensor x) {
        int n = x.dim(0), h = x.dim(2), w = x.dim(3), s = conv.stride(), p = conv.padding();
        int oh = (h + 2 * p - conv.kernelH()) / s + 1, ow = (w + 2 * p - conv.kernelW()) / s + 1;
        Tensor weight = conv.weight().value();
        double[] y = new double[n * conv.outChannels() * oh * ow];
        int index = 0;
        for (int b = 0; b < n; b++) for (int o = 0; o < conv.outChannels(); o++) for (int r = 0; r < oh; r++) for (int q = 0; q < ow; q++) {
            double sum = conv.bias() == null ? 0 : conv.bias().value().get(o);
            for (int c = 0; c < conv.inChannels(); c++) for (int i = 0; i < conv.kernelH(); i++) for (int j = 0; j < conv.kernelW(); j++) {
                int ih = r * s - p + i, iw = q * s - p + j;
                if (ih >= 0 && ih < h && iw >= 0 && iw < w) sum += (double) weight.get(o, c, i, j) * x.get(b, c, ih, iw);
            }
            y[index++] = sum;
        }
        return y;
    }

    private static void assertMatchesDirectConvolution(Conv2d conv, Tensor x) {
        Tensor y = conv.forward(x, Mode.TRAIN);
        double[] expected = directConvolution(conv, x);
        assertEquals(expected.length, y.size(), conv.describe() + " output size");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], y.data()[i], 1e-4 * (1 + Math.abs(expected[i])), conv.describe() + " output " + i);
        }
    }

    @Test
    void forwardMatchesDirectConvolutionLoop() {
        Tensor x = Tensor.randn(new Rng(1), 1f, 2, 3, 7, 6);
        assertMatchesDirectConvolution(randomConv(3, 4, 3, 3, 1, 0, true, 2), x);
        assertMatchesDirectConvolution(randomConv(3, 4, 3, 3, 1, 1, true, 3), x);
        assertMatchesDirectConvolution(randomConv(3, 4, 3, 3, 2, 1, false, 4), x);   // 7 + 2 − 3 = 6: even
        assertMatchesDirectConvolution(randomConv(3, 4, 2, 3, 2, 0, true, 5), x);    // 7 − 2 = 5: floor drops a row
        assertMatchesDirectConvolution(randomConv(3, 2, 5, 2, 3, 2, true, 6), x);    // padding wider than some windows
        assertMatchesDirectConvolution(randomConv(3, 5, 1, 1, 1, 0, true, 7), x);    // 1×1 conv
        assertMatchesDirectConvolution(randomConv(1, 6, 5, 5, 1, 0, false, 8), Tensor.randn(new Rng(9), 1f, 3, 1, 28, 28));  // LeNet conv1
    }

    @Test
    void outputShapeFollowsPyTorchFormula() {
        Conv2d conv = new Conv2d(3, 8, 3, 2, 2, 1, true);
        Tensor y = conv.forward(Tensor.zeros(5, 3, 9, 8), Mode.EVAL);
        // Ho = ⌊(9 + 2 − 3)/2⌋ + 1 = 5,  Wo = ⌊(8 + 2 − 2)/2⌋ + 1 = 5
        assertArrayEquals(new int[] {5, 8, 5, 5}, y.shape());
    }

    @Test
    void gradientsStride1Padding0() {
        GradCheck.check(randomConv(2, 3, 3, 3, 1, 0, true, 10), Tensor.randn(new Rng(11), 1f, 2, 2, 5, 5), Mode.TRAIN, 12);
    }

    @Test
    void gradientsStride1Padding1() {
        GradCheck.check(randomConv(2, 3, 3, 3, 1, 1, true, 13), Tensor.randn(new Rng(14), 1f, 2, 2, 5, 4), Mode.TRAIN, 15);
    }

    @Test
    void gradientsStride2Padding0() {
        GradCheck.check(randomConv(2, 3, 3, 3, 2, 0, false, 16), Tensor.randn(new Rng(17), 1f, 2, 2, 7, 6), Mode.TRAIN, 18);
    }

    @Test
    void gradientsStride2Padding1NonSquareKernel() {
        GradCheck.check(randomConv(3, 2, 2, 3, 2, 1, true, 19), Tensor.randn(new Rng(20), 1f, 2, 3, 6, 7), Mode.TRAIN, 21);
        GradCheck.check(randomConv(2, 2, 3, 1, 2, 1, true, 22), Tensor.randn(new Rng(23), 1f, 3, 2, 5, 4), Mode.TRAIN, 24);
    }

    @Test
    void backwardAddsToExistingGradients() {
        Conv2d conv = randomConv(2, 3, 3, 3, 1, 1, true, 25);
        Tensor x = Tensor.randn(new Rng(26), 1f, 2, 2, 4, 4);
        Tensor dy = Tensor.randn(new Rng(27), 1f, 2, 3, 4, 4);
        conv.forward(x, Mode.TRAIN);
        conv.backward(dy);
        float[] once = conv.weight().grad().data().clone(), onceBias = conv.bias().grad().data().clone();
        conv.forward(x, Mode.TRAIN);
        conv.backward(dy);
        for (int i = 0; i < once.length; i++) assertEquals(2 * once[i], conv.weight().grad().data()[i], 1e-5 * (1 + Math.abs(once[i])));
        for (int i = 0; i < onceBias.length; i++) assertEquals(2 * onceBias[i], conv.bias().grad().data()[i], 1e-5 * (1 + Math.abs(onceBias[i])));
    }

    @Test
    void reusedBuffersNeitherLeakIntoOutputsNorMixUpSteps() {
        Conv2d conv = randomConv(2, 3, 3, 3, 1, 1, true, 28);
        Tensor a = Tensor.randn(new Rng(29), 1f, 4, 2, 6, 6), b = Tensor.randn(new Rng(30), 1f, 4, 2, 6, 6);
        Tensor ya = conv.forward(a, Mode.TRAIN);
        Tensor dxa = conv.backward(Tensor.randn(new Rng(33), 1f, 4, 3, 6, 6));   // fills the dx buffer with a's step
        Arrays.fill(conv.weight().grad().data(), 0f);
        Arrays.fill(conv.bias().grad().data(), 0f);
        Tensor yb = conv.forward(b, Mode.TRAIN);   // same shape: reuses the im2col matrices and the output
        assertSame(ya, yb, "the output buffer is reused while the shape repeats (valid until the next forward)");

        // forward and backward of b give exactly a fresh layer's values: nothing of a's step is left in the buffers.
        Tensor dy = Tensor.randn(new Rng(31), 1f, 4, 3, 6, 6);
        Tensor dx = conv.backward(dy);
        assertSame(dxa, dx);
        Conv2d fresh = randomConv(2, 3, 3, 3, 1, 1, true, 28);
        assertArrayEquals(fresh.forward(b, Mode.TRAIN).data(), yb.data(), 0f);
        assertArrayEquals(fresh.backward(dy).data(), dx.data(), 0f);
        assertArrayEquals(fresh.weight().grad().data(), conv.weight().grad().data(), 0f);

        // A different batch size re-sizes the buffers.
        Tensor small = Tensor.randn(new Rng(32), 1f, 1, 2, 5, 3);
        assertMatchesDirectConvolution(conv, small);
        assertArrayEquals(small.shape(), conv.backward(Tensor.zeros(1, 3, 5, 3)).shape());
    }

    @Test
    void wrongInputChannelsNameLayerAndShapes() {
        Conv2d conv = new Conv2d(1, 6, 5, false);
        var e = assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.zeros(32, 3, 28, 28), Mode.TRAIN));
        assertEquals("Conv2d(1→6, 5×5, no bias): expected input [N,1,H,W], got [32, 3, 28, 28]", e.getMessage());
        var flat = assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.zeros(32, 784), Mode.TRAIN));
        assertEquals("Conv2d(1→6, 5×5, no bias): expected input [N,1,H,W], got [32, 784]", flat.getMessage());
    }

    @Test
    void tooSmallInputNamesLayerAndShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(6, 16, 5, true).forward(Tensor.zeros(2, 6, 4, 4), Mode.TRAIN));
        assertEquals("Conv2d(6→16, 5×5): expected input [N,6,H≥5,W≥5], got [2, 6, 4, 4]", e.getMessage());
        // With padding 1 the padded input must hold the kernel: H + 2 ≥ 5, W + 2 ≥ 4.
        Conv2d padded = new Conv2d(2, 3, 5, 4, 2, 1, true);
        var p = assertThrows(IllegalArgumentException.class, () -> padded.forward(Tensor.zeros(1, 2, 2, 9), Mode.TRAIN));
        assertEquals("Conv2d(2→3, 5×4, stride 2, padding 1): expected input [N,2,H≥3,W≥2], got [1, 2, 2, 9]", p.getMessage());
        assertArrayEquals(new int[] {1, 3, 1, 4}, padded.forward(Tensor.zeros(1, 2, 3, 8), Mode.TRAIN).shape());
    }

    @Test
    void wrongGradientShapeAndEarlyBackwardAreErrors() {
        Conv2d conv = new Conv2d(1, 2, 3, true);
        assertEquals("Conv2d(1→2, 3×3): backward called before forward",
                assertThrows(IllegalStateException.class, () -> conv.backward(Tensor.zeros(1, 2, 2, 2))).getMessage());
        conv.forward(Tensor.zeros(4, 1, 5, 5), Mode.TRAIN);
        assertEquals("Conv2d(1→2, 3×3): expected gradient [4,2,3,3], got [4, 2, 5, 5]",
                assertThrows(IllegalArgumentException.class, () -> conv.backward(Tensor.zeros(4, 2, 5, 5))).getMessage());
    }

    @Test
    void invalidHyperParametersAreRejected() {
        assertEquals("Conv2d: channels and kernel sizes must be positive, got in=1, out=0, kernel=3×3",
                assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 0, 3, true)).getMessage());
        assertEquals("Conv2d: stride must be positive and padding non-negative, got stride=0, padding=1",
                assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 2, 3, 0, 1, true)).getMessage());
    }

    @Test
    void initUsesConvolutionFans() {
        // fanIn = in·kH·kW = 16·3·5 = 240, fanOut = out·kH·kW = 32·15 = 480; 7 680 weights give the sample standard
        // deviation to about 1/√(2·7680) ≈ 0.8 % relative, so 4 % is a wide margin.
        for (Init init : new Init[] {Init.he(), Init.xavier(), new Init(Init.Kind.NORMAL, 0.05)}) {
            Conv2d conv = new Conv2d(16, 32, 3, 5, 1, 0, true);
            Arrays.fill(conv.bias().value().data(), 1f);
            init.apply(conv, new Rng(33));
            float[] w = conv.weight().value().data();
            double sq = 0;
            for (float v : w) sq += v * v;
            double expected = init.std(16 * 3 * 5, 32 * 3 * 5);
            assertEquals(expected, Math.sqrt(sq / w.length), 0.04 * expected, init + " weight std");
            for (float b : conv.bias().value().data()) assertEquals(0f, b, init + " bias");
        }
        assertEquals(Math.sqrt(2.0 / 240), Init.he().std(240, 480), 1e-12);
        assertEquals(Math.sqrt(2.0 / 720), Init.xavier().std(240, 480), 1e-12);
    }

    @Test
    void describeShowsNonDefaultSettings() {
        assertEquals("Conv2d(1→6, 5×5)", new Conv2d(1, 6, 5, true).describe());
        assertEquals("Conv2d(3→8, 3×2, stride 2, padding 1, no bias)", new Conv2d(3, 8, 3, 2, 2, 1, false).describe());
        assertTrue(new Conv2d(1, 6, 5, false).params().size() == 1);
    }

    /** Training skips the first layer's dx; the parameter gradients must not change by a bit, at 1 or 2 threads. */
    @Test
    void backwardToParametersGivesBackwardsParameterGradients() {
        for (int threads : new int[] {1, 2}) {
            Parallelism.setThreadsForCurrentThread(threads);
            try {
                Tensor x = Tensor.randn(new Rng(3), 1f, 9, 2, 8, 7), dy = Tensor.randn(new Rng(4), 1f, 9, 4, 8, 7);
                Conv2d full = new Conv2d(2, 4, 3, 1, 1, true), paramsOnly = new Conv2d(2, 4, 3, 1, 1, true);
                Init.xavier().apply(full, new Rng(5));
                Init.xavier().apply(paramsOnly, new Rng(5));
                Sequential model = new Sequential(List.of(paramsOnly, Activation.relu()));
                full.backward(reluGrad(full, x, dy));
                model.forward(x, Mode.TRAIN);
                model.backwardToParameters(dy);
                assertArrayEquals(full.weight().grad().data(), paramsOnly.weight().grad().data(), "dW at " + threads + " threads");
                assertArrayEquals(full.bias().grad().data(), paramsOnly.bias().grad().data(), "db at " + threads + " threads");
            } finally {
                Parallelism.clearThreadsForCurrentThread();
            }
        }
    }

    /** dy through a ReLU applied to conv(x): the gradient the Sequential's second layer hands the conv. */
    private static Tensor reluGrad(Conv2d conv, Tensor x, Tensor dy) {
        Activation relu = Activation.relu();
        relu.forward(conv.forward(x, Mode.TRAIN), Mode.TRAIN);
        return relu.backward(dy);
    }
}
