package org.normlab.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.normlab.tensor.Rng;

class RunsTest {
    /** Lengths around the 8-float vector: empty, shorter, exact, with a tail, several vectors. */
    private static final int[] LENGTHS = {0, 1, 7, 8, 9, 16, 24, 31};

    private static float[] random(Rng rng, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }

    @Test
    void copyMovesExactlyTheRunAndNothingElse() {
        Rng rng = new Rng(1);
        for (int length : LENGTHS) {
            float[] src = random(rng, length + 10), dst = random(rng, length + 12), before = dst.clone();
            Runs.copy(src, 3, dst, 5, length);
            for (int i = 0; i < dst.length; i++) {
                float expected = i >= 5 && i < 5 + length ? src[3 + i - 5] : before[i];
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(dst[i]), "length " + length + " at " + i);
            }
        }
    }

    @Test
    void addIsOneFloatAdditionPerElementOfTheRun() {
        Rng rng = new Rng(2);
        for (int length : LENGTHS) {
            float[] src = random(rng, length + 10), dst = random(rng, length + 12), before = dst.clone();
            src[2 % Math.max(1, length) + 4] = Float.NaN;  // a NaN in the run stays a NaN in its element only
            Runs.add(src, 4, dst, 6, length);
            for (int i = 0; i < dst.length; i++) {
                float expected = i >= 6 && i < 6 + length ? before[i] + src[4 + i - 6] : before[i];
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(dst[i]), "length " + length + " at " + i);
            }
        }
    }
}
