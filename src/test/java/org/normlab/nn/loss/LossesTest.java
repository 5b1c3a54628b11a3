package org.normlab.nn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/** {@link BceWithLogits} and {@link Mse}: values by hand, gradients against central differences, shape errors. */
class LossesTest {

    /**
     * Asserts that {@code analytic} is the gradient of {@code loss} at {@code x} by central differences. The
     * denominator is the actual float difference between the two probes, so rounding the probes to float32 costs
     * nothing and the tolerance can be tight.
     */
    private static void assertNumericGradient(Tensor x, Tensor analytic, ToDoubleFunction<Tensor> loss) {
        float[] v = x.data();
        for (int i = 0; i < v.length; i++) {
            float original = v[i];
            float up = original + 1e-3f, down = original - 1e-3f;
            v[i] = up;
            double plus = loss.applyAsDouble(x);
            v[i] = down;
            double minus = loss.applyAsDouble(x);
            v[i] = original;
            assertEquals((plus - minus) / ((double) up - down), analytic.data()[i], 1e-5, "gradient at " + i);
        }
    }

    @Test
    void bceWithLogitsHandComputedValues() {
        Tensor z = Tensor.of(new float[] {0, 2, -3}, 3);
        Tensor t = Tensor.of(new float[] {1, 0, 0.25f}, 3);
        // ℓ = max(z,0) − z·t + log(1 + e^−|z|):
        //   z = 0,  t = 1:     0 − 0 + log 2                       = 0.6931472
        //   z = 2,  t = 0:     2 − 0 + log(1 + e^−2) = 2 + 0.1269280 = 2.1269280
        //   z = −3, t = 0.25:  0 + 0.75 + log(1 + e^−3) = 0.75 + 0.0485874 = 0.7985874
        //   mean = 3.6186626 / 3 = 1.2062209
        // (the naive −[t·log σ(z) + (1 − t)·log(1 − σ(z))] gives the same three numbers)
        BceWithLogits.Result r = BceWithLogits.evaluate(z, t);
        assertEquals(1.2062209, r.loss(), 1e-6);
        // dL/dz = (σ(z) − t)/3:  (0.5 − 1)/3 = −0.1666667,  (0.8807971 − 0)/3 = 0.2935990,  (0.0474259 − 0.25)/3 = −0.0675247
        assertArrayEquals(new float[] {-0.1666667f, 0.2935990f, -0.0675247f}, r.gradLogits().data(), 1e-6f);
    }

    @Test
    void bceWithLogitsIsFiniteForLargeLogits() {
        // z = 1000, t = 1: 1000 − 1000 + log(1 + e^−1000) = 0;   z = −1000, t = 1: 0 + 1000 + log(1 + e^−1000) = 1000
        // (log σ(−1000) would underflow to log 0 = −∞ in the naive form)
        BceWithLogits.Result r = BceWithLogits.evaluate(Tensor.of(new float[] {1000, -1000}, 2), Tensor.of(new float[] {1, 1}, 2));
        assertEquals((0 + 1000) / 2.0, r.loss(), 1e-9);
        // gradients (σ − t)/2: (1 − 1)/2 = 0 and (0 − 1)/2 = −0.5
        assertArrayEquals(new float[] {0, -0.5f}, r.gradLogits().data(), 0f);
    }

    @Test
    void bceWithLogitsGradientMatchesCentralDifferences() {
        Rng rng = new Rng(51);
        Tensor z = Tensor.randn(rng, 2f, 3, 4);
        Tensor t = Tensor.zeros(3, 4);
        for (int i = 0; i < t.size(); i++) t.data()[i] = (float) rng.nextDouble();  // soft targets in [0, 1)
        t.data()[0] = 0;
        t.data()[1] = 1;
        assertNumericGradient(z, BceWithLogits.evaluate(z, t).gradLogits(), x -> BceWithLogits.evaluate(x, t).loss());
    }

    @Test
    void mseHandComputedValues() {
        Tensor p = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor t = Tensor.of(new float[] {0, 2, 5, 3.5f}, 2, 2);
        // differences 1, 0, −2, 0.5;  squares 1, 0, 4, 0.25;  mean 5.25/4 = 1.3125
        Mse.Result r = Mse.evaluate(p, t);
        assertEquals(1.3125, r.loss(), 1e-12);
        // dL/dp = 2·d/4 = d/2
        assertArrayEquals(new float[] {0.5f, 0, -1, 0.25f}, r.gradPredictions().data(), 0f);
    }

    @Test
    void mseGradientMatchesCentralDifferences() {
        Tensor p = Tensor.randn(new Rng(52), 1f, 2, 3, 2);
        Tensor t = Tensor.randn(new Rng(53), 1f, 2, 3, 2);
        assertNumericGradient(p, Mse.evaluate(p, t).gradPredictions(), x -> Mse.evaluate(x, t).loss());
    }

    @Test
    void errorsNameTheLossAndBothShapes() {
        assertEquals("BceWithLogits: logits [2, 3] and targets [3, 2] must have the same shape",
                assertThrows(IllegalArgumentException.class, () -> BceWithLogits.evaluate(Tensor.zeros(2, 3), Tensor.zeros(3, 2))).getMessage());
        assertEquals("BceWithLogits: target 1.5 at index 2 is outside [0,1]",
                assertThrows(IllegalArgumentException.class,
                        () -> BceWithLogits.evaluate(Tensor.zeros(4), Tensor.of(new float[] {0, 1, 1.5f, 0}, 4))).getMessage());
        assertEquals("BceWithLogits: target NaN at index 0 is outside [0,1]",
                assertThrows(IllegalArgumentException.class,
                        () -> BceWithLogits.evaluate(Tensor.zeros(1), Tensor.of(new float[] {Float.NaN}, 1))).getMessage());
        assertEquals("Mse: predictions [2, 2] and targets [4] must have the same shape",
                assertThrows(IllegalArgumentException.class, () -> Mse.evaluate(Tensor.zeros(2, 2), Tensor.zeros(4))).getMessage());
        assertEquals("Mse: no values in predictions [0, 3]",
                assertThrows(IllegalArgumentException.class, () -> Mse.evaluate(Tensor.zeros(0, 3), Tensor.zeros(0, 3))).getMessage());
    }
}
