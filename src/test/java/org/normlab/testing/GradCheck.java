package org.normlab.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * Numerical gradient check for any {@link Layer}: the analytic gradients from {@code backward} must match central
 * differences of the scalar loss L = Σ w ⊙ forward(x) (w fixed and random, so every output matters).
 *
 * <p>Differences are taken in float32, so the step is large (1e-2 by default) and the tolerance is relative to the
 * gradient's overall scale. Layers whose forward updates state in TRAIN mode (running statistics) are fine: the
 * state does not feed back into the TRAIN output.
 */
public final class GradCheck {
    private GradCheck() {}

    public static void check(Layer layer, Tensor x, Mode mode, long seed) { check(layer, x, mode, seed, 1e-2, 2e-2); }

    public static void check(Layer layer, Tensor x, Mode mode, long seed, double h, double tolerance) {
        Rng rng = new Rng(seed);
        Tensor y0 = layer.forward(x, mode);
        Tensor w = Tensor.randn(rng, 1f, y0.shape());
        for (Param p : layer.params()) p.zeroGrad();
        Tensor dx = layer.backward(w);
        assertTrue(dx.sameShape(x), layer.describe() + ": dx shape " + dx.shapeString() + " != x shape " + x.shapeString());
        Supplier<Double> loss = () -> dot(layer.forward(x, mode), w);
        compare(layer.describe() + " input", x, dx, loss, h, tolerance);
        for (Param p : layer.params()) {
            Tensor grad = p.grad().copy();
            compare(layer.describe() + " " + p.name(), p.value(), grad, loss, h, tolerance);
        }
    }

    private static void compare(String what, Tensor variable, Tensor analytic, Supplier<Double> loss, double h, double tolerance) {
        float[] v = variable.data(), a = analytic.data();
        double scale = 1e-3;
        for (float g : a) scale = Math.max(scale, Math.abs(g));
        for (int i = 0; i < v.length; i++) {
            float original = v[i];
            v[i] = (float) (original + h);
            double plus = loss.get();
            v[i] = (float) (original - h);
            double minus = loss.get();
            v[i] = original;
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, a[i], tolerance * scale, what + " gradient at " + i);
        }
    }

    public static double dot(Tensor a, Tensor b) {
        double s = 0;
        float[] x = a.data(), y = b.data();
        for (int i = 0; i < x.length; i++) s += (double) x[i] * y[i];
        return s;
    }
}
