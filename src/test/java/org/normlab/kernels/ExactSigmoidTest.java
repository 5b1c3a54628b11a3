package org.normlab.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import java.util.Arrays;

/** The vector σ and SiLU give the scalar formula's floats, bit for bit, including the lanes it must redo. */
class ExactSigmoidTest {
    private static final float[] SPECIAL = {0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 88.72f, -88.72f, 103.97f,
        -103.97f, 709.78f, -709.78f, 709.79f, -709.79f, 745.2f, -745.2f, 1e30f, -1e30f, 16.635532f, -17.328680f, 1e-8f, -1e-8f};

    /** Consecutive floats across [-40, 40] (every 97th), then the special values: 3.3 M inputs. */
    private static float[] inputs() {
        int from = Float.floatToRawIntBits(40f), count = 0;
        float[] x = new float[3_300_000];
        for (int bits = from; count < x.length / 2 - SPECIAL.length && Float.intBitsToFloat(bits) > 1e-30f; bits -= 97) {
            x[count++] = Float.intBitsToFloat(bits);
            x[count++] = -Float.intBitsToFloat(bits);
        }
        System.arraycopy(SPECIAL, 0, x, count, SPECIAL.length);
        return Arrays.copyOf(x, count + SPECIAL.length);
    }

    @Test
    void vectorPathIsTheScalarFormulaBitForBit() {
        assertTrue(VectorApi.enabled(), "the tests run with --add-modules jdk.incubator.vector (pom.xml), so the vector path is the one tested");
        float[] x = inputs();
        float[] vector = new float[x.length], plain = new float[x.length];
        // odd bounds: the tails after the last whole vector run the plain loop
        ExactSigmoid.sigmoid(x, vector, 3, x.length - 2);
        ExactSigmoid.sigmoidPlain(x, plain, 3, x.length - 2);
        assertSameBits(x, plain, vector, "σ");
        ExactSigmoid.silu(x, vector, 1, x.length);
        ExactSigmoid.siluPlain(x, plain, 1, x.length);
        assertSameBits(x, plain, vector, "SiLU");
    }

    @Test
    void theInputsIncludeValuesTheVectorPathMustRedo() {
        // σ(x) within 2⁻⁴⁰ of a float rounding boundary: the vector path cannot keep its own float there.
        float[] x = inputs();
        int nearBoundary = 0;
        for (float v : x) {
            double s = ExactSigmoid.sigmoid(v);
            if ((float) (s * (1 - 0x1p-40)) != (float) (s * (1 + 0x1p-40))) nearBoundary++;
        }
        assertTrue(nearBoundary >= 20, "only " + nearBoundary + " inputs near a rounding boundary");
    }

    @Test
    void matchesTheDefinition() {
        float[] x = {0f, 2f, -2f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0f, 0f}, y = new float[8], z = new float[8];
        ExactSigmoid.sigmoid(x, y, 0, 8);
        ExactSigmoid.silu(x, z, 0, 8);
        assertEquals(0.5f, y[0]);
        assertEquals((float) (1 / (1 + Math.exp(-2.0))), y[1]);
        assertEquals((float) (1 / (1 + Math.exp(2.0))), y[2]);
        assertTrue(Float.isNaN(y[3]) && Float.isNaN(z[3]));
        assertEquals(0f, y[4]);
        assertEquals(1f, y[5]);
        assertEquals((float) (2 / (1 + Math.exp(-2.0))), z[1]);
        assertEquals(Float.POSITIVE_INFINITY, z[5]);
        assertTrue(Float.isNaN(z[4]), "−∞·σ(−∞) = −∞·0");
    }

    private static void assertSameBits(float[] x, float[] expected, float[] actual, String what) {
        for (int i = 0; i < x.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + "(" + x[i] + "): scalar " + expected[i] + ", vector " + actual[i] + " at index " + i);
            }
        }
    }
}
