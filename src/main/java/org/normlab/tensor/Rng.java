package org.normlab.tensor;

import java.util.SplittableRandom;

/**
 * The one source of randomness in NormLab: seeded, splittable, reproducible.
 *
 * <p>A run derives independent streams from its seed ({@link #split()}) for data order, initialization and
 * dropout, so changing how one stream is used never shifts another.
 */
public final class Rng {
    private final SplittableRandom random;
    private double spareGaussian = Double.NaN;

    public Rng(long seed) { this.random = new SplittableRandom(seed); }

    private Rng(SplittableRandom random) { this.random = random; }

    /** An independent generator derived from this one. */
    public Rng split() { return new Rng(random.split()); }

    public double nextDouble() { return random.nextDouble(); }

    public int nextInt(int bound) { return random.nextInt(bound); }

    public long nextLong() { return random.nextLong(); }

    /** Standard normal by the Marsaglia polar method (keeps the second value for the next call). */
    public double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u, v, s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * m;
        return u * m;
    }

    /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i]; p[i] = p[j]; p[j] = t;
        }
        return p;
    }
}
