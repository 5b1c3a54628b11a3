package org.normlab.experiment;

import org.normlab.optim.LrSchedule;

/** The learning-rate schedule over a run. */
public enum Schedule {
    /** The learning rate throughout. */
    CONSTANT,
    /** Cosine from the learning rate to 0 over the run. */
    COSINE,
    /** ×0.1 after each third of the run. */
    STEP,
    /** Linear warm-up over the first 5% of the run, then cosine to 0. */
    WARMUP_COSINE;

    /** This schedule spread over a run of {@code totalSteps}. */
    public LrSchedule over(int totalSteps) {
        return switch (this) {
            case CONSTANT -> LrSchedule.constant();
            case COSINE -> LrSchedule.cosine(totalSteps, 0);
            case STEP -> LrSchedule.stepDecay(Math.max(1, totalSteps / 3), 0.1);
            case WARMUP_COSINE -> {
                int warm = Math.max(1, totalSteps / 20);
                yield LrSchedule.warmup(warm, LrSchedule.cosine(Math.max(1, totalSteps - warm), 0));
            }
        };
    }
}
