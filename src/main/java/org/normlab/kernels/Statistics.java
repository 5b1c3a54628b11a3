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
        int first = Math.min(channels, mean.length);
        for (int c = 0; c < first; c++) {
            mean[c] = runningMean[c];
            invStd[c] = 1 / Math.sqrt(runningVar[c] + eps);
        }
        for (int start = channels; start < mean.length; start += channels) {  // entry start + c is channel c again
            System.arraycopy(mean, 0, mean, start, Math.min(channels, mean.length - start));
            System.arraycopy(invStd, 0, invStd, start, Math.min(channels, mean.length - start));
        }
    }

    /** A deep copy. */
    public Statistics copy() { return new Statistics(mean.clone(), variance.clone(), invStd.clone()); }
}
