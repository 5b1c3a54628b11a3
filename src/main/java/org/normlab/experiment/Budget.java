package org.normlab.experiment;

import java.io.Serializable;

/**
 * How long a run trains and how often it logs.
 *
 * @param maxSteps stop after this many steps (0: run all epochs)
 * @param logEvery log metrics every this many steps
 */
public record Budget(int batchSize, int epochs, int maxSteps, int logEvery) implements Serializable {
    /** Batch 64, one epoch, a log every 50 steps. */
    public static final Budget DEFAULT = new Budget(64, 1, 0, 50);

    public Budget {
        if (batchSize <= 0) throw new IllegalArgumentException("Budget: batchSize must be positive, got " + batchSize);
        if (epochs <= 0) throw new IllegalArgumentException("Budget: epochs must be positive, got " + epochs);
        if (maxSteps < 0) throw new IllegalArgumentException("Budget: maxSteps must be ≥ 0, got " + maxSteps);
        if (logEvery <= 0) throw new IllegalArgumentException("Budget: logEvery must be positive, got " + logEvery);
    }

    public Budget withBatchSize(int b) { return new Budget(b, epochs, maxSteps, logEvery); }
    public Budget withEpochs(int e) { return new Budget(batchSize, e, maxSteps, logEvery); }
    public Budget withMaxSteps(int s) { return new Budget(batchSize, epochs, s, logEvery); }
    public Budget withLogEvery(int l) { return new Budget(batchSize, epochs, maxSteps, l); }
}
