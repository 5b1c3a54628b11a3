package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.normlab.optim.LrSchedule;

/** The typed warm-up: the rate at given steps, its canonical text and its bad input. */
class ScheduleWarmupTest {
    @Test
    void linearWarmupThenConstantGivesTheRampThenTheBaseRate() {
        LrSchedule s = Schedule.warmup(4, Schedule.CONSTANT).over(20);
        assertEquals(0.2 * 1 / 4, s.lr(0, 0.2), 1e-15);
        assertEquals(0.2 * 2 / 4, s.lr(1, 0.2), 1e-15);
        assertEquals(0.2 * 3 / 4, s.lr(2, 0.2), 1e-15);
        assertEquals(0.2, s.lr(3, 0.2), 1e-15, "step W − 1 reaches the base rate");
        assertEquals(0.2, s.lr(4, 0.2), 1e-15);
        assertEquals(0.2, s.lr(19, 0.2), 1e-15);
    }

    @Test
    void warmupThenCosineStartsTheCosineClockAfterTheWarmup() {
        LrSchedule s = Schedule.warmup(5, Schedule.COSINE).over(25);  // cosine over the remaining 20 steps
        assertEquals(0.1 * 3 / 5, s.lr(2, 0.1), 1e-15);
        assertEquals(0.1, s.lr(5, 0.1), 1e-15);
        assertEquals(0.05 * (1 + Math.cos(Math.PI * 10 / 20)), s.lr(15, 0.1), 1e-15);
        assertEquals(0, s.lr(25, 0.1), 1e-15);
    }

    @Test
    void canonicalTextNamesStepsAndShapeAndLeavesTheShapesAsBefore() {
        assertEquals("warmup-8-constant", Canonical.format(Schedule.warmup(8, Schedule.CONSTANT)));
        assertEquals("cosine", Canonical.format(Schedule.COSINE));
        assertEquals("warmup-cosine", Canonical.format(Schedule.WARMUP_COSINE));
        RunSpec base = RunSpec.DEFAULT;
        assertEquals(base.key(), base.withSchedule(Schedule.CONSTANT).key());
        assertNotEquals(base.withSchedule(Schedule.warmup(8, Schedule.CONSTANT)).key(), base.withSchedule(Schedule.warmup(9, Schedule.CONSTANT)).key());
        assertEquals("linear warm-up over 8 steps, then constant", Schedule.warmup(8, Schedule.CONSTANT).text());
    }

    @Test
    void aWarmupOfNoStepsIsRejected() {
        assertEquals("Schedule.warmup: steps must be ≥ 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> Schedule.warmup(0, Schedule.CONSTANT)).getMessage());
    }
}
