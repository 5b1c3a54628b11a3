package org.normlab.optim;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.normlab.nn.Param;

/**
 * Adam with bias correction, PyTorch's formulation ({@code torch.optim.Adam}, amsgrad off). Weight decay is the L2
 * penalty added to the gradient, as in {@code torch.optim.Adam} (not AdamW's decoupled decay).
 *
 * <pre>
 * t ← t + 1
 * g ← ∇θ + λθ                         (λ = weightDecay; skipped for γ/β when decayNormAffine is false)
 * m ← β₁·m + (1 − β₁)·g               (m, v start at 0)
 * v ← β₂·v + (1 − β₂)·g²
 * θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * </pre>
 * Defaults as PyTorch: β₁ = 0.9, β₂ = 0.999, ε = 1e-8. Moments are stored in float32, the update is computed in double.
 */
public final class Adam implements Optimizer {
    public static final double DEFAULT_BETA1 = 0.9, DEFAULT_BETA2 = 0.999, DEFAULT_EPS = 1e-8;

    private final List<Param> params;
    private double lr;
    private final double beta1, beta2, eps, weightDecay;
    private final boolean decayNormAffine;
    private final Map<Param, float[]> firstMoment = new IdentityHashMap<>(), secondMoment = new IdentityHashMap<>();
    private long steps;

    /**
     * @param beta1           decay of the gradient average m, in [0, 1)
     * @param beta2           decay of the squared-gradient average v, in [0, 1)
     * @param eps             ε ≥ 0 added to the denominator
     * @param weightDecay     λ ≥ 0 (L2 penalty added to the gradient)
     * @param decayNormAffine whether λ also applies to normalization layers' γ/β ({@link Param#isNormAffine()})
     */
    public Adam(List<Param> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean decayNormAffine) {
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("Adam: learning rate must be positive and finite, got " + lr);
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("Adam: beta1 must be in [0,1), got " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("Adam: beta2 must be in [0,1), got " + beta2);
        if (!(eps >= 0) || !Double.isFinite(eps)) throw new IllegalArgumentException("Adam: eps must be finite and ≥ 0, got " + eps);
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) throw new IllegalArgumentException("Adam: weight decay must be finite and ≥ 0, got " + weightDecay);
        this.params = List.copyOf(params);
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decayNormAffine = decayNormAffine;
    }

    /** PyTorch's defaults: β = (0.9, 0.999), ε = 1e-8, no weight decay. */
    public static Adam withDefaults(List<Param> params, double lr) {
        return new Adam(params, lr, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, 0, false);
    }

    @Override
    public double lr() { return lr; }

    @Override
    public void setLr(double lr) {
        if (!(lr >= 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("Adam: learning rate must be finite and ≥ 0, got " + lr);
        this.lr = lr;
    }

    public double beta1() { return beta1; }
    public double beta2() { return beta2; }
    public double eps() { return eps; }
    public double weightDecay() { return weightDecay; }

    /** Number of steps taken so far (t in the equations). */
    public long steps() { return steps; }

    @Override
    public void zeroGrad() { for (Param p : params) p.zeroGrad(); }

    @Override
    public void step() {
        steps++;
        double stepSize = lr / (1 - Math.pow(beta1, steps));
        double sqrtBiasCorrection2 = Math.sqrt(1 - Math.pow(beta2, steps));
        for (Param p : params) {
            float[] w = p.value().data(), g = p.grad().data();
            float[] m = firstMoment.computeIfAbsent(p, k -> new float[w.length]);
            float[] v = secondMoment.computeIfAbsent(p, k -> new float[w.length]);
            double wd = (p.isNormAffine() && !decayNormAffine) ? 0 : weightDecay;
            for (int i = 0; i < w.length; i++) {
                double gi = g[i] + wd * w[i];
                double mi = beta1 * m[i] + (1 - beta1) * gi;
                double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
                m[i] = (float) mi;
                v[i] = (float) vi;
                w[i] = (float) (w[i] - stepSize * mi / (Math.sqrt(vi) / sqrtBiasCorrection2 + eps));
            }
        }
    }
}
