package org.normlab.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.normlab.tensor.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Assertions;

/**
 * Known answers for the shared statistics kernel, on whichever path this JVM runs (Vector API under Maven's
 * argLine, plain loops otherwise): sums against a double reference, the overflow fallback, the NaN/Inf check.
 */
class MomentsTest {

    /** The plain-Java path repeats the Vector API path addition for addition: same bits, module or not. */
    @Test
    void plainLoopsGiveTheVectorPathsBits() {
        Rng rng = new Rng(11);
        for (int len : new int[] {64, 65, 100, 1023, 1024, 1025, 4099}) {
            float[] x = new float[len + 3], dy = new float[len + 3];
            for (int i = 0; i < x.length; i++) { x[i] = (float) (5 + 2 * rng.nextGaussian()); dy[i] = (float) rng.nextGaussian(); }
            double[] vector = new double[2], plain = new double[2];
            VectorMoments.addShifted(x, 3, len, x[3], vector, 0);
            Moments.addShiftedInLanes(x, 3, len, x[3], plain, 0);
            assertEquals(vector[0], plain[0], 0, "Σd, len " + len);
            assertEquals(vector[1], plain[1], 0, "Σd², len " + len);
            VectorMoments.addGradientSums(dy, x, 3, len, 5.1, vector, 0);
            Moments.addGradientSumsInLanes(dy, x, 3, len, 5.1, plain, 0);
            assertEquals(vector[0], plain[0], 0, "Σdy, len " + len);
            assertEquals(vector[1], plain[1], 0, "Σdy·(x−μ), len " + len);
        }
    }

    /** Two runs read together give each run's sums exactly as a call of its own: tails, the overflow redo, NaN. */
    @Test
    void aPairOfRunsGivesEachRunsOwnBits() {
        Rng rng = new Rng(12);
        for (int len : new int[] {5, 64, 100, 1023, 1024, 2049}) {
            float[] x = new float[2 * len + 7];
            for (int i = 0; i < x.length; i++) x[i] = (float) (3 + rng.nextGaussian());
            for (int i = len + 7; i < x.length; i += 2) x[i] = 3e37f;  // run B: (x − x₀)² overflows float, redone in double
            double[] pair = new double[4], single = new double[4];
            Moments.addShiftedPair(x, 2, len + 7, len, x[2], x[len + 8], pair, 0, 2);
            Moments.addShifted(x, 2, len, x[2], single, 0);
            Moments.addShifted(x, len + 7, len, x[len + 8], single, 2);
            for (int k = 0; k < 4; k++) assertEquals(single[k], pair[k], 0, "sum " + k + ", len " + len);
            assertTrue(Double.isFinite(pair[3]), "run B's squares overflowed: " + pair[3]);
            x[len + 9] = Float.NaN;
            Moments.addShiftedPair(x, 2, len + 7, len, x[2], x[len + 8], pair, 0, 2);
            assertTrue(Double.isNaN(pair[2]) && Double.isFinite(pair[0]), "NaN in run B: " + Arrays.toString(pair));
        }
    }

    /** The same for the backward sums Σdy, Σdy·(x − μ) of two runs read together. */
    @Test
    void aPairOfGradientRunsGivesEachRunsOwnBits() {
        Rng rng = new Rng(13);
        for (int len : new int[] {5, 64, 100, 1023, 1024, 2049}) {
            float[] x = new float[2 * len + 7], dy = new float[2 * len + 7];
            for (int i = 0; i < x.length; i++) { x[i] = (float) (3 + rng.nextGaussian()); dy[i] = (float) rng.nextGaussian(); }
            for (int i = len + 7; i < x.length; i += 2) dy[i] = 3e38f;  // run B: float lane sums overflow, redone in double
            double[] pair = new double[4], single = new double[4];
            Moments.addGradientSumsPair(dy, x, 2, len + 7, len, 3.1, 2.9, pair, 0, 2);
            Moments.addGradientSums(dy, x, 2, len, 3.1, single, 0);
            Moments.addGradientSums(dy, x, len + 7, len, 2.9, single, 2);
            for (int k = 0; k < 4; k++) assertEquals(single[k], pair[k], 0, "sum " + k + ", len " + len);
            assertTrue(Double.isFinite(pair[2]), "run B's Σdy overflowed: " + pair[2]);
            dy[len + 9] = Float.NaN;
            Moments.addGradientSumsPair(dy, x, 2, len + 7, len, 3.1, 2.9, pair, 0, 2);
            assertTrue(Double.isNaN(pair[2]) && Double.isFinite(pair[0]), "NaN in run B: " + Arrays.toString(pair));
        }
    }

