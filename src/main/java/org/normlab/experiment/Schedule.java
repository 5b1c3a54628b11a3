package org.normlab.experiment;

import java.io.Serializable;
import java.util.Locale;
import org.normlab.optim.LrSchedule;

/**
 * The learning-rate schedule over a run: one of the {@link Shape shapes}, or a linear {@link Warmup warm-up} over a
 * declared number of steps followed by a shape.
 *
 * <pre>
 * Schedule.CONSTANT                          lr(t) = base
 * Schedule.warmup(W, Schedule.CONSTANT)      lr(t) = base · (t + 1) / W  for t &lt; W, then base   (Goyal et al. 2017's
 *                                            gradual warm-up, here from base / W rather than from the small-batch rate)
 * </pre>
 * Steps count from 0 (the first update), as in {@link LrSchedule}.
 */
public sealed interface Schedule extends Serializable permits Schedule.Shape, Schedule.Warmup {
    Shape CONSTANT = Shape.CONSTANT;
    Shape COSINE = Shape.COSINE;
    Shape STEP = Shape.STEP;
    Shape WARMUP_COSINE = Shape.WARMUP_COSINE;

    /** This schedule spread over a run of {@code totalSteps}. */
    LrSchedule over(int totalSteps);

    /** The schedule in a few words, as a plan shows it: "cosine", "linear warm-up over 8 steps, then constant". */
    String text();

    /** A linear warm-up over the first {@code steps} steps, then {@code after} over the rest of the run. */
    static Warmup warmup(int steps, Shape after) { return new Warmup(steps, after); }

    /** A schedule spread over the whole run. */
    enum Shape implements Schedule {
        /** The learning rate throughout. */
        CONSTANT,
        /** Cosine from the learning rate to 0 over the run. */
        COSINE,
        /** ×0.1 after each third of the run. */
        STEP,
        /** Linear warm-up over the first 5% of the run, then cosine to 0. */
        WARMUP_COSINE;

        @Override
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

        @Override public String text() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * A linear warm-up over the first {@code steps} optimizer steps ({@link LrSchedule#warmup}: step t &lt; W runs at
     * {@code after}'s first rate × (t + 1) / W), then {@code after}, whose clock starts after the warm-up and spans the
     * rest of the run. A warm-up longer than the run never reaches the full rate.
     */
    record Warmup(int steps, Shape after) implements Schedule {
        public Warmup {
            if (steps < 1) throw new IllegalArgumentException("Schedule.warmup: steps must be ≥ 1, got " + steps);
            if (after == null) throw new IllegalArgumentException("Schedule.warmup: the schedule after warm-up must be given, got null");
        }

        @Override
        public LrSchedule over(int totalSteps) { return LrSchedule.warmup(steps, after.over(Math.max(1, totalSteps - steps))); }

        @Override public String text() { return "linear warm-up over " + steps + (steps == 1 ? " step" : " steps") + ", then " + after.text(); }

        /** The canonical text of the schedule: "warmup-8-constant". */
        @Override public String toString() { return "warmup-" + steps + "-" + Canonical.format(after); }
    }
}
