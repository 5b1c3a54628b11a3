package org.normlab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.nn.Param;
import org.normlab.tensor.Tensor;

/** SGD updates against hand-computed numbers (PyTorch's torch.optim.SGD formulas, dampening 0). */
class SgdTest {

    private static Param param(float... values) { return Param.of("weight", Tensor.of(values.clone(), values.length)); }

    private static void setGrad(Param p, float... grad) { System.arraycopy(grad, 0, p.grad().data(), 0, grad.length); }

    @Test
    void plainSgdWithWeightDecay() {
        Param w = param(1, -2);
        Optimizer sgd = new Sgd(List.of(w), 0.1, 0, 0.5, false);
        // gradient [0.5, 1] both steps, λ = 0.5, lr = 0.1
        // step 1: g = [0.5 + 0.5·1, 1 + 0.5·(−2)] = [1, 0];     w = [1 − 0.1·1, −2 − 0] = [0.9, −2]
        setGrad(w, 0.5f, 1);
        sgd.step();
        assertArrayEquals(new float[] {0.9f, -2}, w.value().data(), 1e-6f);
        // step 2: g = [0.5 + 0.5·0.9, 1 − 1] = [0.95, 0];      w = [0.9 − 0.095, −2] = [0.805, −2]
        sgd.step();
        assertArrayEquals(new float[] {0.805f, -2}, w.value().data(), 1e-6f);
        sgd.zeroGrad();
        assertArrayEquals(new float[] {0, 0}, w.grad().data());
    }

    @Test
    void classicalMomentum() {
        Param w = param(1);
        Sgd sgd = new Sgd(List.of(w), 0.1, 0.9, 0, false);
        // μ = 0.9, lr = 0.1, gradients 1, 2, −1
        // step 1: v = g = 1 (first step);                 w = 1 − 0.1·1 = 0.9
        setGrad(w, 1);
        sgd.step();
        assertEquals(0.9f, w.value().data()[0], 1e-6f);
        // step 2: v = 0.9·1 + 2 = 2.9;                     w = 0.9 − 0.29 = 0.61
        setGrad(w, 2);
        sgd.step();
        assertEquals(0.61f, w.value().data()[0], 1e-6f);
        // step 3: v = 0.9·2.9 − 1 = 1.61;                  w = 0.61 − 0.161 = 0.449
        setGrad(w, -1);
        sgd.step();
        assertEquals(0.449f, w.value().data()[0], 1e-6f);
    }

    @Test
    void nesterovMomentum() {
        Param w = param(1);
        Sgd sgd = new Sgd(List.of(w), 0.1, 0.9, 0, false, true);
        // μ = 0.9, lr = 0.1, gradients 1, 2, −1;  v ← μv + g, then the step uses g + μv
        // step 1: v = 1;           g + μv = 1 + 0.9·1 = 1.9;        w = 1 − 0.19 = 0.81
        setGrad(w, 1);
        sgd.step();
        assertEquals(0.81f, w.value().data()[0], 1e-6f);
        // step 2: v = 0.9 + 2 = 2.9;   g + μv = 2 + 2.61 = 4.61;     w = 0.81 − 0.461 = 0.349
        setGrad(w, 2);
        sgd.step();
        assertEquals(0.349f, w.value().data()[0], 1e-6f);
        // step 3: v = 2.61 − 1 = 1.61; g + μv = −1 + 1.449 = 0.449;  w = 0.349 − 0.0449 = 0.3041
        setGrad(w, -1);
        sgd.step();
        assertEquals(0.3041f, w.value().data()[0], 1e-6f);
        assertEquals(true, sgd.isNesterov());
        assertEquals(false, new Sgd(List.of(w), 0.1, 0.9, 0, false).isNesterov(), "the five-argument constructor stays classical");
    }

    @Test
    void weightDecayExemptsNormAffineParametersUnlessAskedTo() {
        for (boolean decayNormAffine : new boolean[] {false, true}) {
            Param weight = param(2), gamma = Param.normAffine("gamma", Tensor.of(new float[] {2}, 1));
            new Sgd(List.of(weight, gamma), 1.0, 0, 0.1, decayNormAffine).step();
            // zero gradient, λ = 0.1, lr = 1: a decayed parameter becomes 2 − 1·(0 + 0.1·2) = 1.8
            assertEquals(1.8f, weight.value().data()[0], 1e-6f);
            assertEquals(decayNormAffine ? 1.8f : 2f, gamma.value().data()[0], 1e-6f, "gamma, decayNormAffine = " + decayNormAffine);
        }
    }

    @Test
    void setLrChangesTheNextStep() {
        Param w = param(1);
        Optimizer sgd = Sgd.plain(List.of(w), 0.1);
        sgd.setLr(0.5);
        assertEquals(0.5, sgd.lr());
        setGrad(w, 1);
        sgd.step();  // 1 − 0.5·1
        assertEquals(0.5f, w.value().data()[0], 1e-7f);
        sgd.setLr(0);  // a schedule may reach 0: the parameters then stay put
        sgd.step();
        assertEquals(0.5f, w.value().data()[0], 0f);
    }

    @Test
    void clearErrors() {
        List<Param> ps = List.of(param(1));
        assertEquals("Sgd: learning rate must be positive and finite, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> Sgd.plain(ps, 0)).getMessage());
        assertEquals("Sgd: momentum must be in [0,1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1, 1, 0, false)).getMessage());
        assertEquals("Sgd: weight decay must be finite and ≥ 0, got -0.1",
                assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1, 0, -0.1, false)).getMessage());
        assertEquals("Sgd: Nesterov momentum needs momentum > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1, 0, 0, false, true)).getMessage());
        assertEquals("Sgd: learning rate must be finite and ≥ 0, got NaN",
                assertThrows(IllegalArgumentException.class, () -> Sgd.plain(ps, 0.1).setLr(Double.NaN)).getMessage());
    }
}
