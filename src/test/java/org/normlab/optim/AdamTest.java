package org.normlab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.nn.Param;
import org.normlab.tensor.Tensor;

/** Adam updates against hand-computed numbers (torch.optim.Adam's formulas), convergence, weight decay. */
class AdamTest {

    private static Param scalar(float value) { return Param.of("weight", Tensor.of(new float[] {value}, 1)); }

    private static float value(Param p) { return p.value().data()[0]; }

    @Test
    void threeStepsByHand() {
        Param w = scalar(1);
        Adam adam = Adam.withDefaults(List.of(w), 0.1);  // β₁ = 0.9, β₂ = 0.999, ε = 1e-8
        // step 1, g = 1:   m = 0.1·1 = 0.1,  v = 0.001·1 = 0.001;  m̂ = 0.1/(1 − 0.9) = 1,  v̂ = 0.001/(1 − 0.999) = 1
        //                  w = 1 − 0.1·1/(1 + 1e-8) = 0.9
        w.grad().data()[0] = 1;
        adam.step();
        assertEquals(0.9f, value(w), 1e-6f);
        // step 2, g = −2:  m = 0.09 − 0.2 = −0.11,  v = 0.000999 + 0.004 = 0.004999
        //                  m̂ = −0.11/(1 − 0.81) = −0.5789474,  v̂ = 0.004999/(1 − 0.998001) = 2.5007504,  √v̂ = 1.5813761
        //                  w = 0.9 + 0.1·0.5789474/1.5813761 = 0.9 + 0.0366104 = 0.9366104
        w.grad().data()[0] = -2;
        adam.step();
        assertEquals(0.9366104f, value(w), 1e-6f);
        // step 3, g = 0.5: m = −0.099 + 0.05 = −0.049,  v = 0.004994001 + 0.00025 = 0.005244001
        //                  m̂ = −0.049/(1 − 0.729) = −0.1808118,  v̂ = 0.005244001/(1 − 0.997002999) = 1.7497495,  √v̂ = 1.3227810
        //                  w = 0.9366104 + 0.1·0.1808118/1.3227810 = 0.9366104 + 0.0136690 = 0.9502794
        w.grad().data()[0] = 0.5f;
        adam.step();
        assertEquals(0.9502794f, value(w), 1e-6f);
        assertEquals(3, adam.steps());
    }

    @Test
    void weightDecayIsAddedToTheGradient() {
        Param w = scalar(1);
        Adam adam = new Adam(List.of(w), 0.1, 0.9, 0.999, 1e-8, 0.5, false);
        // gradient 0.5 both steps, λ = 0.5
        // step 1: g = 0.5 + 0.5·1 = 1 → as in threeStepsByHand: w = 0.9
        w.grad().data()[0] = 0.5f;
        adam.step();
        assertEquals(0.9f, value(w), 1e-6f);
        // step 2: g = 0.5 + 0.5·0.9 = 0.95;  m = 0.09 + 0.095 = 0.185,  v = 0.000999 + 0.001·0.9025 = 0.0019015
        //         m̂ = 0.185/0.19 = 0.9736842,  v̂ = 0.0019015/0.001999 = 0.9512256,  √v̂ = 0.9753080
        //         w = 0.9 − 0.1·0.9736842/0.9753080 = 0.9 − 0.0998335 = 0.8001665
        adam.step();
        assertEquals(0.8001665f, value(w), 1e-6f);
    }

    @Test
    void weightDecayExemptsNormAffineParametersUnlessAskedTo() {
        for (boolean decayNormAffine : new boolean[] {false, true}) {
            Param weight = scalar(2), gamma = Param.normAffine("gamma", Tensor.of(new float[] {2}, 1));
            new Adam(List.of(weight, gamma), 0.01, 0.9, 0.999, 1e-8, 0.1, decayNormAffine).step();
            // zero gradient, λ = 0.1: a decayed parameter sees g = 0.1·2 = 0.2, so m̂ = 0.2, √v̂ = 0.2,
            // and moves by 0.01·0.2/(0.2 + 1e-8) ≈ 0.01 to 1.99; an exempt one sees g = 0 and stays at 2 exactly
            assertEquals(1.99f, value(weight), 1e-6f);
            assertEquals(decayNormAffine ? 1.99f : 2f, value(gamma), decayNormAffine ? 1e-6f : 0f, "gamma, decayNormAffine = " + decayNormAffine);
        }
    }

    @Test
    void convergesOnAnIllConditionedQuadratic() {
        // f(w) = ½ Σ a_i (w_i − c_i)², ∇f = a ⊙ (w − c); curvatures 1 to 100 (plain SGD at lr 0.05 would diverge: 0.05·100 > 2)
        float[] a = {1, 10, 100}, c = {3, -1, 0.5f};
        Param w = Param.of("w", Tensor.zeros(3));
        Optimizer adam = Adam.withDefaults(List.of(w), 0.05);
        LrSchedule schedule = LrSchedule.cosine(1000, 0);
        double start = quadratic(w, a, c);
        for (int step = 0; step < 1000; step++) {
            schedule.apply(adam, step, 0.05);
            adam.zeroGrad();
            for (int i = 0; i < 3; i++) w.grad().data()[i] = a[i] * (w.value().data()[i] - c[i]);
            adam.step();
        }
        for (int i = 0; i < 3; i++) assertEquals(c[i], w.value().data()[i], 1e-3f, "coordinate " + i);
        assertTrue(quadratic(w, a, c) < 1e-6 * start, "f fell from " + start + " to " + quadratic(w, a, c));
    }

    private static double quadratic(Param w, float[] a, float[] c) {
        double f = 0;
        for (int i = 0; i < a.length; i++) {
            double d = w.value().data()[i] - c[i];
            f += 0.5 * a[i] * d * d;
        }
        return f;
    }

    @Test
    void clearErrors() {
        List<Param> ps = List.of(scalar(1));
        assertEquals("Adam: learning rate must be positive and finite, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> Adam.withDefaults(ps, -1)).getMessage());
        assertEquals("Adam: beta1 must be in [0,1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 0.1, 1, 0.999, 1e-8, 0, false)).getMessage());
        assertEquals("Adam: beta2 must be in [0,1), got -0.5",
                assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 0.1, 0.9, -0.5, 1e-8, 0, false)).getMessage());
        assertEquals("Adam: eps must be finite and ≥ 0, got -1.0E-8",
                assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 0.1, 0.9, 0.999, -1e-8, 0, false)).getMessage());
        assertEquals("Adam: weight decay must be finite and ≥ 0, got Infinity",
                assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 0.1, 0.9, 0.999, 1e-8, Double.POSITIVE_INFINITY, false)).getMessage());
        assertEquals("Adam: learning rate must be finite and ≥ 0, got -0.1",
                assertThrows(IllegalArgumentException.class, () -> Adam.withDefaults(ps, 0.1).setLr(-0.1)).getMessage());
    }
}
