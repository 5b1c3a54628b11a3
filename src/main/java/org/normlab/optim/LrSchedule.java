package org.normlab.optim;

/**
 * A learning-rate schedule: a pure function from the optimizer step (0 = the first update) and the base learning
 * rate to the learning rate for that step. A training loop calls {@link #apply} before each {@code step()}.
 *
 * <pre>
 * constant():            lr(t) = base
 * stepDecay(k, γ):       lr(t) = base · γ^⌊t / k⌋                                 (PyTorch StepLR)
 * cosine(T, min):        lr(t) = min + (base − min) · (1 + cos(π · min(t, T) / T)) / 2
 *                        from base at t = 0 down to min at t = T, then held at min
 *                        (PyTorch's CosineAnnealingLR closed form, but without climbing back up after T)
 * warmup(W, s):          lr(t) = s.lr(0, base) · (t + 1) / W     for t &lt; W         (linear ramp; t = W−1 reaches it)
 *                        lr(t) = s.lr(t − W, base)               for t ≥ W         (s's clock starts after warm-up)
 * </pre>
 * So {@code warmup(5, cosine(100, 1e-4))} ramps up over 5 steps, then anneals over the next 100.
 */
public sealed interface LrSchedule {

    /** The learning rate for optimizer step {@code step} (counted from 0). */
    double lr(long step, double baseLr);

    /** Sets the optimizer's learning rate for step {@code step}. */
    default void apply(Optimizer optimizer, long step, double baseLr) { optimizer.setLr(lr(step, baseLr)); }

    static LrSchedule constant() { return new Constant(); }

    /** Multiply by γ every k steps. */
    static LrSchedule stepDecay(int every, double gamma) { return new StepDecay(every, gamma); }

    /** Cosine annealing from the base rate to {@code minLr} over {@code steps} steps. */
    static LrSchedule cosine(int steps, double minLr) { return new Cosine(steps, minLr); }

    /** A linear warm-up over {@code steps} steps, then {@code after} (whose step 0 is the first step after warm-up). */
    static LrSchedule warmup(int steps, LrSchedule after) { return new Warmup(steps, after); }

    record Constant() implements LrSchedule {
        @Override
        public double lr(long step, double baseLr) {
            checkArguments(step, baseLr);
            return baseLr;
        }
    }

    record StepDecay(int every, double gamma) implements LrSchedule {
        public StepDecay {
            if (every < 1) throw new IllegalArgumentException("LrSchedule.stepDecay: every must be ≥ 1 step, got " + every);
            if (!(gamma > 0) || !Double.isFinite(gamma)) throw new IllegalArgumentException("LrSchedule.stepDecay: gamma must be positive and finite, got " + gamma);
        }

        @Override
        public double lr(long step, double baseLr) {
            checkArguments(step, baseLr);
            return baseLr * Math.pow(gamma, step / every);
        }
    }

    record Cosine(int steps, double minLr) implements LrSchedule {
        public Cosine {
            if (steps < 1) throw new IllegalArgumentException("LrSchedule.cosine: steps must be ≥ 1, got " + steps);
            if (!(minLr >= 0) || !Double.isFinite(minLr)) throw new IllegalArgumentException("LrSchedule.cosine: minimum learning rate must be finite and ≥ 0, got " + minLr);
        }

        @Override
        public double lr(long step, double baseLr) {
            checkArguments(step, baseLr);
            double progress = (double) Math.min(step, steps) / steps;
            return minLr + (baseLr - minLr) * (1 + Math.cos(Math.PI * progress)) / 2;
        }
    }

    record Warmup(int steps, LrSchedule after) implements LrSchedule {
        public Warmup {
            if (steps < 0) throw new IllegalArgumentException("LrSchedule.warmup: steps must be ≥ 0, got " + steps);
            if (after == null) throw new IllegalArgumentException("LrSchedule.warmup: the schedule after warm-up must not be null (use LrSchedule.constant())");
        }

        @Override
        public double lr(long step, double baseLr) {
            checkArguments(step, baseLr);
            if (step >= steps) return after.lr(step - steps, baseLr);
            return after.lr(0, baseLr) * (step + 1) / steps;
        }
    }

    private static void checkArguments(long step, double baseLr) {
        if (step < 0) throw new IllegalArgumentException("LrSchedule: step must be ≥ 0, got " + step);
        if (!(baseLr >= 0) || !Double.isFinite(baseLr)) throw new IllegalArgumentException("LrSchedule: base learning rate must be finite and ≥ 0, got " + baseLr);
    }
}
