package org.normlab.experiment;

import java.io.Serializable;
import org.normlab.data.Dataset;
import org.normlab.tensor.Rng;

/**
 * What a run trains, tunes and tests on.
 * <ul>
 *   <li>{@link Sampling#FIRST} (today's default): the first {@code trainSize} training images; a validation split, if
 *       any, is the next {@code validationSize} images, held out of training.</li>
 *   <li>{@link Sampling#PER_SEED}: a permutation of the whole training set drawn from the run's seed; the validation
 *       split is its first {@code validationSize} images and the training subset the next {@code trainSize}, so
 *       data-sampling variance enters the spread over seeds and the two never overlap.</li>
 * </ul>
 * The test set is always the first {@code testSize} test images. {@link Evaluation#VALIDATION} evaluates a run on
 * its validation split instead of the test set (for tuning decisions, which must never see the test set); its
 * metrics are then logged under the test metric names and only a tuner reads them.
 *
 * @param trainSize how many training images to use (60 000 = all of Fashion-MNIST)
 * @param testSize  how many test images to evaluate on (10 000 = all; 0 = no test evaluation)
 * @param validationSize how many training images to hold out as the validation split (0 = none)
 * @param sampling which training images: the first ones, or drawn per seed
 * @param evaluate what the run is evaluated on: the test set, or its validation split
 */
public record DataSpec(Source source, int trainSize, int testSize, int validationSize, Sampling sampling, Evaluation evaluate) implements Serializable {
    /** The data sets a run can name. */
    public enum Source { FASHION_MNIST }

    /** Which training images a run uses. */
    public enum Sampling { FIRST, PER_SEED }

    /** What a run is evaluated on. */
    public enum Evaluation { TEST, VALIDATION }

    /** All of Fashion-MNIST. */
    public static final DataSpec DEFAULT = new DataSpec(Source.FASHION_MNIST, 60_000, 10_000);

    public DataSpec {
        if (trainSize <= 0) throw new IllegalArgumentException("DataSpec: trainSize must be positive, got " + trainSize);
        if (testSize < 0) throw new IllegalArgumentException("DataSpec: testSize must be ≥ 0, got " + testSize);
        if (validationSize < 0) throw new IllegalArgumentException("DataSpec: validationSize must be ≥ 0, got " + validationSize);
        if (sampling == null || evaluate == null) throw new IllegalArgumentException("DataSpec: sampling and evaluate must be set, got " + sampling + ", " + evaluate);
        if (evaluate == Evaluation.VALIDATION && validationSize == 0) {
            throw new IllegalArgumentException("DataSpec: evaluate = VALIDATION needs validationSize > 0, got 0");
        }
    }

    /** The first {@code trainSize} training and first {@code testSize} test images, no validation split. */
    public DataSpec(Source source, int trainSize, int testSize) { this(source, trainSize, testSize, 0, Sampling.FIRST, Evaluation.TEST); }

    public DataSpec withTrainSize(int n) { return new DataSpec(source, n, testSize, validationSize, sampling, evaluate); }
    public DataSpec withTestSize(int n) { return new DataSpec(source, trainSize, n, validationSize, sampling, evaluate); }
    public DataSpec withValidationSize(int n) { return new DataSpec(source, trainSize, testSize, n, sampling, evaluate); }
    public DataSpec withSampling(Sampling s) { return new DataSpec(source, trainSize, testSize, validationSize, s, evaluate); }
    public DataSpec withEvaluation(Evaluation e) { return new DataSpec(source, trainSize, testSize, validationSize, sampling, e); }

    /** The training subset and the validation split (null when there is none) of one run. */
    public record Split(Dataset train, Dataset validation) {}

    /**
     * This spec's training subset and validation split of {@code train}; {@code rng} draws the permutation for
     * {@link Sampling#PER_SEED} (unused for FIRST). With no validation split and FIRST sampling this is exactly the
     * first {@code trainSize} images, as before splits existed.
     */
    public Split split(Dataset train, Rng rng) {
        if (validationSize == 0 && sampling == Sampling.FIRST) return new Split(trainSize < train.size() ? train.head(trainSize) : train, null);
        int need = validationSize + (sampling == Sampling.PER_SEED ? trainSize : Math.min(trainSize, train.size()));
        if (need > train.size()) {
            throw new IllegalArgumentException("DataSpec: validationSize + trainSize = " + validationSize + " + " + trainSize
                    + " exceeds the " + train.size() + " images of " + train.name());
        }
        int[] order = sampling == Sampling.PER_SEED ? rng.permutation(train.size()) : null;
        int t = Math.min(trainSize, train.size() - validationSize);
        int[] trainIdx = new int[t], valIdx = new int[validationSize];
        for (int i = 0; i < t; i++) trainIdx[i] = order == null ? i : order[validationSize + i];
        for (int i = 0; i < validationSize; i++) valIdx[i] = order == null ? t + i : order[i];
        return new Split(train.select(trainIdx), validationSize == 0 ? null : train.select(valIdx));
    }
}
