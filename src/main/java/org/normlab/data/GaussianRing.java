package org.normlab.data;

import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * The GAN toy distribution of Metz et al. (Unrolled GAN, 2017) and Srivastava et al. (VEEGAN, 2017): a mixture of
 * {@code modes} isotropic Gaussians with standard deviation σ whose centres sit evenly on a circle of radius r.
 * <pre>
 * centre_k = r·(cos 2πk/K, sin 2πk/K),   k = 0..K−1
 * x ~ centre_k + σ·N(0, I₂),              k uniform
 * </pre>
 * and the two mode-collapse metrics of that literature (thresholds as in PacGAN, Lin et al. 2018):
 * <ul>
 *   <li><b>high-quality share</b>: the share of samples within 3σ of their nearest centre;</li>
 *   <li><b>modes covered</b>: the number of centres with at least {@code minShare} of the samples within 3σ of them
 *       (PacGAN: 20 of 2 500 samples, i.e. 0.8%).</li>
 * </ul>
 */
public record GaussianRing(int modes, double radius, double sigma) {
    /** Unrolled GAN's ring: 8 modes, radius 2, σ = 0.02. */
    public static final GaussianRing STANDARD = new GaussianRing(8, 2.0, 0.02);
    /** PacGAN's threshold: a mode counts as covered with at least 20 of 2 500 samples (0.8%) within 3σ. */
    public static final double MIN_SHARE = 20.0 / 2500;

    public GaussianRing {
        if (modes < 1 || !(radius > 0) || !(sigma > 0)) {
            throw new IllegalArgumentException("GaussianRing: needs modes ≥ 1, radius > 0, sigma > 0, got " + modes + ", " + radius + ", " + sigma);
        }
    }

    /** Centre of mode k. */
    public double[] centre(int k) {
        double a = 2 * Math.PI * k / modes;
        return new double[] {radius * Math.cos(a), radius * Math.sin(a)};
    }

    /** {@code n} points as an (n, 2) tensor. */
    public Tensor sample(int n, Rng rng) {
        Tensor x = Tensor.zeros(n, 2);
        for (int i = 0; i < n; i++) {
            double[] c = centre(rng.nextInt(modes));
            x.data()[2 * i] = (float) (c[0] + sigma * rng.nextGaussian());
            x.data()[2 * i + 1] = (float) (c[1] + sigma * rng.nextGaussian());
        }
        return x;
    }

    /** How a set of samples covers the ring. */
    public record Coverage(int modesCovered, double highQualityShare, int[] perMode) {}

    /** Coverage of (n, 2) samples: per mode the count within 3σ, the share of such samples, the modes with ≥ minShare. */
    public Coverage coverage(Tensor samples, double minShare) {
        if (samples.rank() != 2 || samples.dim(1) != 2) {
            throw new IllegalArgumentException("GaussianRing: expected samples [n,2], got " + samples.shapeString());
        }
        int n = samples.dim(0);
        int[] perMode = new int[modes];
        int good = 0;
        for (int i = 0; i < n; i++) {
            double x = samples.data()[2 * i], y = samples.data()[2 * i + 1];
            int best = -1;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int k = 0; k < modes; k++) {
                double[] c = centre(k);
                double d = Math.hypot(x - c[0], y - c[1]);
                if (d < bestDistance) { bestDistance = d; best = k; }
            }
            if (bestDistance <= 3 * sigma) { perMode[best]++; good++; }
        }
        int covered = 0;
        for (int count : perMode) if (count > 0 && count >= minShare * n) covered++;
        return new Coverage(covered, n == 0 ? Double.NaN : (double) good / n, perMode);
    }
}
