package org.normlab.experiment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.normlab.norm.Norm;

/**
 * One GAN run on a 2-d toy distribution: the norm of both networks, Adam's learning rate and β₁, and the budget.
 *
 * @param batchSize   real and generated points per step
 * @param steps       training steps
 * @param logEvery    measure coverage every this many steps
 * @param evalSamples generated points per coverage measurement
 * @param tuning      a tuning run: its networks, training points and coverage samples come from random streams apart
 *                    from those of the final run with the same seed (a GAN's analogue of a validation split), so a
 *                    tuning decision never reads a final run
 */
public record GanSpec(Norm norm, double lr, double beta1, int batchSize, int steps, int logEvery, int evalSamples, long seed, boolean tuning)
        implements Spec<GanSpec> {

    /** DCGAN's Adam (lr 2·10⁻⁴, β₁ 0.5) and batch 128; 1 000 steps, 20 logs of 2 500 samples each. */
    public static final GanSpec DEFAULT = new GanSpec(Norm.NONE, 2e-4, 0.5, 128, 1_000, 50, 2_500, 0);

    /** The GAN runs' one table column: the norm, by label. */
    public static final Axis<GanSpec, Norm> NORM = Axis.of("norm", GanSpec::norm, GanSpec::withNorm);

    /** Adam's learning rate, for tuning sweeps. */
    public static final Axis<GanSpec, Double> LR = Axis.of("lr", GanSpec::lr, GanSpec::withLr);

    /** A final (not a tuning) run. */
    public GanSpec(Norm norm, double lr, double beta1, int batchSize, int steps, int logEvery, int evalSamples, long seed) {
        this(norm, lr, beta1, batchSize, steps, logEvery, evalSamples, seed, false);
    }

    public GanSpec {
        if (!(lr > 0)) throw new IllegalArgumentException("GanSpec: lr must be positive, got " + lr);
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("GanSpec: beta1 must be in [0,1), got " + beta1);
        if (batchSize <= 0) throw new IllegalArgumentException("GanSpec: batchSize must be positive, got " + batchSize);
        if (steps <= 0) throw new IllegalArgumentException("GanSpec: steps must be positive, got " + steps);
        if (logEvery <= 0) throw new IllegalArgumentException("GanSpec: logEvery must be positive, got " + logEvery);
        if (evalSamples <= 0) throw new IllegalArgumentException("GanSpec: evalSamples must be positive, got " + evalSamples);
    }

    public GanSpec withNorm(Norm n) { return new GanSpec(n, lr, beta1, batchSize, steps, logEvery, evalSamples, seed, tuning); }
    public GanSpec withLr(double l) { return new GanSpec(norm, l, beta1, batchSize, steps, logEvery, evalSamples, seed, tuning); }
    public GanSpec withBeta1(double b) { return new GanSpec(norm, lr, b, batchSize, steps, logEvery, evalSamples, seed, tuning); }
    public GanSpec withBatchSize(int b) { return new GanSpec(norm, lr, beta1, b, steps, logEvery, evalSamples, seed, tuning); }
    public GanSpec withSteps(int s) { return new GanSpec(norm, lr, beta1, batchSize, s, logEvery, evalSamples, seed, tuning); }
    public GanSpec withLogEvery(int l) { return new GanSpec(norm, lr, beta1, batchSize, steps, l, evalSamples, seed, tuning); }
    public GanSpec withEvalSamples(int n) { return new GanSpec(norm, lr, beta1, batchSize, steps, logEvery, n, seed, tuning); }
    public GanSpec withTuning(boolean t) { return new GanSpec(norm, lr, beta1, batchSize, steps, logEvery, evalSamples, seed, t); }
    @Override public GanSpec withSeed(long s) { return new GanSpec(norm, lr, beta1, batchSize, steps, logEvery, evalSamples, s, tuning); }

    /** This run's settings in labelled lines: networks, optimizer, budget (see {@link RunSpec#outline}). */
    @Override
    public Map<String, String> outline(Set<String> grid) {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("model", "GAN: MLP generator and discriminator, norm " + SpecText.or(grid, "norm", norm.label()));
        lines.put("optimizer", "Adam lr " + SpecText.number(lr) + ", β₁ " + SpecText.number(beta1));
        lines.put("budget", steps + " steps of batch " + batchSize + ", coverage of " + evalSamples + " samples every " + logEvery + " steps"
                + (tuning ? "; tuning runs (random streams apart from the final runs')" : ""));
        return lines;
    }

    /** {@code v1;gan} and each setting that differs from {@link #DEFAULT}'s, in declaration order. */
    @Override
    public String canonical() {
        return new Canonical("gan").add("norm", norm, DEFAULT.norm).add("lr", lr, DEFAULT.lr).add("beta1", beta1, DEFAULT.beta1)
                .add("batchSize", batchSize, DEFAULT.batchSize).add("steps", steps, DEFAULT.steps).add("logEvery", logEvery, DEFAULT.logEvery)
                .add("evalSamples", evalSamples, DEFAULT.evalSamples).add("seed", seed, 0L).add("tuning", tuning, false).text();
    }
}
