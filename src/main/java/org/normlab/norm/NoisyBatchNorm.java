package org.normlab.norm;

import java.util.List;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.nn.Saved;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * "Noisy" BatchNorm (Santurkar et al. 2018, Sec. 2.1): BatchNorm followed, in training, by random noise whose
 * distribution is neither zero-mean nor unit-variance and changes at every step — a deliberate, large internal
 * covariate shift. If BN worked by reducing that shift, this layer should train badly; Santurkar et al. found it
 * trains about as well as BN.
 *
 * <pre>
 * TRAIN, at each forward (one training step): for every channel c draw the step's noise distribution
 *   μˢ_c ~ U(1 − a, 1 + a),  σˢ_c ~ U(0, b),   μᵇ_c ~ U(−a, a),  σᵇ_c ~ U(0, b)
 * then for every value (sample n, channel c, position i) of z = BN(x) (batch statistics, γ, β):
 *   s ~ N(μˢ_c, σˢ_c²),  t ~ N(μᵇ_c, σᵇ_c²)  (i.i.d.)          y = s·z + t
 * backward (noise fixed): dz = s·dy, then BN's own backward.
 *
 * EVAL: y = BN(x) with the running statistics, no noise.
 * </pre>
 * Defaults a = 0.5, b = 0.5. The noise comes from the layer's own {@link Rng} ({@link #reseed}); {@link #holdNoise}
 * keeps the last draw (for gradient checks).
 */
public final class NoisyBatchNorm implements Layer {
    private final BatchNorm bn;

    @Override
    public List<Layer> children() { return List.of(bn); }
    private final double meanSpread, maxSd;
    private Rng rng;
    private boolean hold;
    private float[] scale, shift;  // the noise of the last TRAIN forward, one value per input value
    private final Saved<float[]> savedScale = new Saved<>();  // the scale noise of the last TRAIN forward, for backward

    public NoisyBatchNorm(int channels) { this(channels, 0.5, 0.5, new Rng(0)); }

    /**
     * @param meanSpread a: how far the noise means stray from 1 (scale) and 0 (shift)
     * @param maxSd      b: the largest noise standard deviation
     */
    public NoisyBatchNorm(int channels, double meanSpread, double maxSd, Rng rng) {
        if (!(meanSpread >= 0) || !(maxSd >= 0) || !Double.isFinite(meanSpread + maxSd)) {
            throw new IllegalArgumentException("NoisyBatchNorm(C=" + channels + "): noise spread and sd must be ≥ 0 and finite, got " + meanSpread + ", " + maxSd);
        }
        this.bn = new BatchNorm(channels);
        this.meanSpread = meanSpread;
        this.maxSd = maxSd;
        this.rng = rng;
    }

    public BatchNorm batchNorm() { return bn; }

    /** Draws the noise from {@code newRng} from now on (a run seeds it from its own seed). */
    public void reseed(Rng newRng) { rng = newRng; }

    /** While held, TRAIN forwards reuse the last noise instead of drawing new noise (needs one TRAIN forward first). */
    public void holdNoise(boolean held) { hold = held; }

    /** The multiplicative and additive noise of the last TRAIN forward (copies). */
    public float[] lastScale() { return scale == null ? null : scale.clone(); }

    public float[] lastShift() { return shift == null ? null : shift.clone(); }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor z = bn.forward(x, mode);
        if (mode == Mode.EVAL) {
            savedScale.keep(mode, null);
            return z;
        }
        int n = z.dim(0), channels = bn.channels(), inner = z.size() / (n * channels);
        if (!hold || scale == null || scale.length != z.size()) {
            scale = new float[z.size()];
            shift = new float[z.size()];
            for (int c = 0; c < channels; c++) {
                double muS = 1 + meanSpread * (2 * rng.nextDouble() - 1), sdS = maxSd * rng.nextDouble();
                double muB = meanSpread * (2 * rng.nextDouble() - 1), sdB = maxSd * rng.nextDouble();
                for (int s = 0; s < n; s++) {
                    int off = (s * channels + c) * inner;
                    for (int i = 0; i < inner; i++) {
                        scale[off + i] = (float) (muS + sdS * rng.nextGaussian());
                        shift[off + i] = (float) (muB + sdB * rng.nextGaussian());
                    }
                }
            }
        }
        float[] v = z.data();
        for (int i = 0; i < v.length; i++) v[i] = scale[i] * v[i] + shift[i];
        savedScale.keep(mode, scale);
        return z;
    }

    @Override
    public Tensor backward(Tensor dy) {
        float[] scale = savedScale.get(this);
        if (dy.size() != scale.length) {
            throw new IllegalArgumentException(describe() + ": expected a gradient of " + scale.length + " values, got " + dy.shapeString());
        }
        float[] g = dy.data().clone();
        for (int i = 0; i < g.length; i++) g[i] *= scale[i];
        return bn.backward(Tensor.of(g, dy.shape()));
    }

    @Override
    public List<Param> params() { return bn.params(); }

    @Override
    public String describe() { return "NoisyBatchNorm(C=" + bn.channels() + ", a=" + meanSpread + ", b=" + maxSd + ")"; }

    /** Every NoisyBatchNorm inside a model, in order. */
    public static List<NoisyBatchNorm> all(Layer model) { return Layer.all(model, NoisyBatchNorm.class); }
}
