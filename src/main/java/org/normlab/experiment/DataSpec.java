package org.normlab.experiment;

/**
 * What a run trains and tests on: the first {@code trainSize} training and first {@code testSize} test examples of a
 * data set.
 *
 * @param trainSize how many training images to use (60 000 = all of Fashion-MNIST)
 * @param testSize  how many test images to evaluate on (10 000 = all; 0 = no test evaluation)
 */
public record DataSpec(Source source, int trainSize, int testSize) {
    /** The data sets a run can name. */
    public enum Source { FASHION_MNIST }

    /** All of Fashion-MNIST. */
    public static final DataSpec DEFAULT = new DataSpec(Source.FASHION_MNIST, 60_000, 10_000);

    public DataSpec {
        if (trainSize <= 0) throw new IllegalArgumentException("DataSpec: trainSize must be positive, got " + trainSize);
        if (testSize < 0) throw new IllegalArgumentException("DataSpec: testSize must be ≥ 0, got " + testSize);
    }

    public DataSpec withTrainSize(int n) { return new DataSpec(source, n, testSize); }
    public DataSpec withTestSize(int n) { return new DataSpec(source, trainSize, n); }
}
