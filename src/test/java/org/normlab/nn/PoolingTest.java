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

class PoolingTest {

    /**
     * Distinct values 0.05 apart in random order: a finite-difference step of 1e-2 can never change which value is a
     * window's maximum, so max pooling is differentiable at every point the gradient check visits.
     */
    private static Tensor separatedValues(long seed, int... shape) {
        Tensor x = Tensor.zeros(shape);
        int[] order = new Rng(seed).permutation(x.size());
        for (int i = 0; i < order.length; i++) x.data()[i] = 0.05f * (order[i] - order.length / 2);
        return x;
    }

    /** max or mean over each k×k window at stride s, written out from the definition. */
    private static double[] directPooling(Tensor x, int k, int s, boolean max) {
        int n = x.dim(0), c = x.dim(1), oh = (x.dim(2) - k) / s + 1, ow = (x.dim(3) - k) / s + 1;
        double[] y = new double[n * c * oh * ow];
        int index = 0;
        for (int b = 0; b < n; b++) for (int ch = 0; ch < c; ch++) for (int r = 0; r < oh; r++) for (int q = 0; q < ow; q++) {
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) {
                double v = x.get(b, ch, r * s + i, q * s + j);
                acc = max ? Math.max(acc, v) : acc + v / (k * k);
            }
            y[index++] = acc;
        }
        return y;
    }

    private static void assertMatches(double[] expected, Tensor actual, String what) {
        assertEquals(expected.length, actual.size(), what + " size");
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual.data()[i], 1e-6, what + " at " + i);
    }

    @Test
    void maxPoolForwardMatchesDefinition() {
        Tensor x = Tensor.randn(new Rng(1), 1f, 2, 3, 7, 6);
        Tensor y = new MaxPool2d(2).forward(x, Mode.TRAIN);
        assertArrayEquals(new int[] {2, 3, 3, 3}, y.shape());   // ⌊(7 − 2)/2⌋ + 1 = 3: the last row is dropped
        assertMatches(directPooling(x, 2, 2, true), y, "MaxPool2d(2)");
        assertMatches(directPooling(x, 3, 2, true), new MaxPool2d(3, 2).forward(x, Mode.TRAIN), "MaxPool2d(3, 2)");
    }

    @Test
    void avgPoolForwardMatchesDefinition() {
        Tensor x = Tensor.randn(new Rng(2), 1f, 2, 3, 7, 6);
        assertMatches(directPooling(x, 2, 2, false), new AvgPool2d(2, 2).forward(x, Mode.TRAIN), "AvgPool2d(2)");
        assertMatches(directPooling(x, 3, 2, false), new AvgPool2d(3, 2).forward(x, Mode.TRAIN), "AvgPool2d(3, 2)");
        assertMatches(directPooling(x, 2, 1, false), new AvgPool2d(2, 1).forward(x, Mode.TRAIN), "AvgPool2d(2, 1)");
    }

    @Test
    void maxPoolGradients() {
        GradCheck.check(new MaxPool2d(2), separatedValues(3, 2, 2, 6, 5), Mode.TRAIN, 4);
        GradCheck.check(new MaxPool2d(3, 2), separatedValues(5, 2, 2, 7, 7), Mode.TRAIN, 6);   // overlapping windows
        GradCheck.check(new MaxPool2d(2, 1), separatedValues(7, 1, 3, 4, 5), Mode.TRAIN, 8);
    }

    @Test
    void avgPoolGradients() {
        GradCheck.check(new AvgPool2d(2), Tensor.randn(new Rng(9), 1f, 2, 2, 6, 5), Mode.TRAIN, 10);
        GradCheck.check(new AvgPool2d(3, 2), Tensor.randn(new Rng(11), 1f, 2, 2, 7, 7), Mode.TRAIN, 12);
        GradCheck.check(new AvgPool2d(2, 1), Tensor.randn(new Rng(13), 1f, 1, 3, 4, 5), Mode.TRAIN, 14);
    }

    @Test
    void maxPoolTiesRouteTheGradientToTheFirstMaximum() {
        MaxPool2d pool = new MaxPool2d(2);
        // Window 1 all equal → top-left; window 2 has its maximum 5 at (0,1) and (1,1) → (0,1), the first in row-major order.
        Tensor x = Tensor.of(new float[] {
                2, 2, 0, 5,
                2, 2, 1, 5}, 1, 1, 2, 4);
        assertArrayEquals(new float[] {2, 5}, pool.forward(x, Mode.TRAIN).data());
        Tensor dx = pool.backward(Tensor.of(new float[] {3, 7}, 1, 1, 1, 2));
        assertArrayEquals(new float[] {
                3, 0, 0, 7,
                0, 0, 0, 0}, dx.data());
    }

    @Test
    void overlappingMaxPoolWindowsAddTheirGradients() {
        // Stride 1, kernel 2 on one row of three values: the middle value 9 is the maximum of both windows.
        MaxPool2d pool = new MaxPool2d(2, 1);
        Tensor x = Tensor.of(new float[] {1, 9, 4, 0, 0, 0}, 1, 1, 2, 3);
        assertArrayEquals(new float[] {9, 9}, pool.forward(x, Mode.TRAIN).data());
        assertArrayEquals(new float[] {0, 5, 0, 0, 0, 0}, pool.backward(Tensor.of(new float[] {2, 3}, 1, 1, 1, 2)).data());
    }

    @Test
    void maxPoolPropagatesNaN() {
        Tensor y = new MaxPool2d(2).forward(Tensor.of(new float[] {1, Float.NaN, 3, 2}, 1, 1, 2, 2), Mode.TRAIN);
        assertTrue(Float.isNaN(y.data()[0]));
    }

    @Test
    void tooSmallOrFlatInputsNameLayerAndShapes() {
        assertEquals("MaxPool2d(2×2): expected input [N,C,H≥2,W≥2], got [4, 16, 1, 1]",
                assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2).forward(Tensor.zeros(4, 16, 1, 1), Mode.TRAIN)).getMessage());
        assertEquals("AvgPool2d(2×2): expected input [N,C,H≥2,W≥2], got [4, 256]",
                assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(2, 2).forward(Tensor.zeros(4, 256), Mode.TRAIN)).getMessage());
        assertEquals("AvgPool2d(3×3, stride 2): expected input [N,C,H≥3,W≥3], got [1, 1, 5, 2]",
                assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(3, 2).forward(Tensor.zeros(1, 1, 5, 2), Mode.TRAIN)).getMessage());
    }

    @Test
    void wrongGradientShapeIsAnError() {
        MaxPool2d max = new MaxPool2d(2);
        max.forward(Tensor.zeros(2, 3, 4, 4), Mode.TRAIN);
        assertEquals("MaxPool2d(2×2): expected gradient [2, 3, 2, 2], got [2, 3, 4, 4]",
                assertThrows(IllegalArgumentException.class, () -> max.backward(Tensor.zeros(2, 3, 4, 4))).getMessage());
        AvgPool2d avg = new AvgPool2d(2);
        assertEquals("AvgPool2d(2×2): backward called before forward",
                assertThrows(IllegalStateException.class, () -> avg.backward(Tensor.zeros(2, 3, 2, 2))).getMessage());
    }

    /**
     * AvgPool2d keeps its output and input gradient across calls of the same shape; a second step must give exactly a
     * fresh layer's values, whatever the first left in the buffers: the tiling 2×2 windows (even and odd sizes, whose
     * last row or column no window covers) and overlapping windows, whose gradient shares add up.
     */
    @Test
    void avgPoolReusedBuffersHoldOnlyTheLastCall() {
        int[][] cases = {{2, 2, 6, 8}, {2, 2, 5, 7}, {3, 2, 7, 7}, {2, 1, 4, 5}};
        for (int[] k : cases) {
            int kernel = k[0], stride = k[1], h = k[2], w = k[3], oh = (h - kernel) / stride + 1, ow = (w - kernel) / stride + 1;
            AvgPool2d pool = new AvgPool2d(kernel, stride), fresh = new AvgPool2d(kernel, stride);
            Tensor y1 = pool.forward(Tensor.randn(new Rng(40), 1f, 2, 3, h, w), Mode.TRAIN);
            Tensor dx1 = pool.backward(Tensor.randn(new Rng(41), 3f, 2, 3, oh, ow));
            Tensor x = Tensor.randn(new Rng(42), 1f, 2, 3, h, w), dy = Tensor.randn(new Rng(43), 1f, 2, 3, oh, ow);
            Tensor y2 = pool.forward(x, Mode.TRAIN), dx2 = pool.backward(dy);
            String what = "AvgPool2d(" + kernel + ", " + stride + ") on " + h + "×" + w;
            assertSame(y1, y2, what + ": output buffer reused");
            assertSame(dx1, dx2, what + ": gradient buffer reused");
            assertArrayEquals(fresh.forward(x, Mode.TRAIN).data(), y2.data(), 0f, what);
            assertArrayEquals(fresh.backward(dy).data(), dx2.data(), 0f, what);
        }
    }
}
