package org.normlab.studies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.normlab.data.Dataset;
import org.normlab.experiment.Anchor;
import org.normlab.experiment.Axes;
import org.normlab.experiment.Axis;
import org.normlab.experiment.DataSpec;
import org.normlab.experiment.Engine;
import org.normlab.experiment.Findings;
import org.normlab.experiment.LearningRateTuning;
import org.normlab.experiment.Plan;
import org.normlab.experiment.Progress;
import org.normlab.experiment.ResultStore;
import org.normlab.experiment.Results;
import org.normlab.experiment.RunSpec;
import org.normlab.experiment.Scale;
import org.normlab.experiment.Schedule;
import org.normlab.experiment.Study;
import org.normlab.experiment.StudyReport;
import org.normlab.experiment.Summary;
import org.normlab.experiment.Sweep;
import org.normlab.experiment.SweepResult;
import org.normlab.experiment.Verdict;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.plot.Charts;
import org.normlab.train.Trainer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Claim C21, the learning-rate practice that comes with BN, in three parts (design: docs/decisions/lr-practice-design.md).
 *
 * <p><b>(a) Re-tuning when BN is added.</b> A ReLU MLP 3×256 and LeNet, norm ∈ {none, BN}, SGD with momentum 0.9,
 * batch {@value #RETUNE_BATCH}, each arm tuned on a validation split over a log2 grid of rates with as many tuning
 * seeds as the study has seeds, because the statistic is per seed: the grid rate with the best validation accuracy,
 * BN's against none's, by the exact sign test ({@link #certainlyHigher}). The final test runs train BN at its own
 * tuned rate and at none's; their difference says what keeping the old rate costs.
 *
 * <p><b>(b) The linear scaling rule</b> (Goyal et al. 2017): the BN MLP at batch {@value #BASE_BATCH}·k, k ∈ {1, 2, 4,
 * 8, 16}, the same epochs (so k× fewer steps), each batch size tuned on the validation split; η₁ is the rate tuned at
 * k = 1. Final runs at the tuned rate, at k·η₁ and at η₁; the claim is tuned ≈ scaled within ±{@value #SCALING_MARGIN}
 * in test accuracy (TOST) for k ∈ {@link #CLAIMED_MULTIPLES}.
 *
 * <p><b>(c) Warm-up</b> at the largest k and rate k·η₁: constant against a linear warm-up over half an epoch of steps
 * ({@link Schedule#warmup}); divergence by the exact McNemar test on the seeds where exactly one diverged, and the
 * final test loss.
 *
 * <p>The rate grids are exact powers of two ({@link #log2Grid}), so k·η₁ is itself a grid value and a tuned rate equal
 * to it gives the very same run.
 */
public final class LearningRatePracticeStudy implements Study<LearningRatePracticeStudy.Report> {
    public static final int RETUNE_BATCH = 64, BASE_BATCH = 32;
    /** The batch multiples k of part (b); the claim covers {@link #CLAIMED_MULTIPLES}, the largest is reported and used by (c). */
    public static final List<Integer> MULTIPLES = List.of(1, 2, 4, 8, 16);
    public static final List<Integer> CLAIMED_MULTIPLES = List.of(2, 4, 8);
    /** The equivalence margin of the linear scaling rule, in test accuracy. */
    public static final double SCALING_MARGIN = 0.01;
    public static final List<String> MODELS = List.of("mlp", "lenet");

    @Override public String name() { return "learning-rate-practice"; }

    @Override public String title() { return "C21: re-tuning the rate when BN is added, the linear scaling rule with batch size, warm-up"; }

    public static int seeds(Scale scale) { return scale.pick(2, 8, 12); }

    /** The largest batch multiple, where warm-up is tested. */
    public static int largestMultiple() { return MULTIPLES.get(MULTIPLES.size() - 1); }

    @Override
    public List<String> design() {
        return List.of(
                "(a) The per-seed statistic is the grid rate the validation split chooses, BN's against none's, each seed tuned on its own "
                        + "(tuning seeds = the study's seeds). The best rate takes grid values only, so ties are common and Wilcoxon's ranks break "
                        + "down: the exact sign test counts the seeds where BN's is higher against those where it is lower, a tie undecided and "
                        + "counted. A best rate at the grid's edge is censored there (the true best may lie beyond), which leaves every order "
                        + "between different grid values known; an arm whose tuning runs of a seed all diverged has no best rate (excluded, counted).",
                "(a) BN at none's tuned rate against BN at its own, paired by seed: what keeping the rate tuned without BN costs. Equal tuned "
                        + "rates give the same runs and a difference of exactly 0 in every seed, INCONCLUSIVE (p = 1), the honest answer.",
                "(b) Goyal et al.'s rule at the same epochs for every batch size, so batch 32k takes k× fewer steps: the rate tuned per batch size "
                        + "against k·η₁, TOST within ±0.01 test accuracy for k = 2, 4, 8; k = 16 is reported, not claimed. The grids are powers "
                        + "of two, so a tuned rate equal to k·η₁ is the same run (zero spread, TOST p = 0). The three final arms of one batch size "
                        + "are separate sweeps paired by (batch, seed), because identical specs across arms cannot be told apart by their spec.",
                "(c) Warm-up at the largest k and rate k·η₁, constant against a linear warm-up over half an epoch: per seed 1 if only the run "
                        + "without warm-up diverged, 0 if only the one with it, undecided otherwise; the sign test on those discordant seeds is "
                        + "the exact McNemar test. A failed run (an exception, not a divergence) leaves its seed undecided. The final test loss "
                        + "(a diverged run at ln 10) asks whether warm-up helps where nothing diverges.");
    }

    // ---- budgets ----

    /** Rates 2^lowest … 2^highest, exact powers of two. */
    public static List<Double> log2Grid(int lowest, int highest) {
        if (highest <= lowest) throw new IllegalArgumentException("LearningRatePracticeStudy.log2Grid: expected lowest < highest, got " + lowest + ", " + highest);
        List<Double> g = new ArrayList<>();
        for (int e = lowest; e <= highest; e++) g.add(Math.scalb(1.0, e));
        return g;
    }

    /** Part (a): every arm tuned with one tuning run per study seed, so each seed has its own best rate. */
    public static LearningRateTuning retuneTuning(Scale scale) {
        return new LearningRateTuning(scale.pick(List.of(0.03125, 0.125, 0.5), log2Grid(-7, 1), log2Grid(-8, 2)), seeds(scale), scale.pick(256, 1_000, 5_000));
    }

    /** Part (b): every batch size tuned on the same grid with the same tuning seeds. */
    public static LearningRateTuning scalingTuning(Scale scale) {
        return new LearningRateTuning(scale.pick(List.of(0.0625, 0.25, 1.0), log2Grid(-5, 3), log2Grid(-6, 4)), scale.pick(1, 2, 3),
                scale.pick(256, 2_000, 5_000));
    }

    /** Part (a)'s arms for one network: none and BN, SGD with momentum 0.9, batch {@value #RETUNE_BATCH}, training subsets drawn per seed. */
    public static Sweep<RunSpec> retuneSweep(String model, Scale scale) {
        RunSpec net = model.equals("mlp") ? RunSpec.mlp(List.of(256, 256, 256), Activation.Kind.RELU) : RunSpec.lenet(Activation.Kind.RELU);
        RunSpec base = net.withMomentum(0.9).withBatchSize(RETUNE_BATCH).withSampling(DataSpec.Sampling.PER_SEED)
                .withTrainSize(scale.pick(512, 3_000, 10_000)).withTestSize(scale.pick(500, 2_000, 10_000)).withEpochs(scale.pick(1, 2, 3))
                .withLogEvery(scale.pick(4, 25, 100));
        return Sweep.of(name(model, scale), base).vary(Axes.NORM, Norm.NONE, Norm.BN).seeds(seeds(scale));
    }

    private static String name(String model, Scale scale) { return "learning-rate-practice-" + model + "-" + scale; }

    static int scalingTrainSize(Scale scale) { return scale.pick(2_048, 8_000, 20_000); }

    /** The batch size with a log interval of a quarter epoch. */
    public static Axis<RunSpec, Integer> batchAxis(Scale scale) {
        int n = scalingTrainSize(scale);
        return Axes.BATCH_SIZE.and(Axes.LOG_EVERY, b -> Math.max(1, n / b / 4));
    }

    private static RunSpec scalingBase(Scale scale) {
        return RunSpec.mlp(List.of(256, 256, 256), Activation.Kind.RELU).withNorm(Norm.BN).withMomentum(0.9).withSampling(DataSpec.Sampling.PER_SEED)
                .withTrainSize(scalingTrainSize(scale)).withTestSize(scale.pick(500, 2_000, 10_000)).withEpochs(scale.pick(1, 2, 3));
    }

    /** Part (b): the BN MLP at batch {@value #BASE_BATCH}·k for every k of {@link #MULTIPLES}, the same epochs. */
    public static Sweep<RunSpec> scalingSweep(Scale scale) {
        return Sweep.of("learning-rate-practice-scaling-" + scale, scalingBase(scale))
                .vary(batchAxis(scale), MULTIPLES.stream().map(k -> BASE_BATCH * k).toList()).seeds(seeds(scale));
    }

    /** Part (c)'s warm-up: half an epoch of steps at the largest batch (at least one step). */
    public static int warmupSteps(Scale scale) { return Math.max(1, scalingTrainSize(scale) / (BASE_BATCH * largestMultiple()) / 2); }

    /**
     * Part (c): the largest batch at {@code lr} (k·η₁), constant against a linear warm-up. Its name is part (b)'s, so the
     * constant arm is the very run of (b)'s scaled arm at that batch, stored once.
     */
    public static Sweep<RunSpec> warmupSweep(Scale scale, double lr) {
        return Sweep.of(scalingSweep(scale).name(), scalingBase(scale).withLr(lr)).vary(batchAxis(scale), List.of(BASE_BATCH * largestMultiple()))
                .vary(Axes.SCHEDULE, List.of(Schedule.CONSTANT, Schedule.warmup(warmupSteps(scale), Schedule.CONSTANT))).seeds(seeds(scale));
    }

    @Override
    public String learningRate(Scale scale) {
        return "tuned per arm in parts (a) and (b). (a) The arms are (network, norm), and BN also runs at none's tuned rate: "
                + retuneTuning(scale).describe() + ". (b) The arms are the batch sizes; η₁ is the rate tuned at batch " + BASE_BATCH
                + ", and every batch size also runs at k·η₁ and at η₁, the rates the rule under test prescribes: " + scalingTuning(scale).describe()
                + ". (c) Not tuned: the largest batch at k·η₁, the rate the rule prescribes, with and without warm-up";
    }

    // ---- criteria ----

    @Override
    public List<Verdict.Criterion> criteria(Scale scale) {
        List<Verdict.Criterion> c = new ArrayList<>();
        for (String model : List.of("MLP", "LeNet")) {
            c.add(Verdict.Criterion.signTest("C21 (" + model + ": BN's tuned rate is higher)",
                    "per seed: 1 if the grid rate with BN's best final validation accuracy is above none's, 0 if below, undecided if equal "
                            + "(each seed tuned on its own; a best rate at the grid's edge is censored there, which leaves the order of different "
                            + "grid values known; an arm whose tuning runs of a seed all diverged is excluded and counted)"));
            c.add(Verdict.Criterion.above("C21 (" + model + ": BN loses at the no-norm rate)",
                    "final test accuracy of BN at its own tuned rate − BN at no-norm's tuned rate, paired by seed (a diverged run at 0.1)", 0));
        }
        for (int k : CLAIMED_MULTIPLES) {
            c.add(Verdict.Criterion.within("C21 (linear scaling, k = " + k + ")",
                    "final test accuracy of the BN MLP at batch " + BASE_BATCH * k + ": rate tuned for that batch − rate k·η₁ (η₁ tuned at batch "
                            + BASE_BATCH + "), the same epochs, paired by seed (a diverged run at 0.1)", 0, SCALING_MARGIN));
        }
        int k = largestMultiple();
        c.add(Verdict.Criterion.signTest("C21 (warm-up prevents divergence, k = " + k + ")",
                "per seed at batch " + BASE_BATCH * k + " and rate " + k + "·η₁: 1 if only the run without warm-up diverged, 0 if only the run "
                        + "with warm-up diverged, undecided if both or neither did or a run failed (exact McNemar test on the discordant seeds)"));
        c.add(Verdict.Criterion.above("C21 (warm-up lowers the final loss, k = " + k + ")",
                "final test loss at batch " + BASE_BATCH * k + " and rate " + k + "·η₁: constant − linear warm-up over " + warmupSteps(scale)
                        + " steps, paired by seed (a diverged run at ln 10)", 0));
        return c;
    }

    // ---- statistics ----

    /**
     * Per seed, the rate of {@code runs} (one arm's tuning runs) with the best final validation accuracy, a diverged
     * or failed run at chance (0.1), the smaller rate on a tie, as {@link LearningRateTuning} chooses over seeds; NaN
     * for a seed whose runs all diverged or failed (no best rate: the metric has no chance value).
     */
    public static Map<Long, Double> bestRatePerSeed(List<Results.Run<RunSpec>> runs) {
        Map<Long, Double> best = new LinkedHashMap<>(), score = new LinkedHashMap<>();
        Map<Long, Boolean> anyFinished = new LinkedHashMap<>();
        List<Results.Run<RunSpec>> byRate = runs.stream().sorted((a, b) -> Double.compare(a.spec().lr(), b.spec().lr())).toList();
        for (Results.Run<RunSpec> r : byRate) {
            long seed = r.spec().seed();
            double v = SweepResult.finalOrChance(r, Trainer.TEST_ACC);
            anyFinished.merge(seed, !(r.log().diverged() || r.log().failed()), Boolean::logicalOr);
            if (!score.containsKey(seed) || v > score.get(seed)) {
                score.put(seed, v);
                best.put(seed, r.spec().lr());
            }
        }
        anyFinished.forEach((seed, finished) -> { if (!finished) best.put(seed, Double.NaN); });
        return best;
    }

    /**
     * Per seed (the union of both maps' seeds), 1 when {@code a}'s value is certainly above {@code b}'s, 0 when certainly
     * below, NaN when equal or when either is missing (NaN or absent: counted as undecided). A value at the edge of a
     * grid is censored there (the true best lies at or beyond it) but stays at or beyond every other grid value, so two
     * different grid values are always in a known order; only equal ones are not.
     */
    public static Summary certainlyHigher(Map<Long, Double> a, Map<Long, Double> b) {
        Set<Long> seeds = new LinkedHashSet<>(a.keySet());
        seeds.addAll(b.keySet());
        return Summary.of(seeds.stream().mapToDouble(s -> {
            double x = a.getOrDefault(s, Double.NaN), y = b.getOrDefault(s, Double.NaN);
            if (Double.isNaN(x) || Double.isNaN(y) || x == y) return Double.NaN;
            return x > y ? 1 : 0;
        }).toArray());
    }

    /** "top" or "bottom" when {@code lr} is the highest or lowest rate of {@code grid} (a censored best rate), else "". */
    public static String gridEdge(double lr, List<Double> grid) {
        if (Double.isNaN(lr)) return "";
        double lo = grid.stream().mapToDouble(d -> d).min().orElseThrow(), hi = grid.stream().mapToDouble(d -> d).max().orElseThrow();
        return lr >= hi ? "top" : lr <= lo ? "bottom" : "";
    }

    /**
     * Per seed (the union of both sides' seeds, in order of appearance), {@code statistic(a) − statistic(b)} between
     * runs of two sweeps; a seed on one side only is NaN, counted as missing. Each side must have at most one run per
     * seed: select one batch size first ({@link #atBatch}).
     */
    public static Summary pairBySeed(List<Results.Run<RunSpec>> a, List<Results.Run<RunSpec>> b, ToDoubleFunction<Results.Run<RunSpec>> statistic) {
        Map<Long, Double> left = bySeed(a, statistic, "first"), right = bySeed(b, statistic, "second");
        Set<Long> seeds = new LinkedHashSet<>(left.keySet());
        seeds.addAll(right.keySet());
        return Summary.of(seeds.stream().mapToDouble(s -> left.getOrDefault(s, Double.NaN) - right.getOrDefault(s, Double.NaN)).toArray());
    }

    private static Map<Long, Double> bySeed(List<Results.Run<RunSpec>> runs, ToDoubleFunction<Results.Run<RunSpec>> statistic, String side) {
        Map<Long, Double> m = new LinkedHashMap<>();
        for (Results.Run<RunSpec> r : runs) {
            if (m.put(r.spec().seed(), statistic.applyAsDouble(r)) != null) {
                throw new IllegalArgumentException("LearningRatePracticeStudy.pairBySeed: the " + side + " side has several runs with seed " + r.spec().seed());
            }
        }
        return m;
    }

    /** The runs at batch size {@code batch}. */
    public static List<Results.Run<RunSpec>> atBatch(SweepResult<RunSpec> s, int batch) { return s.where(c -> c.batchSize() == batch); }

    /**
     * Per seed, 1 when only the run in {@code without} diverged, 0 when only the run in {@code with} diverged, NaN when
     * both or neither did, when either failed (an exception says nothing about divergence) or when a seed has one run
     * only: the discordant pairs of McNemar's test.
     */
    public static Summary onlyWithoutDiverged(List<Results.Run<RunSpec>> without, List<Results.Run<RunSpec>> with) {
        ToDoubleFunction<Results.Run<RunSpec>> diverged = r -> r.log().failed() ? Double.NaN : r.log().diverged() ? 1 : 0;
        Map<Long, Double> a = bySeed(without, diverged, "first"), b = bySeed(with, diverged, "second");
        Set<Long> seeds = new LinkedHashSet<>(a.keySet());
        seeds.addAll(b.keySet());
        return Summary.of(seeds.stream().mapToDouble(s -> {
            double x = a.getOrDefault(s, Double.NaN), y = b.getOrDefault(s, Double.NaN);
            if (Double.isNaN(x) || Double.isNaN(y) || x == y) return Double.NaN;
            return x == 1 ? 1 : 0;
        }).toArray());
    }

    private static double testAcc(Results.Run<RunSpec> r) { return SweepResult.finalOrChance(r, Trainer.TEST_ACC); }

    private static double testLoss(Results.Run<RunSpec> r) { return SweepResult.finalOrChance(r, Trainer.TEST_LOSS); }

    // ---- plan and run ----

    private static final String TUNED_TEXT = "lr tuned per arm on the validation split by the tuning sweep above (the lr shown is replaced)";

    @Override
    public Plan plan(Scale scale) {
        List<Sweep<?>> sweeps = new ArrayList<>();
        for (String model : MODELS) {
            Sweep<RunSpec> s = retuneSweep(model, scale);
            sweeps.addAll(retuneTuning(scale).planned(s));
            sweeps.add(bnAtNoneRate(s, Double.NaN));
        }
        Sweep<RunSpec> scaling = scalingSweep(scale);
        sweeps.addAll(scalingTuning(scale).planned(scaling));
        sweeps.add(scaledArm(scaling, Double.NaN));
        sweeps.add(unscaledArm(scaling, Double.NaN));
        sweeps.add(warmupSweep(scale, 0.1).perArm(spec -> spec, "lr = " + largestMultiple() + "·η₁, η₁ tuned at batch " + BASE_BATCH
                + " above (the lr shown is replaced); the constant arm is the scaled arm's run at this batch"));
        return Plan.of(name(), scale, sweeps.toArray(Sweep<?>[]::new));
    }

    /** BN alone, at none's tuned rate {@code lr} (NaN: for the plan, the rate not yet known). */
    private static Sweep<RunSpec> bnAtNoneRate(Sweep<RunSpec> retune, double lr) {
        Sweep<RunSpec> s = Sweep.of(retune.name(), retune.base().withNorm(Norm.BN)).seeds(retune.seedCount());
        return Double.isNaN(lr) ? s.perArm(spec -> spec, "BN at the rate tuned for none above (the lr shown is replaced)")
                : s.perArm(spec -> spec.withLr(lr), "BN at the rate tuned for none");
    }

    private static Sweep<RunSpec> scaledArm(Sweep<RunSpec> scaling, double eta1) {
        String text = "lr = k·η₁ with k = batch / " + BASE_BATCH + ", η₁ tuned at batch " + BASE_BATCH;
        return Double.isNaN(eta1) ? scaling.derived(scaling.name(), b -> b).perArm(spec -> spec, text + " above (the lr shown is replaced)")
                : scaling.derived(scaling.name(), b -> b).perArm(spec -> spec.withLr(eta1 * spec.batchSize() / BASE_BATCH), text);
    }

    private static Sweep<RunSpec> unscaledArm(Sweep<RunSpec> scaling, double eta1) {
        String text = "lr = η₁ at every batch size, η₁ tuned at batch " + BASE_BATCH;
        return Double.isNaN(eta1) ? scaling.derived(scaling.name(), b -> b).perArm(spec -> spec, text + " above (the lr shown is replaced)")
                : scaling.derived(scaling.name(), b -> b).perArm(spec -> spec.withLr(eta1), text);
    }

    /** Part (a) for one network: the tuning, the final runs at each arm's rate and BN at none's rate. */
    public record Retune(LearningRateTuning.Result tuning, SweepResult<RunSpec> finals, SweepResult<RunSpec> bnAtNoneRate) {
        public double lr(Norm norm) { return finals.where(c -> c.norm().equals(norm)).get(0).spec().lr(); }

        /** Per seed, the best validation rate of {@code norm}'s tuning runs. */
        public Map<Long, Double> bestRates(Norm norm) { return bestRatePerSeed(tuning.runs().where(c -> c.norm().equals(norm))); }
    }

    /** Part (b): the tuning, η₁, and the final runs at the tuned rate, at k·η₁ and at η₁. */
    public record Scaling(LearningRateTuning.Result tuning, double eta1, SweepResult<RunSpec> tuned, SweepResult<RunSpec> scaled, SweepResult<RunSpec> unscaled) {}

    @Override
    public Report run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, Engine engine) {
        Map<String, Retune> retune = new LinkedHashMap<>();
        for (String model : MODELS) {
            Sweep<RunSpec> s = retuneSweep(model, scale);
            LearningRateTuning.Tuned t = retuneTuning(scale).tuneAndRun(s, train, test, store, progress, engine);
            SweepResult<RunSpec> finals = SweepResult.of(t.runs().name(), t.runs().runs(), Axes.NORM);
            double noneLr = finals.where(c -> c.norm().equals(Norm.NONE)).get(0).spec().lr();
            retune.put(model, new Retune(t.tuning(), finals, bnAtNoneRate(s, noneLr).run(train, test, store, progress, engine)));
        }
        Sweep<RunSpec> scalingSweep = scalingSweep(scale);
        LearningRateTuning.Tuned st = scalingTuning(scale).tuneAndRun(scalingSweep, train, test, store, progress, engine);
        SweepResult<RunSpec> tunedRuns = SweepResult.of(st.runs().name(), st.runs().runs(), Axes.BATCH_SIZE);
        double eta1 = atBatch(tunedRuns, BASE_BATCH).get(0).spec().lr();
        Scaling scaling = new Scaling(st.tuning(), eta1, tunedRuns,
                SweepResult.of(scalingSweep.name(), scaledArm(scalingSweep, eta1).run(train, test, store, progress, engine).runs(), Axes.BATCH_SIZE),
                SweepResult.of(scalingSweep.name(), unscaledArm(scalingSweep, eta1).run(train, test, store, progress, engine).runs(), Axes.BATCH_SIZE));
        int kMax = largestMultiple(), bMax = BASE_BATCH * kMax;
        SweepResult<RunSpec> warm = SweepResult.of(scalingSweep.name(), warmupSweep(scale, kMax * eta1).run(train, test, store, progress, engine).runs(),
                Axes.SCHEDULE);
        List<Results.Run<RunSpec>> constant = warm.where(c -> c.schedule() == Schedule.CONSTANT),
                warmed = warm.where(c -> c.schedule() != Schedule.CONSTANT);

        List<Verdict.Criterion> c = declaredCriteria(scale);
        Findings.Builder parts = Findings.builder(name(), scale);
        List<Verdict> verdicts = new ArrayList<>();
        int i = 0;
        for (String model : MODELS) {
            Retune r = retune.get(model);
            verdicts.add(parts.verdict(c.get(i++).judge(certainlyHigher(r.bestRates(Norm.BN), r.bestRates(Norm.NONE)))));
            verdicts.add(parts.verdict(c.get(i++).judge(pairBySeed(r.finals().where(x -> x.norm().equals(Norm.BN)), r.bnAtNoneRate().runs(),
                    LearningRatePracticeStudy::testAcc))));
        }
        for (int k : CLAIMED_MULTIPLES) {
            verdicts.add(parts.verdict(c.get(i++).judge(pairBySeed(atBatch(scaling.tuned(), BASE_BATCH * k), atBatch(scaling.scaled(), BASE_BATCH * k),
                    LearningRatePracticeStudy::testAcc))));
        }
        verdicts.add(parts.verdict(c.get(i++).judge(onlyWithoutDiverged(constant, warmed))));
        verdicts.add(parts.verdict(c.get(i).judge(pairBySeed(constant, warmed, LearningRatePracticeStudy::testLoss))));
        Anchor ioffe = parts.anchor(ioffeAnchor(retune));
        Anchor goyal = parts.anchor(goyalAnchor(scaling, constant, warmed));

        Map<String, Table> tuningTables = new LinkedHashMap<>();
        Map<String, XYChart> validationFigures = new LinkedHashMap<>();
        for (String model : MODELS) {
            Retune r = retune.get(model);
            tuningTables.put(model, parts.table(model + "-lr-tuning", r.tuning().table()));
            validationFigures.put(model, parts.figure(model + "-validation-vs-lr", validationVersusRate(r.tuning().runs(),
                    label(model) + ": validation accuracy vs lr (the tuning runs)")));
        }
        Table bestRates = parts.table("best-rate-per-seed", bestRateTable(retune, retuneTuning(scale).rates()));
        Table retuneFinals = parts.table("retune-final", retuneFinalTable(retune));
        CategoryChart retuneBars = parts.figure("retune-test-acc", Charts.bars(retuneFinals, "network", "arm", "final " + Trainer.TEST_ACC, "ci95_lo",
                "ci95_hi", "final test accuracy: none and BN at their tuned rates, BN at none's rate"));
        Table scalingTuningTable = parts.table("scaling-lr-tuning", scaling.tuning().table());
        Table scalingTable = parts.table("scaling", scalingTable(scaling));
        Table perRun = scalingRuns(scaling);
        XYChart accVsBatch = parts.figure("scaling-acc-vs-batch", Charts.versus(perRun, "batchSize", "batch size (log scale), the same epochs", true, "arm",
                "final test accuracy", "BN MLP: final test accuracy vs batch size at the tuned rate, k·η₁ and η₁"));
        XYChart ratesFigure = parts.figure("scaling-rates", logY(Charts.versus(rateTable(scaling), "batchSize", "batch size (log scale)", true, "rate",
                "lr", "BN MLP: the rate tuned per batch size against k·η₁ (linear scaling)")));
        Table warmupTable = parts.table("warmup", warm.summary("final " + Trainer.TEST_LOSS + " (diverged: ln 10)", LearningRatePracticeStudy::testLoss));
        XYChart warmupCurves = parts.figure("warmup-curves", warm.curves(Trainer.TRAIN_LOSS, "batch " + bMax + ", lr " + kMax + "·η₁ = "
                + String.format(Locale.ROOT, "%.3g", kMax * eta1) + ": training loss, constant vs warm-up"));

        List<Results.Run<RunSpec>> all = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        List<SweepResult<RunSpec>> finalSweeps = new ArrayList<>();
        for (Retune r : retune.values()) {
            finalSweeps.add(r.finals());
            finalSweeps.add(r.bnAtNoneRate());
        }
        finalSweeps.addAll(List.of(scaling.tuned(), scaling.scaled(), scaling.unscaled(), warm));
        for (SweepResult<RunSpec> s : finalSweeps) for (Results.Run<RunSpec> r : s.runs()) if (keys.add(r.spec().key())) all.add(r);
        Findings findings = parts.build(SweepResult.of(name(), all, Axes.MODEL, Axes.NORM, Axes.BATCH_SIZE, Axes.LR, Axes.SCHEDULE));
        return new Report(findings, retune.get("mlp"), retune.get("lenet"), scaling, tuningTables.get("mlp"), tuningTables.get("lenet"),
                validationFigures.get("mlp"), validationFigures.get("lenet"), bestRates, retuneFinals, retuneBars, scalingTuningTable, scalingTable,
                accVsBatch, ratesFigure, warmupTable, warmupCurves, verdicts.get(0), verdicts.get(1), verdicts.get(2), verdicts.get(3),
                verdicts.subList(4, 4 + CLAIMED_MULTIPLES.size()), verdicts.get(4 + CLAIMED_MULTIPLES.size()), verdicts.get(5 + CLAIMED_MULTIPLES.size()),
                ioffe, goyal);
    }

    /**
     * Ioffe &amp; Szegedy's BN-x5 and BN-x30 beside ours: their Inception with BN trains at 5× and 30× the rate tuned
     * without it; the shape is BN's tuned rate above none's, on each network, and BN at its own rate doing at least as
     * well as at none's.
     */
    static Anchor ioffeAnchor(Map<String, Retune> retune) {
        Anchor.Builder a = Anchor.of("C21", "Ioffe & Szegedy 2015, §4.2 (Inception, ImageNet)",
                "Inception at lr 0.0015; with BN at 5× (BN-x5, 0.0075) and 30× (BN-x30, 0.045); BN-x5 reaches Inception's 72.2% in 14× fewer steps",
                "a ReLU MLP 3×256 and LeNet, {none, BN}, SGD with momentum 0.9, each arm's rate tuned on a validation split over a log2 grid with one tuning per seed; final runs of BN at its own rate and at none's");
        retune.forEach((model, r) -> {
            double none = r.lr(Norm.NONE), bn = r.lr(Norm.BN);
            a.feature(label(model) + ": BN's tuned rate is above none's", String.format(Locale.ROOT, "%s: none %.3g, BN %.3g (%.3g×)", label(model), none, bn,
                    bn / none), bn > none,
                        "Ioffe & Szegedy raise the rate by design to show BN tolerates it; the best rate for a short budget on a small net need not be higher, since the largest rate that trains (C5) and the best one differ");
        });
        retune.forEach((model, r) -> {
            double own = mean(r.finals().where(c -> c.norm().equals(Norm.BN))), atNone = mean(r.bnAtNoneRate().runs());
            a.feature(label(model) + ": BN at its own rate is at least as accurate as at none's",
                    String.format(Locale.ROOT, "%s: test accuracy %.3f at its own rate, %.3f at none's", label(model), own, atNone), own >= atNone,
                        "when the two tuned rates are a grid step (2×) apart, the difference in test accuracy between them can be within the seeds' spread");
        });
        return a.build();
    }

    /**
     * Goyal et al.'s Table 1 beside ours: with the linear scaling rule and gradual warm-up, batch 8k matches batch 256;
     * beyond it the rule breaks down; without warm-up the large batch does worse. On our short budget k·η₁ at k = 8
     * should be within 0.01 of batch {@value #BASE_BATCH}, k = 16 below it, and warm-up's final test loss below
     * constant's at k = 16.
     */
    static Anchor goyalAnchor(Scaling s, List<Results.Run<RunSpec>> constant, List<Results.Run<RunSpec>> warmed) {
        int kMatch = CLAIMED_MULTIPLES.get(CLAIMED_MULTIPLES.size() - 1), kMax = largestMultiple();
        double reference = mean(atBatch(s.scaled(), BASE_BATCH)), atMatch = mean(atBatch(s.scaled(), BASE_BATCH * kMatch)),
                atMax = mean(atBatch(s.scaled(), BASE_BATCH * kMax));
        double lossConstant = Summary.of(constant.stream().mapToDouble(LearningRatePracticeStudy::testLoss).toArray()).mean(),
                lossWarm = Summary.of(warmed.stream().mapToDouble(LearningRatePracticeStudy::testLoss).toArray()).mean();
        return Anchor.of("C21", "Goyal et al. 2017, Table 1 and Fig. 1 (ResNet-50 with BN, ImageNet, 90 epochs)",
                        "top-1 error 23.60 ± 0.12% at batch 256; 23.74 ± 0.09% at 8k with k·η and gradual warm-up, 24.84 ± 0.37% at 8k without warm-up; "
                                + "error rises beyond 8k",
                "the BN MLP at batch 32·k, k ∈ {1, 2, 4, 8, 16}, the same epochs (k× fewer steps), each batch tuned on the validation split; final runs at k·η₁ (η₁ tuned at k = 1), and a linear warm-up over half an epoch at the largest k")
                .feature("k·η₁ at k = " + kMatch + " is within " + SCALING_MARGIN + " of batch " + BASE_BATCH + " in test accuracy",
                        String.format(Locale.ROOT, "batch %d %.3f, batch %d at %d·η₁ %.3f", BASE_BATCH, reference, BASE_BATCH * kMatch, kMatch, atMatch),
                        Math.abs(atMatch - reference) <= SCALING_MARGIN,
                        "Goyal et al. train 90 epochs on ImageNet, whose 1.28 M images give a large batch many steps; in our short budget on a small data set k× fewer steps leave the large batch behind")
                .feature("the rule breaks down at k = " + kMax + ": more than " + SCALING_MARGIN + " below batch " + BASE_BATCH,
                        String.format(Locale.ROOT, "batch %d at %d·η₁ %.3f", BASE_BATCH * kMax, kMax, atMax), atMax < reference - SCALING_MARGIN,
                        "with a short budget the rule can break earlier than k = 16, or, for a small MLP, not yet at 16")
                .feature("at k = " + kMax + " warm-up ends with a lower test loss than a constant rate",
                        String.format(Locale.ROOT, "final test loss %.3f constant, %.3f with warm-up (diverged: ln 10)", lossConstant, lossWarm), lossWarm < lossConstant,
                        "Goyal et al.'s warm-up spans 5 of 90 epochs; ours spans half an epoch of a short budget, and a lower rate at the start also shortens the time at the full rate")
                .build();
    }

    private static String label(String model) { return model.equals("mlp") ? "ReLU MLP 3×256" : "LeNet (ReLU)"; }

    private static XYChart logY(XYChart chart) {
        chart.getStyler().setYAxisLogarithmic(true);
        return chart;
    }

    /** The tuning runs' final validation accuracy against the rate, one colour per norm. */
    private static XYChart validationVersusRate(SweepResult<RunSpec> tuning, String title) {
        Table t = SweepResult.of(tuning.name(), tuning.runs(), Axes.NORM, Axes.LR).finals(Trainer.TEST_ACC);
        t.column("final " + Trainer.TEST_ACC).setName("final validation accuracy");
        return Charts.versusLearningRate(t, "norm", "final validation accuracy", title);
    }

    /** Per network, norm and seed: the grid rate with the best validation accuracy, and whether it sits at a grid edge. */
    static Table bestRateTable(Map<String, Retune> retune, List<Double> grid) {
        StringColumn network = StringColumn.create("network"), norm = StringColumn.create("norm"), edge = StringColumn.create("grid edge (censored)");
        LongColumn seed = LongColumn.create("seed");
        DoubleColumn lr = DoubleColumn.create("best validation lr");
        retune.forEach((model, r) -> {
            for (Norm n : List.of(Norm.NONE, Norm.BN)) {
                r.bestRates(n).forEach((s, v) -> {
                    network.append(label(model));
                    norm.append(n.label());
                    seed.append(s);
                    lr.append(v);
                    edge.append(gridEdge(v, grid));
                });
            }
        });
        return Table.create("best validation rate per seed (grid argmax; NaN: every tuning run of the seed diverged)", network, norm, seed, lr, edge);
    }

    /** Per network: none and BN at their tuned rates, BN at none's rate; mean final test accuracy with 95% intervals. */
    static Table retuneFinalTable(Map<String, Retune> retune) {
        StringColumn network = StringColumn.create("network"), arm = StringColumn.create("arm");
        DoubleColumn lr = DoubleColumn.create("lr"), mean = DoubleColumn.create("final " + Trainer.TEST_ACC), lo = DoubleColumn.create("ci95_lo"),
                hi = DoubleColumn.create("ci95_hi");
        IntColumn n = IntColumn.create("n"), diverged = IntColumn.create("diverged");
        retune.forEach((model, r) -> {
            Map<String, List<Results.Run<RunSpec>>> arms = new LinkedHashMap<>();
            arms.put("none at its tuned lr", r.finals().where(c -> c.norm().equals(Norm.NONE)));
            arms.put("BN at its tuned lr", r.finals().where(c -> c.norm().equals(Norm.BN)));
            arms.put("BN at none's tuned lr", r.bnAtNoneRate().runs());
            arms.forEach((name, runs) -> {
                Summary s = Summary.of(runs.stream().mapToDouble(LearningRatePracticeStudy::testAcc).toArray());
                network.append(label(model));
                arm.append(name);
                lr.append(runs.get(0).spec().lr());
                n.append(s.n());
                diverged.append((int) runs.stream().filter(x -> x.log().diverged()).count());
                mean.append(s.mean());
                lo.append(s.lo());
                hi.append(s.hi());
            });
        });
        return Table.create("final test accuracy per arm (a diverged run at 0.1)", network, arm, lr, n, diverged, mean, lo, hi);
    }

    /**
     * Per k: the tuned rate and k·η₁; mean final test accuracy at the tuned rate, at k·η₁ and at η₁; tuned − scaled
     * paired by seed with its 90% (TOST) and 95% intervals; scaled − the reference k = 1 (Goyal's "matches the small
     * batch"), paired by seed.
     */
    static Table scalingTable(Scaling s) {
        IntColumn k = IntColumn.create("k"), batch = IntColumn.create("batchSize");
        DoubleColumn tunedLr = DoubleColumn.create("tuned lr"), scaledLr = DoubleColumn.create("k·η₁"), tuned = DoubleColumn.create("acc tuned"),
                scaled = DoubleColumn.create("acc k·η₁"), unscaled = DoubleColumn.create("acc η₁"), diff = DoubleColumn.create("tuned − k·η₁"),
                lo = DoubleColumn.create("ci95_lo"), hi = DoubleColumn.create("ci95_hi"), vsRef = DoubleColumn.create("k·η₁ − reference (k = 1)"),
                vsRefLo = DoubleColumn.create("ref ci95_lo"), vsRefHi = DoubleColumn.create("ref ci95_hi");
        List<Results.Run<RunSpec>> reference = atBatch(s.scaled(), BASE_BATCH);
        for (int m : MULTIPLES) {
            int b = BASE_BATCH * m;
            List<Results.Run<RunSpec>> t = atBatch(s.tuned(), b), sc = atBatch(s.scaled(), b), un = atBatch(s.unscaled(), b);
            k.append(m);
            batch.append(b);
            tunedLr.append(t.get(0).spec().lr());
            scaledLr.append(m * s.eta1());
            tuned.append(mean(t));
            scaled.append(mean(sc));
            unscaled.append(mean(un));
            Summary d = pairBySeed(t, sc, LearningRatePracticeStudy::testAcc), r = pairBySeed(sc, reference, LearningRatePracticeStudy::testAcc);
            diff.append(d.mean());
            lo.append(d.lo());
            hi.append(d.hi());
            vsRef.append(r.mean());
            vsRefLo.append(r.lo());
            vsRefHi.append(r.hi());
        }
        return Table.create("linear scaling: final test accuracy per batch size (claimed for k ∈ " + CLAIMED_MULTIPLES + ", margin ±" + SCALING_MARGIN + ")",
                k, batch, tunedLr, scaledLr, tuned, scaled, unscaled, diff, lo, hi, vsRef, vsRefLo, vsRefHi);
    }

    private static double mean(List<Results.Run<RunSpec>> runs) {
        return Summary.of(runs.stream().mapToDouble(LearningRatePracticeStudy::testAcc).toArray()).mean();
    }

    /** One row per final run of part (b): arm, batch size, seed, final test accuracy (diverged: 0.1). */
    static Table scalingRuns(Scaling s) {
        StringColumn arm = StringColumn.create("arm");
        IntColumn batch = IntColumn.create("batchSize");
        LongColumn seed = LongColumn.create("seed");
        DoubleColumn acc = DoubleColumn.create("final test accuracy");
        Map<String, SweepResult<RunSpec>> arms = new LinkedHashMap<>();
        arms.put("tuned per batch", s.tuned());
        arms.put("k·η₁ (linear scaling)", s.scaled());
        arms.put("η₁ (not scaled)", s.unscaled());
        arms.forEach((name, sweep) -> {
            for (Results.Run<RunSpec> r : sweep.runs()) {
                arm.append(name);
                batch.append(r.spec().batchSize());
                seed.append(r.spec().seed());
                acc.append(testAcc(r));
            }
        });
        return Table.create("final test accuracy per run of the scaling arms", arm, batch, seed, acc);
    }

    /** Per batch size: the tuned rate and k·η₁, as rows (batchSize, rate, lr) for the figure. */
    static Table rateTable(Scaling s) {
        StringColumn rate = StringColumn.create("rate");
        IntColumn batch = IntColumn.create("batchSize");
        DoubleColumn lr = DoubleColumn.create("lr");
        for (int m : MULTIPLES) {
            rate.append("tuned on the validation split");
            batch.append(BASE_BATCH * m);
            lr.append(atBatch(s.tuned(), BASE_BATCH * m).get(0).spec().lr());
            rate.append("k·η₁ (linear scaling)");
            batch.append(BASE_BATCH * m);
            lr.append(m * s.eta1());
        }
        return Table.create("tuned rate vs k·η₁ per batch size", rate, batch, lr);
    }

    /**
     * What the study found. (a) per network: the tuning (tables and validation-accuracy figures), the best rate per
     * seed, the final test accuracy of none and BN at their rates and of BN at none's rate; (b) the tuned rates against
     * k·η₁, test accuracy per batch size and arm; (c) the warm-up table and training curves; the verdicts, and the
     * published anchors (Ioffe &amp; Szegedy's higher rates, Goyal et al.'s large batches) beside ours.
     */
    public record Report(Findings findings, Retune mlp, Retune lenet, Scaling scaling, Table mlpLrTuning, Table lenetLrTuning,
                         XYChart mlpValidationVsLr, XYChart lenetValidationVsLr, Table bestRatePerSeed, Table retuneFinals, CategoryChart retuneTestAcc,
                         Table scalingLrTuning, Table scalingTable, XYChart scalingAccVsBatch, XYChart scalingRates, Table warmup, XYChart warmupCurves,
                         Verdict c21MlpHigher, Verdict c21MlpLoses, Verdict c21LeNetHigher, Verdict c21LeNetLoses, List<Verdict> c21Scaling,
                         Verdict c21WarmupDivergence, Verdict c21WarmupLoss, Anchor ioffeAnchor, Anchor goyalAnchor) implements StudyReport {}
}
