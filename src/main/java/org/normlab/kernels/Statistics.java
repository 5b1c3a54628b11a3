package org.normlab.kernels;

/**
 * The statistics of one forward, one entry per normalized set of values (a channel, or a block): the mean μ, the
 * biased variance σ² and 1/√(σ² + ε). Arrays are reused while the count repeats.
 */
public record Statistics(double[] mean, double[] variance, double[] invStd) {
    public Statistics(int count) { this(new double[count], new double[count], new double[count]); }

    /** {@code current} when it holds {@code count} entries, else a new one. */
    public static Statistics reuse(Statistics current, int count) {
        return current != null && current.mean.length == count ? current : new Statistics(count);
    }

    public int count() { return mean.length; }

    /**
     * μ = runningMean, 1/√(runningVar + ε) for every entry i, taken from channel i mod channels (running
     * statistics used for normalization). The variance entries are left as they are.
     */
    public void setFromRunning(float[] runningMean, float[] runningVar, double eps, int channels) {
        for (int i = 0; i < mean.length; i++) {
            mean[i] = runningMean[i % channels];
            invStd[i] = 1 / Math.sqrt(runningVar[i % channels] + eps);
        }
    }

    /** A deep copy. */
    public Statistics copy() { return new Statistics(mean.clone(), variance.clone(), invStd.clone()); }
}
