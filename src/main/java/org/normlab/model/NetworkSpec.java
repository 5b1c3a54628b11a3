package org.normlab.model;

import java.io.Serializable;
import org.normlab.nn.Init;
import org.normlab.norm.Norm;

/**
 * Everything that fixes a network before its weights are drawn: what {@link Models#build} receives.
 *
 * @param model      the architecture
 * @param norm       the normalization throughout it
 * @param init       weight initializer and the factor on its standard deviation
 * @param gamma0     starting value of every normalization gain γ (1 is PyTorch's; 0.1 is Cooijmans et al.'s for
 *                   recurrent BN)
 * @param bnMomentum momentum of every BatchNorm's running statistics (PyTorch's default 0.1; no effect on the
 *                   recurrent models' per-step BN)
 * @param inputShift a constant added to every input pixel by the first layer ({@link org.normlab.nn.Shift}; 0: none),
 *                   e.g. −0.5 to centre [0, 1] pixels
 * @param normAffine whether the norm layers have their learned affine map y = γ·x̂ + β (PyTorch's {@code affine=True});
 *                   false leaves y = x̂, which is what γ = 1, β = 0 frozen computes (BN only)
 */
public record NetworkSpec(ModelSpec model, Norm norm, Init init, double gamma0, double bnMomentum, double inputShift, boolean normAffine) implements Serializable {
    public NetworkSpec {
        if (!(gamma0 > 0) || !Double.isFinite(gamma0)) throw new IllegalArgumentException("NetworkSpec: gamma0 must be positive and finite, got " + gamma0);
        if (!(bnMomentum >= 0 && bnMomentum <= 1)) throw new IllegalArgumentException("NetworkSpec: bnMomentum must be in [0, 1], got " + bnMomentum);
        if (!Double.isFinite(inputShift)) throw new IllegalArgumentException("NetworkSpec: inputShift must be finite, got " + inputShift);
        if (!normAffine && gamma0 != 1) throw new IllegalArgumentException("NetworkSpec: gamma0 sets γ, which norm layers without affine do not have;"
                + " expected gamma0 1 with normAffine false, got " + gamma0);
    }

    /** {@code model} with {@code norm}, PyTorch's γ₀, momentum and learned affine, no input shift. */
    public NetworkSpec(ModelSpec model, Norm norm, Init init) { this(model, norm, init, 1, 0.1, 0, true); }

    public NetworkSpec withModel(ModelSpec m) { return new NetworkSpec(m, norm, init, gamma0, bnMomentum, inputShift, normAffine); }
    public NetworkSpec withNorm(Norm n) { return new NetworkSpec(model, n, init, gamma0, bnMomentum, inputShift, normAffine); }
    public NetworkSpec withInit(Init i) { return new NetworkSpec(model, norm, i, gamma0, bnMomentum, inputShift, normAffine); }
    public NetworkSpec withGamma0(double g) { return new NetworkSpec(model, norm, init, g, bnMomentum, inputShift, normAffine); }
    public NetworkSpec withBnMomentum(double m) { return new NetworkSpec(model, norm, init, gamma0, m, inputShift, normAffine); }
    public NetworkSpec withInputShift(double s) { return new NetworkSpec(model, norm, init, gamma0, bnMomentum, s, normAffine); }
    public NetworkSpec withNormAffine(boolean a) { return new NetworkSpec(model, norm, init, gamma0, bnMomentum, inputShift, a); }
}
