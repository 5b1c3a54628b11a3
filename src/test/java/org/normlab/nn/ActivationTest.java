package org.normlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.testing.GradCheck;

/** LeakyReLU and SiLU (the older kinds are checked in {@link LayerGradientTest}), and every kind's reused buffers. */
class ActivationTest {

    @Test
    void leakyReluAndSiluGradients() {
        Tensor x = Tensor.randn(new Rng(11), 1.5f, 4, 6);
        // GradCheck steps by h = 0.01: keep LeakyReLU inputs farther than that from the kink at 0.
        for (int i = 0; i < x.size(); i++) if (Math.abs(x.data()[i]) < 0.05f) x.data()[i] = -0.3f;
        for (Activation a : new Activation[] {Activation.leakyRelu(), Activation.leakyRelu(0.2), Activation.silu()}) {
            GradCheck.check(a, x, Mode.TRAIN, 12);
        }
    }

    @Test
    void leakyReluValuesAndSlopes() {
        Tensor x = Tensor.of(new float[] {-2, -0.5f, 0, 3}, 1, 4);
        Activation defaultSlope = Activation.leakyRelu();
        assertEquals(0.01, defaultSlope.negativeSlope());
        assertEquals(0.01, new Activation(Activation.Kind.LEAKY_RELU).negativeSlope(), "the Kind constructor (used by Models) gets PyTorch's default");
        // y = x for x > 0, 0.01·x otherwise: −2 → −0.02, −0.5 → −0.005, 0 → 0, 3 → 3
        assertArrayEquals(new float[] {-0.02f, -0.005f, 0, 3}, defaultSlope.forward(x, Mode.TRAIN).data(), 1e-7f);
        // dy/dx = 1 for x > 0, else the slope (PyTorch uses the slope at exactly 0 too)
        assertArrayEquals(new float[] {0.01f, 0.01f, 0.01f, 1}, defaultSlope.backward(Tensor.full(1f, 1, 4)).data(), 1e-7f);
        Activation steep = Activation.leakyRelu(0.2);
        // −2·0.2 = −0.4, −0.5·0.2 = −0.1
        assertArrayEquals(new float[] {-0.4f, -0.1f, 0, 3}, steep.forward(x, Mode.TRAIN).data(), 1e-7f);
        assertArrayEquals(new float[] {0.6f, 0.6f, 0.6f, 3}, steep.backward(Tensor.full(3f, 1, 4)).data(), 1e-6f);
        assertEquals("LeakyReLU(0.2)", steep.describe());
    }

    @Test
    void siluValuesAndDerivatives() {
        Activation silu = Activation.silu();
        Tensor x = Tensor.of(new float[] {-1, 0, 1, 1000, -1000}, 5);
        // σ(1) = 1/(1+e^−1) = 0.7310586, σ(−1) = 0.2689414.
        // y = x·σ(x): −1 → −0.2689414, 0 → 0, 1 → 0.7310586, 1000 → 1000, −1000 → −0 (e^1000 overflows to ∞, σ → 0)
        assertArrayEquals(new float[] {-0.2689414f, 0, 0.7310586f, 1000, 0}, silu.forward(x, Mode.TRAIN).data(), 1e-6f);
        // dy/dx = σ(x)(1 + x(1 − σ(x))):
        //   x = −1: 0.2689414·(1 − 0.7310586) = 0.0723295;  x = 0: 0.5·1 = 0.5;  x = 1: 0.7310586·1.2689414 = 0.9276705
        //   x = 1000: 1·(1 + 1000·0) = 1;  x = −1000: 0
        assertArrayEquals(new float[] {0.0723295f, 0.5f, 0.9276705f, 1, 0}, silu.backward(Tensor.full(1f, 5)).data(), 1e-6f);
        assertEquals("SiLU", silu.describe());
    }

    @Test
    void errorsNameTheActivation() {
        assertEquals("LeakyReLU: negative slope must be finite, got NaN",
                assertThrows(IllegalArgumentException.class, () -> Activation.leakyRelu(Double.NaN)).getMessage());
        assertEquals("LeakyReLU(0.01): backward called before forward",
                assertThrows(IllegalStateException.class, () -> Activation.leakyRelu().backward(Tensor.zeros(2, 3))).getMessage());
        Activation silu = Activation.silu();
        silu.forward(Tensor.zeros(2, 3), Mode.TRAIN);
        assertEquals("SiLU: expected gradient [2, 3], got [3, 2]",
                assertThrows(IllegalArgumentException.class, () -> silu.backward(Tensor.zeros(3, 2))).getMessage());
    }

    /** Every kind keeps its buffers across calls of one shape, and a second step gives exactly a fresh layer's values. */
    @Test
    void reusedBuffersHoldOnlyTheLastCall() {
        for (Activation.Kind kind : Activation.Kind.values()) {
            Activation act = new Activation(kind), fresh = new Activation(kind);
            Tensor y1 = act.forward(Tensor.randn(new Rng(50), 2f, 3, 4, 5), Mode.TRAIN);
            Tensor dx1 = act.backward(Tensor.randn(new Rng(51), 1f, 3, 4, 5));
            Tensor x = Tensor.randn(new Rng(52), 2f, 3, 4, 5), dy = Tensor.randn(new Rng(53), 1f, 3, 4, 5);
            Tensor y2 = act.forward(x, Mode.TRAIN), dx2 = act.backward(dy);
            assertSame(y1, y2, kind + ": output buffer reused");
            assertSame(dx1, dx2, kind + ": gradient buffer reused");
            assertArrayEquals(fresh.forward(x, Mode.TRAIN).data(), y2.data(), 0f, kind.toString());
            assertArrayEquals(fresh.backward(dy).data(), dx2.data(), 0f, kind.toString());
        }
    }
}
