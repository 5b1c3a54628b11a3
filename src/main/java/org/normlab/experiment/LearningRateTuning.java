package org.normlab.experiment;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.normlab.data.Dataset;
import org.normlab.train.Trainer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Per-arm learning-rate tuning on the validation split, with the same budget for every arm, so that "BN helps" is
 * not mixed up with "this learning rate suits BN better".
 *
 * <p>Each arm (grid point) of a sweep trains at every rate of a log grid, for {@code seeds} tuning seeds, on a
 * training subset drawn per seed with {@code validationSize} images held out of it, and is evaluated on that
 * validation split only ({@link DataSpec.Evaluation#VALIDATION}): the test set is never read. An arm's score at a
 * rate is the mean final validation accuracy over the tuning seeds, a diverged or failed run at chance (0.1, the
 * divergence policy); the arm gets the rate with the best score, the smaller rate on a tie. The final sweep then
 * trains each arm at its chosen rate ({@link #apply}); the chosen values are a table of the report
 * ({@link Result#table}).
 *
 * <p>Tuning seeds are the final sweep's seeds 0 … k−1, but tuning runs differ from final runs (validation split,
 * subset drawn per seed), so no final run is reused as a tuning run or the other way round.
 *
 * @param rates the log grid of learning rates
 * @param seeds tuning seeds per arm and rate
 * @param validationSize images held out of the training set for validation
 * @param trainSize the training subset of a tuning run (0: the sweep's own), e.g. smaller than all 60 000 images so
 *                  that a validation split can be held out of them
 */
public record LearningRateTuning(List<Double> rates, int seeds, int validationSize, int trainSize) {
    public LearningRateTuning {
        rates = List.copyOf(rates);
        if (rates.isEmpty() || rates.stream().anyMatch(r -> !(r > 0) || r.isInfinite())) {
            throw new IllegalArgumentException("LearningRateTuning: expected positive finite rates, got " + rates);
        }
        if (seeds < 1) throw new IllegalArgumentException("LearningRateTuning: expected at least one tuning seed, got " + seeds);
        if (validationSize < 1) throw new IllegalArgumentException("LearningRateTuning: expected a validation split > 0, got " + validationSize);
        if (trainSize < 0) throw new IllegalArgumentException("LearningRateTuning: expected a training subset ≥ 0 (0: the sweep's), got " + trainSize);
    }

    /** Tuning runs on the sweep's own training subset size. */
    public LearningRateTuning(List<Double> rates, int seeds, int validationSize) { this(rates, seeds, validationSize, 0); }

    /** {@code points} rates spaced evenly in log between {@code lowest} and {@code highest} (both included). */
    public static List<Double> logGrid(double lowest, double highest, int points) {
        if (!(lowest > 0 && highest > lowest) || points < 2) {
            throw new IllegalArgumentException("LearningRateTuning.logGrid: expected 0 < lowest < highest and ≥ 2 points, got "
                    + lowest + ", " + highest + ", " + points);
        }
        List<Double> g = new ArrayList<>();
        double step = (Math.log(highest) - Math.log(lowest)) / (points - 1);
        for (int i = 0; i < points; i++) g.add(i == points - 1 ? highest : Math.exp(Math.log(lowest) + i * step));
        return g;
    }

    /** The tuning in words, for a study's learning-rate policy ({@link Study#learningRate}). */
    public String describe() {
        return "tuned per arm on a validation split (" + validationSize + " training images held out; a training subset of "
                + (trainSize > 0 ? trainSize + " images" : "the final runs' size") + " drawn per seed; the test set is never read): rates "
                + rates.stream().map(r -> new BigDecimal(r).round(new MathContext(3)).stripTrailingZeros().toPlainString()).collect(Collectors.joining(", ", "[", "]"))
                + " × " + seeds
                + (seeds == 1 ? " tuning seed" : " tuning seeds") + ", the same for every arm; an arm gets the rate with the best mean final "
                + "validation accuracy (a diverged run at chance, 0.1; the smaller rate on a tie); the final runs train at each arm's rate";
    }

    /** The tuning runs of {@code sweep}: the same arms on their validation split, × rates × tuning seeds. */
    public Sweep<RunSpec> tuningSweep(Sweep<RunSpec> sweep) {
        if (sweep.fields().stream().anyMatch(f -> f.name().equals("lr"))) {
            throw new IllegalArgumentException("LearningRateTuning: sweep " + sweep.name() + " already varies lr; tune a sweep whose arms share one rate");
        }
        return sweep.derived(sweep.name() + "-lr-tuning", b -> (trainSize > 0 ? b.withTrainSize(trainSize) : b)
                .withValidationSize(validationSize).withSampling(DataSpec.Sampling.PER_SEED)
                .withEvaluation(DataSpec.Evaluation.VALIDATION)).vary(Axes.LR, rates).seeds(seeds);
    }

    /** The column of a tuning table that flags a chosen rate at an end of the grid ("lowest", "highest" or empty). */
    public static final String GRID_EDGE = "at grid edge";

    /** "lowest" or "highest" when {@code chosen} is that end of a grid of two or more rates, else empty. */
    public static String gridEdge(double chosen, Collection<Double> grid) {
        if (grid.size() < 2) return "";
        double lowest = grid.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double highest = grid.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return chosen == lowest ? "lowest" : chosen == highest ? "highest" : "";
    }

    /** The runs tuning {@code sweep} costs: arms × rates × tuning seeds, the same for every arm. */
    public int runs(Sweep<RunSpec> sweep) { return sweep.size() / sweep.seedCount() * rates.size() * seeds; }

    /**
     * Each arm's chosen rate, the tuning runs behind it and the table of chosen values (arm, chosen lr, its mean
     * validation accuracy, tuning runs per arm, and {@link #GRID_EDGE}: "lowest" or "highest" when the chosen rate is
     * an end of the grid, where the best rate is censored — it may lie beyond the grid, which should then be widened).
     */
    public record Result(Sweep<RunSpec> sweep, SweepResult<RunSpec> runs, Map<String, Double> chosen, Table table) {
        /** The rate chosen for the arm {@code spec} belongs to. */
        public double lr(RunSpec spec) {
            Double lr = chosen.get(arm(sweep, spec));
            if (lr == null) throw new IllegalArgumentException("LearningRateTuning: no tuned arm for " + arm(sweep, spec) + "; tuned: " + chosen.keySet());
            return lr;
        }
    }

    /** Runs the tuning of {@code sweep} (stored and reused like any sweep) and chooses each arm's rate. */
    public Result tune(Sweep<RunSpec> sweep, Dataset train, ResultStore store, Progress progress, int threads) {
        return tune(sweep, train, store, progress, Engine.local(threads));
    }

    /** {@link #tune(Sweep, Dataset, ResultStore, Progress, int)} with the tuning runs on {@code engine}. */
    public Result tune(Sweep<RunSpec> sweep, Dataset train, ResultStore store, Progress progress, Engine engine) {
        Sweep<RunSpec> tuning = tuningSweep(sweep);
        // Evaluation is on the validation split: the test set passed here is never read.
        SweepResult<RunSpec> runs = tuning.run(train, train.head(1), store, progress, engine);
        return choose(sweep, runs);
    }

    /** Chooses each arm's rate from finished tuning runs (see the class comment). */
    public Result choose(Sweep<RunSpec> sweep, SweepResult<RunSpec> runs) {
        Map<String, Map<Double, double[]>> scores = new LinkedHashMap<>(); // arm → rate → {sum, count}
        for (Results.Run<RunSpec> r : runs.runs()) {
            double[] acc = scores.computeIfAbsent(arm(sweep, r.spec()), k -> new LinkedHashMap<>()).computeIfAbsent(r.spec().lr(), k -> new double[2]);
            acc[0] += SweepResult.finalOrChance(r, Trainer.TEST_ACC);
            acc[1]++;
        }
        Map<String, Double> chosen = new LinkedHashMap<>();
        StringColumn arm = StringColumn.create("arm");
        DoubleColumn lr = DoubleColumn.create("chosen lr"), score = DoubleColumn.create("mean validation accuracy");
        IntColumn n = IntColumn.create("tuning runs");
        StringColumn edge = StringColumn.create(GRID_EDGE);
        for (var e : scores.entrySet()) {
            double best = Double.NaN, bestScore = Double.NEGATIVE_INFINITY;
            int count = 0;
            for (var rate : e.getValue().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
                double s = rate.getValue()[0] / rate.getValue()[1];
                count += (int) rate.getValue()[1];
                if (s > bestScore) {
                    bestScore = s;
                    best = rate.getKey();
                }
            }
            chosen.put(e.getKey(), best);
            arm.append(e.getKey());
            lr.append(best);
            score.append(bestScore);
            n.append(count);
            edge.append(gridEdge(best, rates));
        }
        return new Result(sweep, runs, chosen, Table.create(sweep.name() + ": learning rate tuned per arm on the validation split", arm, lr, score, n, edge));
    }

    /** {@code sweep} with each arm at its tuned rate; the plan says so. */
    public static Sweep<RunSpec> apply(Sweep<RunSpec> sweep, Result tuned) {
        return sweep.derived(sweep.name(), b -> b).perArm(spec -> spec.withLr(tuned.lr(spec)), "lr tuned per arm on the validation split ("
                + tuned.runs().runs().size() + " tuning runs)");
    }

    /** What the plan says of a final sweep whose arms are tuned: the lr its base shows is replaced per arm. */
    public static final String PER_ARM_PLAN = "lr tuned per arm on the validation split by the tuning sweep above (the lr shown is replaced)";

    /**
     * {@code sweep} as a plan shows it: its tuning sweep, then the final sweep marked as tuned per arm
     * ({@link #PER_ARM_PLAN}), in the order {@link #tuneAndRun} runs them.
     */
    public List<Sweep<RunSpec>> planned(Sweep<RunSpec> sweep) {
        return List.of(tuningSweep(sweep), sweep.derived(sweep.name(), b -> b).perArm(spec -> spec, PER_ARM_PLAN));
    }

    /** A sweep tuned per arm, then run at each arm's rate: the tuning (chosen rates and their table) and the final runs. */
    public record Tuned(Result tuning, SweepResult<RunSpec> runs) {}

    /** Tunes {@code sweep} per arm on the validation split ({@link #tune}), then runs it at each arm's rate on the test set. */
    public Tuned tuneAndRun(Sweep<RunSpec> sweep, Dataset train, Dataset test, ResultStore store, Progress progress, int threads) {
        return tuneAndRun(sweep, train, test, store, progress, Engine.local(threads));
    }

    /** {@link #tuneAndRun(Sweep, Dataset, Dataset, ResultStore, Progress, int)} with the runs computed by {@code engine}. */
    public Tuned tuneAndRun(Sweep<RunSpec> sweep, Dataset train, Dataset test, ResultStore store, Progress progress, Engine engine) {
        Result tuned = tune(sweep, train, store, progress, engine);
        return new Tuned(tuned, apply(sweep, tuned).run(train, test, store, progress, engine));
    }

    /** The chosen-values tables of several tuned sweeps as one table named {@code name}, a "sweep" column first. */
    public static Table table(String name, List<Result> tuned) {
        Table all = null;
        for (Result r : tuned) {
            Table t = r.table().copy();
            StringColumn sweep = StringColumn.create("sweep");
            for (int i = 0; i < t.rowCount(); i++) sweep.append(r.sweep().name());
            t.insertColumn(0, sweep);
            if (all == null) all = t;
            else all.append(t);
        }
        if (all == null) throw new IllegalArgumentException("LearningRateTuning.table: no tuned sweeps for " + name);
        all.setName(name);
        return all;
    }

    /** An arm's name: the values of the sweep's varied settings, e.g. "norm=BN". */
    static String arm(Sweep<RunSpec> sweep, RunSpec spec) {
        List<String> parts = new ArrayList<>();
        for (Field<RunSpec> f : sweep.fields()) parts.add(f.name() + "=" + Canonical.format(f.cell().apply(spec)));
        return parts.isEmpty() ? "all" : String.join(", ", parts);
    }
}
