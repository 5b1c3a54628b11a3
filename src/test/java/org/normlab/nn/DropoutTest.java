package org.normlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.testing.LayerProperties;
import org.normlab.testing.GradCheck;

class DropoutTest {

    /** Values with no zeros, so a zero in the output can only come from the mask. */
    private static Tensor nonZeroInput(long seed, int... shape) {
        Tensor x = Tensor.randn(new Rng(seed), 1f, shape);
        for (int i = 0; i < x.size(); i++) if (Math.abs(x.data()[i]) < 0.01f) x.data()[i] = 0.5f;
        return x;
    }

    @Test
    void trainZeroesSomeValuesAndScalesTheRestByOneOverOneMinusP() {
        double p = 0.25;
        float scale = (float) (1 / (1 - p));  // 1/0.75 = 4/3
        Dropout dropout = new Dropout(p, new Rng(21));
        Tensor x = nonZeroInput(22, 8, 10);
        Tensor y = dropout.forward(x, Mode.TRAIN);
        Tensor dy = nonZeroInput(23, 8, 10);
        Tensor dx = dropout.backward(dy);
        int kept = 0;
        for (int i = 0; i < x.size(); i++) {
            boolean isKept = y.data()[i] != 0;
            if (isKept) kept++;
            // exact (delta 0 also equates 0 with −0, which a dropped negative value gives: −1.2·0 = −0)
            assertEquals(isKept ? x.data()[i] * scale : 0f, y.data()[i], 0f, "forward at " + i);
            // the gradient follows the same mask: dy·(1/(1−p)) where kept, 0 where dropped
            assertEquals(isKept ? dy.data()[i] * scale : 0f, dx.data()[i], 0f, "backward at " + i);
        }
        assertTrue(kept > 0 && kept < x.size(), "some kept, some dropped: " + kept + " of " + x.size());
    }

    /**
     * A Dropout rebuilt from the same seed before every forward, so every forward draws the same mask: with the mask
     * fixed, dropout is linear and {@link GradCheck} applies.
     */
    private static final class FixedMaskDropout implements Layer {
        private final double p;
        private final long seed;
        private Dropout current;

        FixedMaskDropout(double p, long seed) { this.p = p; this.seed = seed; }

        @Override
        public Tensor forward(Tensor x, Mode mode) {
            current = new Dropout(p, new Rng(seed));
            return current.forward(x, mode);
        }

        @Override
        public Tensor backward(Tensor dy) { return current.backward(dy); }

        @Override
        public String describe() { return "FixedMask" + current.describe(); }
    }

    @Test
    void gradientWithAFixedMaskMatchesCentralDifferences() {
        GradCheck.check(new FixedMaskDropout(0.5, 24), nonZeroInput(25, 4, 6), Mode.TRAIN, 26);
        GradCheck.check(new FixedMaskDropout(0.1, 27), nonZeroInput(28, 3, 2, 5), Mode.TRAIN, 29);
    }

    @Test
    void evalIsTheIdentity() {
        Dropout dropout = new Dropout(0.5, new Rng(30));
        Tensor x = nonZeroInput(31, 4, 5);
        float[] before = x.data().clone();
        Tensor y = dropout.forward(x, Mode.EVAL);
        assertArrayEquals(before, y.data());
        Tensor dy = nonZeroInput(32, 4, 5);
        LayerProperties.assertBackwardRefusedAfterEval(dropout, dy);  // EVAL keeps nothing for backward
        // after a TRAIN forward, an EVAL forward forgets the mask
        dropout.forward(x, Mode.TRAIN);
        dropout.forward(x, Mode.EVAL);
        LayerProperties.assertBackwardRefusedAfterEval(dropout, dy);
    }

    @Test
    void pZeroIsTheIdentityInTraining() {
        Tensor x = nonZeroInput(33, 3, 4);
        Dropout dropout = new Dropout(0, new Rng(34));
        assertSame(x, dropout.forward(x, Mode.TRAIN));
        Tensor dy = nonZeroInput(35, 3, 4);
        assertSame(dy, dropout.backward(dy));
    }

    @Test
    void empiricalKeepRateIsOneMinusPAndTheMeanIsPreserved() {
        double p = 0.3;
        Dropout dropout = new Dropout(p, new Rng(36));
        int n = 100_000;
        Tensor y = dropout.forward(Tensor.full(1f, 100, n / 100), Mode.TRAIN);
        long kept = 0;
        double sum = 0;
        for (float v : y.data()) { if (v != 0) kept++; sum += v; }
        // the kept fraction is a Binomial(n, 0.7)/n: standard deviation √(0.3·0.7/100000) ≈ 0.00145; allow ~7σ
        assertEquals(0.7, (double) kept / n, 0.01);
        // E[y] = 0.7 · (1/0.7) = 1 for x = 1; the sample mean is kept/n/0.7, within 0.01/0.7
        assertEquals(1.0, sum / n, 0.015);
    }

    @Test
    void theSameSeedGivesTheSameMasks() {
        Tensor x = Tensor.full(1f, 20, 30);
        Dropout a = new Dropout(0.5, new Rng(37)), b = new Dropout(0.5, new Rng(37)), other = new Dropout(0.5, new Rng(38));
        float[] a1 = a.forward(x, Mode.TRAIN).data(), b1 = b.forward(x, Mode.TRAIN).data();
        float[] a2 = a.forward(x, Mode.TRAIN).data(), b2 = b.forward(x, Mode.TRAIN).data();
        assertArrayEquals(a1, b1, "same seed, first forward");
        assertArrayEquals(a2, b2, "same seed, second forward");
        assertFalse(Arrays.equals(a1, a2), "each forward draws a new mask");
        assertFalse(Arrays.equals(a1, other.forward(x, Mode.TRAIN).data()), "another seed, another mask");
    }

    @Test
    void errorsNameTheLayer() {
        for (double bad : new double[] {1.0, -0.1, Double.NaN}) {
            assertEquals("Dropout: p must be in [0,1), got " + bad,
                    assertThrows(IllegalArgumentException.class, () -> new Dropout(bad, new Rng(1))).getMessage());
        }
        assertEquals("Dropout(p=0.5): needs an Rng for its masks, got null",
                assertThrows(IllegalArgumentException.class, () -> new Dropout(0.5, null)).getMessage());
        Dropout dropout = new Dropout(0.5, new Rng(39));
        assertEquals("Dropout(p=0.5): backward called before forward",
                assertThrows(IllegalStateException.class, () -> dropout.backward(Tensor.zeros(2, 3))).getMessage());
        dropout.forward(Tensor.zeros(2, 3), Mode.TRAIN);
        assertEquals("Dropout(p=0.5): expected gradient [2, 3], got [2, 4]",
                assertThrows(IllegalArgumentException.class, () -> dropout.backward(Tensor.zeros(2, 4))).getMessage());
    }
}
