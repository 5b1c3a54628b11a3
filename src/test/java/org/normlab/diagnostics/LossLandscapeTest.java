package org.normlab.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.data.Dataset;
import org.normlab.nn.Activation;
import org.normlab.nn.Init;
import org.normlab.nn.Linear;
import org.normlab.nn.Param;
import org.normlab.nn.Sequential;
import org.normlab.norm.BatchNorm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.train.RunLog;

/** Loss range, gradient change and β-smoothness along the gradient, on functions whose answers are known. */
class LossLandscapeTest {
    /** L(θ) = ½ Σ aᵢθᵢ², ∇L = a ⊙ θ. */
    private static LossLandscape.Objective quadratic(double... a) {
        return (theta, g) -> {
            double l = 0;
            for (int i = 0; i < a.length; i++) { l += 0.5 * a[i] * theta[i] * theta[i]; g[i] = a[i] * theta[i]; }
            return l;
        };
    }

    @Test
    void quadraticBowlHasTheClosedFormAnswers() {
        // a = (1, 4), θ = (1, 1): g = (1, 4); θ − ηg = (1 − η, 1 − 4η).
        // η = 0.1: L = ½(0.81 + 4·0.36) = 1.125;  η = 0.2: L = ½(0.64 + 4·0.04) = 0.4  → range 0.725.
        // g − g(θ − ηg) = η·a²⊙θ = η·(1, 16) → max change 0.2·√257, β = √257 / √17 for every η.
        var m = LossLandscape.measure(quadratic(1, 4), new double[] {1, 1}, new double[] {0.1, 0.2});
        assertEquals(2.5, m.loss(), 1e-12);
        assertEquals(Math.sqrt(17), m.gradNorm(), 1e-12);
        assertEquals(0.725, m.lossRange(), 1e-12);
        assertEquals(0.2 * Math.sqrt(257), m.gradChange(), 1e-12);
        assertEquals(Math.sqrt(257) / Math.sqrt(17), m.betaSmoothness(), 1e-12);
    }

    @Test
    void aLinearFunctionIsPerfectlySmoothAndAnIsotropicBowlHasItsCurvatureAsBeta() {
        // L(θ) = c·θ: the gradient never changes, the loss falls by η‖c‖² per unit step.
        LossLandscape.Objective linear = (theta, g) -> { g[0] = 3; g[1] = -4; return 3 * theta[0] - 4 * theta[1]; };
        var m = LossLandscape.measure(linear, new double[] {0.5, 2}, new double[] {0.05, 0.4});
        assertEquals(0, m.gradChange(), 0);
        assertEquals(0, m.betaSmoothness(), 0);
        assertEquals((0.4 - 0.05) * 25, m.lossRange(), 1e-12);
        assertEquals(7, LossLandscape.measure(quadratic(7, 7, 7), new double[] {1, -2, 3}, new double[] {0.01, 0.1}).betaSmoothness(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> LossLandscape.measure(linear, new double[2], new double[] {0.1, -1}));
    }

    @Test
    void hookMeasuresTheModelAndLeavesParametersGradientsAndRunningStatisticsAsFound() {
        Rng rng = new Rng(3);
        Sequential model = new Sequential(new Linear(6, 8, false), new BatchNorm(8), Activation.sigmoid(), new Linear(8, 3, true));
        Init.he().apply(model, rng);
        int[] labels = new int[16];
        for (int i = 0; i < labels.length; i++) labels[i] = i % 3;
        Dataset batch = new Dataset("toy", Tensor.randn(rng, 1f, 16, 6), labels, 3);
        for (Param p : model.params()) for (int i = 0; i < p.grad().size(); i++) p.grad().data()[i] = 0.25f;
        List<float[]> before = model.params().stream().map(p -> p.value().data().clone()).toList();
        BatchNorm bn = (BatchNorm) model.layers().get(1);
        float[] runningMean = bn.runningMean().data().clone();

        RunLog log = new RunLog();
        LossLandscape.hook(batch, 0.5).atLog(10, 1, model, log);

        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), model.params().get(i).value().data(), 0f, "parameters put back");
            for (float g : model.params().get(i).grad().data()) assertEquals(0.25f, g, 0f, "gradients put back");
        }
        assertArrayEquals(runningMean, bn.runningMean().data(), 0f, "running statistics put back");
        double[] steps = Arrays.stream(LossLandscape.STEP_MULTIPLIERS).map(k -> k * 0.5).toArray();
        var direct = LossLandscape.measure(LossLandscape.classifierLoss(model, batch), LossLandscape.flatten(model.params()), steps);
        assertEquals(direct.lossRange(), log.last(LossLandscape.LOSS_RANGE), 1e-12);
        assertEquals(direct.gradChange(), log.last(LossLandscape.GRAD_CHANGE), 1e-12);
        assertEquals(direct.betaSmoothness(), log.last(LossLandscape.BETA_SMOOTHNESS), 1e-12);
        assertTrue(direct.lossRange() > 0 && direct.gradChange() > 0, "a real network's landscape is neither flat nor linear");
        // The gradient the objective reports is the loss's derivative: compare with a central difference.
        double[] theta = LossLandscape.flatten(model.params()), g = new double[theta.length], scratch = new double[theta.length];
        var f = LossLandscape.classifierLoss(model, batch);
        f.evaluate(theta.clone(), g);
        for (int i : new int[] {0, 7, theta.length - 1}) {
            double[] plus = theta.clone(), minus = theta.clone();
            plus[i] += 1e-2;
            minus[i] -= 1e-2;
            double numeric = (f.evaluate(plus, scratch) - f.evaluate(minus, scratch)) / 2e-2;
            assertEquals(numeric, g[i], 2e-3, "dL/dθ[" + i + "]");
        }
    }
}
