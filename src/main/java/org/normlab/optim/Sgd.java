package org.normlab.optim;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.normlab.nn.Param;

/**
 * Stochastic gradient descent with momentum (classical or Nesterov) and weight decay, PyTorch's formulation
 * ({@code torch.optim.SGD} with dampening 0).
 *
 * <pre>
 * g ← ∇θ + λθ                      (λ = weightDecay; skipped for γ/β when decayNormAffine is false)
 * v ← μ·v + g                      (μ = momentum; v = g on the first step)
 * g ← g + μ·v   if nesterov,   else   g ← v
 * θ ← θ − lr·g
 * </pre>
 * With μ = 0 this is plain SGD: θ ← θ − lr·(∇θ + λθ).
 */
public final class Sgd implements Optimizer {
    private final List<Param> params;
    private double lr;
    private final double momentum, weightDecay;
    private final boolean decayNormAffine, nesterov;
    private final Map<Param, float[]> velocity = new IdentityHashMap<>();

    /** Classical (heavy-ball) momentum; see {@link #Sgd(List, double, double, double, boolean, boolean)}. */
    public Sgd(List<Param> params, double lr, double momentum, double weightDecay, boolean decayNormAffine) {
        this(params, lr, momentum, weightDecay, decayNormAffine, false);
    }

    /**
     * @param momentum        μ in [0, 1)
     * @param weightDecay     λ ≥ 0 (L2 penalty added to the gradient)
     * @param decayNormAffine whether λ also applies to normalization layers' γ/β ({@link Param#isNormAffine()})
     * @param nesterov        Nesterov momentum (needs μ > 0, as in PyTorch)
     */
    public Sgd(List<Param> params, double lr, double momentum, double weightDecay, boolean decayNormAffine, boolean nesterov) {
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("Sgd: learning rate must be positive and finite, got " + lr);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("Sgd: momentum must be in [0,1), got " + momentum);
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) throw new IllegalArgumentException("Sgd: weight decay must be finite and ≥ 0, got " + weightDecay);
        if (nesterov && momentum == 0) throw new IllegalArgumentException("Sgd: Nesterov momentum needs momentum > 0, got 0.0");
        this.params = List.copyOf(params);
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.decayNormAffine = decayNormAffine;
        this.nesterov = nesterov;
    }

    public static Sgd plain(List<Param> params, double lr) { return new Sgd(params, lr, 0, 0, false); }

    /** Nesterov momentum μ, no weight decay. */
    public static Sgd nesterov(List<Param> params, double lr, double momentum) { return new Sgd(params, lr, momentum, 0, false, true); }

    @Override
    public double lr() { return lr; }

    @Override
    public void setLr(double lr) {
        if (!(lr >= 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("Sgd: learning rate must be finite and ≥ 0, got " + lr);
        this.lr = lr;
    }

    public double momentum() { return momentum; }
    public double weightDecay() { return weightDecay; }
    public boolean isNesterov() { return nesterov; }

    @Override
    public void zeroGrad() { for (Param p : params) p.zeroGrad(); }

    @Override
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
                    w[i] -= lrF * (nesterov ? gi + mu * v[i] : v[i]);
                }
            }
        }
    }
}
