package org.normlab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.nn.Param;
import org.normlab.tensor.Tensor;

/** Schedule values at chosen steps, from the formulas in {@link LrSchedule}'s Javadoc. */
class LrScheduleTest {

    private static void assertRates(LrSchedule schedule, double baseLr, long[] steps, double[] expected) {
        for (int i = 0; i < steps.length; i++) {
            assertEquals(expected[i], schedule.lr(steps[i], baseLr), 1e-12, schedule + " at step " + steps[i]);
        }
    }

    @Test
    void constant() {
        assertRates(LrSchedule.constant(), 0.1, new long[] {0, 1, 1_000_000}, new double[] {0.1, 0.1, 0.1});
    }

    @Test
    void stepDecay() {
        // base 0.8, ×0.5 every 3 steps: ⌊t/3⌋ = 0 for t = 0..2, 1 for 3..5, 2 for 6, 3 for 10
        assertRates(LrSchedule.stepDecay(3, 0.5), 0.8, new long[] {0, 2, 3, 5, 6, 10}, new double[] {0.8, 0.8, 0.4, 0.4, 0.2, 0.1});
    }

    @Test
    void cosineAnnealsToTheMinimumAndStaysThere() {
        // base 1.1, min 0.1, T = 4:  lr = 0.1 + 1.0·(1 + cos(πt/4))/2
        //   t = 0: 0.1 + 1 = 1.1;  t = 1: 0.1 + (1 + 0.7071068)/2 = 0.9535534;  t = 2: 0.1 + 0.5 = 0.6
        //   t = 3: 0.1 + (1 − 0.7071068)/2 = 0.2464466;  t = 4: 0.1 + 0 = 0.1;  t > 4: held at 0.1
        double c = Math.sqrt(0.5);  // cos(π/4)
        assertRates(LrSchedule.cosine(4, 0.1), 1.1, new long[] {0, 1, 2, 3, 4, 9},
                new double[] {1.1, 0.1 + (1 + c) / 2, 0.6, 0.1 + (1 - c) / 2, 0.1, 0.1});
        assertEquals(0.9535534, LrSchedule.cosine(4, 0.1).lr(1, 1.1), 1e-7);
        assertEquals(0.2464466, LrSchedule.cosine(4, 0.1).lr(3, 1.1), 1e-7);
    }

    @Test
    void linearWarmupThenConstant() {
        // W = 4, base 0.2: 0.2·(t+1)/4 = 0.05, 0.1, 0.15, 0.2 for t = 0..3, then 0.2
        assertRates(LrSchedule.warmup(4, LrSchedule.constant()), 0.2, new long[] {0, 1, 2, 3, 4, 100},
                new double[] {0.05, 0.1, 0.15, 0.2, 0.2, 0.2});
    }

    @Test
    void warmupThenCosineStartsTheCosineClockAfterWarmup() {
        // W = 2: t = 0 → 1.1·1/2 = 0.55, t = 1 → 1.1; then cosine(4, 0.1) at t − 2 (values as in the cosine test)
        double c = Math.sqrt(0.5);
        assertRates(LrSchedule.warmup(2, LrSchedule.cosine(4, 0.1)), 1.1, new long[] {0, 1, 2, 3, 4, 6, 50},
                new double[] {0.55, 1.1, 1.1, 0.1 + (1 + c) / 2, 0.6, 0.1, 0.1});
    }

    @Test
    void warmupThenStepDecay() {
        // W = 3, base 1: 1/3, 2/3, 1; then stepDecay(2, 0.1) at t − 3: 1, 1, 0.1, 0.1, 0.01
        assertRates(LrSchedule.warmup(3, LrSchedule.stepDecay(2, 0.1)), 1.0, new long[] {0, 1, 2, 3, 4, 5, 6, 7},
                new double[] {1 / 3.0, 2 / 3.0, 1, 1, 1, 0.1, 0.1, 0.01});
        // a zero-length warm-up is the schedule itself
        assertRates(LrSchedule.warmup(0, LrSchedule.stepDecay(2, 0.1)), 1.0, new long[] {0, 2, 4}, new double[] {1, 0.1, 0.01});
    }

    @Test
    void applySetsTheOptimizersRate() {
        Optimizer sgd = Sgd.plain(List.of(Param.of("w", Tensor.zeros(1))), 0.3);
        LrSchedule schedule = LrSchedule.stepDecay(10, 0.1);
        schedule.apply(sgd, 25, 0.3);  // 0.3·0.1² = 0.003
        assertEquals(0.003, sgd.lr(), 1e-12);
    }

    @Test
    void clearErrors() {
        assertEquals("LrSchedule.stepDecay: every must be ≥ 1 step, got 0",
                assertThrows(IllegalArgumentException.class, () -> LrSchedule.stepDecay(0, 0.5)).getMessage());
        assertEquals("LrSchedule.stepDecay: gamma must be positive and finite, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> LrSchedule.stepDecay(5, 0)).getMessage());
        assertEquals("LrSchedule.cosine: steps must be ≥ 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(0, 0)).getMessage());
        assertEquals("LrSchedule.cosine: minimum learning rate must be finite and ≥ 0, got -0.1",
                assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(10, -0.1)).getMessage());
        assertEquals("LrSchedule.warmup: steps must be ≥ 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmup(-1, LrSchedule.constant())).getMessage());
        assertEquals("LrSchedule.warmup: the schedule after warm-up must not be null (use LrSchedule.constant())",
                assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmup(3, null)).getMessage());
        assertEquals("LrSchedule: step must be ≥ 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant().lr(-1, 0.1)).getMessage());
        assertEquals("LrSchedule: base learning rate must be finite and ≥ 0, got NaN",
                assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(10, 0).lr(0, Double.NaN)).getMessage());
    }
}
