package org.normlab.optim;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.normlab.nn.Param;

/**
 * Stochastic gradient descent with momentum and weight decay, PyTorch's formulation.
 *
 * <pre>
 * g ← ∇θ + λθ                      (λ = weightDecay; skipped for γ/β when decayNormAffine is false)
 * v ← μ·v + g                      (μ = momentum; v = g on the first step)
 * θ ← θ − lr·v
 * </pre>
 */
public final class Sgd {
    private final List<Param> params;
    private double lr;
    private final double momentum, weightDecay;
    private final boolean decayNormAffine;
    private final Map<Param, float[]> velocity = new IdentityHashMap<>();

    public Sgd(List<Param> params, double lr, double momentum, double weightDecay, boolean decayNormAffine) {
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("Sgd: learning rate must be positive and finite, got " + lr);
        if (momentum < 0 || momentum >= 1) throw new IllegalArgumentException("Sgd: momentum must be in [0,1), got " + momentum);
        if (weightDecay < 0) throw new IllegalArgumentException("Sgd: weight decay must be ≥ 0, got " + weightDecay);
        this.params = List.copyOf(params);
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.decayNormAffine = decayNormAffine;
    }

    public static Sgd plain(List<Param> params, double lr) { return new Sgd(params, lr, 0, 0, false); }

    public double lr() { return lr; }
    public void setLr(double lr) { this.lr = lr; }

    public void zeroGrad() { for (Param p : params) p.zeroGrad(); }

    public void step() {
        float lrF = (float) lr;
        for (Param p : params) {
            float[] w = p.value().data(), g = p.grad().data();
            float wd = (p.isNormAffine() && !decayNormAffine) ? 0f : (float) weightDecay;
            if (momentum == 0) {
                for (int i = 0; i < w.length; i++) w[i] -= lrF * (g[i] + wd * w[i]);
            } else {
                float mu = (float) momentum;
                float[] v = velocity.get(p);
                boolean first = v == null;
                if (first) { v = new float[w.length]; velocity.put(p, v); }
                for (int i = 0; i < w.length; i++) {
                    float gi = g[i] + wd * w[i];
                    v[i] = first ? gi : mu * v[i] + gi;
                    w[i] -= lrF * v[i];
                }
            }
        }
    }
}