    @Test
    void shiftedSumsMatchADoubleReference() {
        Rng rng = new Rng(7);
        for (int len : new int[] {1, 3, 63, 64, 65, 1000, 5000}) {
            float[] x = new float[len + 5];
            for (int i = 0; i < x.length; i++) x[i] = (float) (100 + 3 * rng.nextGaussian());
            double shift = x[2], s = 0, q = 0;
            for (int i = 2; i < 2 + len; i++) { s += x[i] - shift; q += (x[i] - shift) * (x[i] - shift); }
            double[] acc = new double[4];
            Moments.addShifted(x, 2, len, shift, acc, 2);
            assertEquals(s, acc[2], 1e-5 * Math.max(1, Math.abs(q)), "Σd, len " + len);
            assertEquals(q, acc[3], 1e-5 * Math.max(1, q), "Σd², len " + len);
            double mean = Moments.mean(shift, acc[2], len), var = Moments.variance(acc[2], acc[3], len);
            double m = 0, v = 0;
            for (int i = 2; i < 2 + len; i++) m += x[i] / (double) len;
            for (int i = 2; i < 2 + len; i++) v += (x[i] - m) * (x[i] - m) / len;
            assertEquals(m, mean, 1e-6 * Math.abs(m), "mean, len " + len);
            assertEquals(v, var, 1e-5 * Math.max(v, 1e-3), "variance, len " + len);
        }
    }

    @Test
    void gradientSumsMatchADoubleReference() {
        Rng rng = new Rng(8);
        int len = 3000;
        float[] x = new float[len], dy = new float[len];
        for (int i = 0; i < len; i++) { x[i] = (float) rng.nextGaussian(); dy[i] = (float) rng.nextGaussian(); }
        double mu = 0.25, g = 0, h = 0;
        for (int i = 0; i < len; i++) { g += dy[i]; h += dy[i] * (x[i] - mu); }
        double[] acc = new double[2];
        Moments.addGradientSums(dy, x, 0, len, mu, acc, 0);
        assertEquals(g, acc[0], 1e-4);
        assertEquals(h, acc[1], 1e-4);
    }

    @Test
    void hugeFiniteValuesStayFiniteAndNonFiniteValuesAreFound() {
        float[] x = new float[256];
        for (int i = 0; i < x.length; i++) x[i] = (i % 2 == 0 ? 1 : -1) * 3e37f;  // (x − x₀)² overflows float
        double[] acc = new double[2];
        Moments.addShifted(x, 0, x.length, x[0], acc, 0);
        assertTrue(Double.isFinite(acc[0]) && Double.isFinite(acc[1]), "sums " + acc[0] + ", " + acc[1]);
        assertEquals(128 * 36e74, acc[1], 1e-6 * 128 * 36e74);
        assertCheckedAffine(x, true);
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] y = x.clone();
            y[200] = bad;
            assertCheckedAffine(y, false);
            double[] a = new double[2];
            Moments.addShifted(y, 0, y.length, y[0], a, 0);
            assertFalse(Double.isFinite(a[0]) && Double.isFinite(a[1]), bad + " did not make the sums non-finite");
        }
    }

    /** Every checked affine map, vector and plain, over several lengths and offsets: same outputs, right verdict. */
    private static void assertCheckedAffine(float[] x, boolean finite) {
        for (int len : new int[] {7, 32, 100, 201, x.length - 3}) {
            int off = Math.max(0, Math.min(x.length - len, 200 - len / 2));  // a bad value at 200 is always inside
            float[] a = new float[len], b = new float[len];
            for (int i = 0; i < len; i++) { a[i] = 0.5f + i % 3; b[i] = i % 5 - 2f; }
            float[] expect = new float[x.length], vector = new float[x.length], plain = new float[x.length];
            for (int i = 0; i < len; i++) expect[off + i] = 0.25f * x[off + i] + 3f;
            String what = (finite ? "finite" : "non-finite") + " input, len " + len;
            assertEquals(finite, Moments.affineChecked(x, vector, off, len, 0.25f, 3f), what);
            assertEquals(finite, Moments.affineCheckedPlain(x, plain, off, len, 0.25f, 3f), "plain, " + what);
            Assertions.assertArrayEquals(expect, vector, what);
            Assertions.assertArrayEquals(expect, plain, "plain, " + what);
            for (int i = 0; i < len; i++) expect[off + i] = a[i] * x[off + i] + b[i];
            assertEquals(finite, Moments.affineColumnsChecked(x, vector, off - 3, 3, len + 3, shifted(a), shifted(b)), "columns, " + what);
            assertEquals(finite, Moments.affineColumnsCheckedPlain(x, plain, off - 3, 3, len + 3, shifted(a), shifted(b)), "plain columns, " + what);
            Assertions.assertArrayEquals(expect, vector, "columns, " + what);
            Assertions.assertArrayEquals(expect, plain, "plain columns, " + what);
        }
    }

    /** The coefficients at index 3 on: columns [3, len + 3) of a row that starts 3 values early. */
    private static float[] shifted(float[] a) {
        float[] out = new float[a.length + 3];
        System.arraycopy(a, 0, out, 3, a.length);
        return out;
    }
}
