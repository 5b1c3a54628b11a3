package org.normlab.norm;

import java.util.function.Supplier;
import org.normlab.tensor.Rng;

/**
 * How a network's normalization layers start, as the model builders pass it to {@link Norm#create(int, NormOptions)}:
 * every gain γ starts at {@code gamma0}, every BatchNorm (also the one inside ghost and noisy BN) keeps its running
 * statistics with {@code bnMomentum}, and each noisy BN draws its noise from the next stream of {@code noiseStreams},
 * in the order the layers are created (null: each keeps its own fixed stream).
 *
 * @param gamma0       starting value of every gain γ (PyTorch's is 1)
 * @param bnMomentum   momentum of the running statistics (PyTorch's default 0.1)
 * @param noiseStreams where noisy BN layers get their noise streams, or null
 * @param affine       whether the layers have their learned γ, β (false: y = x̂, supported by BN only; γ₀ must be 1)
 */
public record NormOptions(double gamma0, double bnMomentum, Supplier<Rng> noiseStreams, boolean affine) {
    /** PyTorch's defaults: γ₀ = 1, momentum 0.1, learned affine; noisy BN keeps its own stream. */
    public static final NormOptions DEFAULT = new NormOptions(1, 0.1, null, true);

    public NormOptions {
        if (!(gamma0 > 0) || !Double.isFinite(gamma0)) throw new IllegalArgumentException("NormOptions: gamma0 must be positive and finite, got " + gamma0);
        if (!(bnMomentum >= 0 && bnMomentum <= 1)) throw new IllegalArgumentException("NormOptions: bnMomentum must be in [0, 1], got " + bnMomentum);
        if (!affine && gamma0 != 1) throw new IllegalArgumentException("NormOptions: without affine there is no γ to start at gamma0; expected 1, got " + gamma0);
    }
}
