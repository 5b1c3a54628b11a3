package org.normlab.studies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.CategoryChart;
import org.normlab.data.Dataset;
import org.normlab.experiment.Anchor;
import org.normlab.experiment.Engine;
import org.normlab.experiment.Axes;
import org.normlab.experiment.DataSpec;
import org.normlab.experiment.Findings;
import org.normlab.experiment.LearningRateTuning;
import org.normlab.experiment.Plan;
import org.normlab.experiment.Progress;
import org.normlab.experiment.ResultStore;
import org.normlab.experiment.Results;
import org.normlab.experiment.RunSpec;
import org.normlab.experiment.Scale;
import org.normlab.experiment.Study;
import org.normlab.experiment.StudyReport;
import org.normlab.experiment.Tables;
import org.normlab.experiment.Summary;
import org.normlab.experiment.Sweep;
import org.normlab.experiment.SweepResult;
import org.normlab.experiment.Verdict;
import org.normlab.experiment.stats.Alternative;
import org.normlab.experiment.stats.LogRank;
import org.normlab.experiment.stats.RankTests;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.plot.Charts;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Claims C2 (BN speeds up convergence) and C3 (BN makes training more stable): none / BN / LN / GN on a sigmoid MLP
 * and on LeNet (d2l's, sigmoid, SGD, batch 256), Fashion-MNIST, same budget and seeds for every norm. Each norm's
 * learning rate is tuned on a validation split ({@link #mlpTuning}, {@link #lenetTuning}; the same budget for every
 * norm, the test set never read), so that "BN converges faster" is not "this rate suits BN better"; the final runs
 * train on a subset drawn per seed at each norm's chosen rate.
 *
 * <p>Convergence speed is read two ways: the number of steps until the (windowed) training accuracy first reaches a
 * target, a censored outcome and C2's decisive statistic (log-rank, {@link #stepsToTarget}), and the training loss
 * reached after the fixed budget (a table). Stability is the roughness of the training-loss
 * curve (standard deviation of successive differences over the second half of training) and the share of
 * diverged runs. Roughness is judged on the MLP, where every norm learns: a network stuck at chance has a flat,
 * trivially smooth loss curve, so LeNet without normalization would "win" for the wrong reason.
 */
public final class ConvergenceStudy implements Study<ConvergenceStudy.Report> {
    public static final List<Norm> NORMS = List.of(Norm.NONE, Norm.BN, Norm.LN, Norm.GN(4));
    public static final double MLP_TARGET = 0.80, LENET_TARGET = 0.70;

    @Override public String name() { return "convergence-speed"; }

    @Override public String title() { return "C2/C3: none vs BN vs LN vs GN on an MLP and LeNet — speed and stability"; }

    public static int seeds(Scale scale) { return scale.pick(2, 3, 5); }

    /** The MLP sweep; its lr (0.1) is the centre of the tuning grid, replaced per arm by the tuned rate. */
    public static Sweep<RunSpec> mlpSweep(Scale scale) {
        RunSpec base = RunSpec.mlp(List.of(256, 256, 256), Activation.Kind.SIGMOID)
                .withLr(0.1).withBatchSize(64).withSampling(DataSpec.Sampling.PER_SEED)
                .withTrainSize(scale.pick(2048, 60_000, 60_000)).withTestSize(scale.pick(1000, 10_000, 10_000))
                .withEpochs(scale.pick(1, 1, 5)).withLogEvery(scale.pick(4, 47, 94));
        return Sweep.of("convergence-mlp-" + scale, base).vary(Axes.NORM, NORMS).seeds(seeds(scale));
    }

    /** The LeNet sweep; its lr (d2l's 0.9) is in the tuning grid, replaced per arm by the tuned rate. */
    public static Sweep<RunSpec> lenetSweep(Scale scale) {
        RunSpec base = RunSpec.lenet(Activation.Kind.SIGMOID)
                .withLr(0.9).withBatchSize(256).withSampling(DataSpec.Sampling.PER_SEED)
                .withTrainSize(scale.pick(2048, 60_000, 60_000)).withTestSize(scale.pick(1000, 10_000, 10_000))
                .withEpochs(scale.pick(1, 1, 10)).withLogEvery(scale.pick(2, 12, 47));
        // LeNet's channels (6, 16) are divisible by 2, not 4: GN(2) stands for group norm there.
        return Sweep.of("convergence-lenet-" + scale, base).vary(Axes.NORM, Norm.NONE, Norm.BN, Norm.LN, Norm.GN(2)).seeds(seeds(scale));
    }

    /**
     * The MLP's per-norm tuning: a log grid around lr 0.1, one tuning seed at default scale, on a validation split
     * held out of a training subset drawn per seed (all 60 000 images less the validation split where the final
     * runs use all of them).
     */
    public static LearningRateTuning mlpTuning(Scale scale) {
        return new LearningRateTuning(scale.pick(List.of(0.1, 0.3), LearningRateTuning.logGrid(0.01, 1, 5), LearningRateTuning.logGrid(0.01, 1, 7)),
                scale.pick(1, 1, 2), scale.pick(256, 2_000, 5_000), scale.pick(512, 58_000, 55_000));
    }

    /** LeNet's per-norm tuning: a log grid 0.1 … 2.7 (d2l's 0.9 on it), as {@link #mlpTuning} otherwise. */
    public static LearningRateTuning lenetTuning(Scale scale) {
        return new LearningRateTuning(scale.pick(List.of(0.3, 0.9), LearningRateTuning.logGrid(0.1, 2.7, 4), LearningRateTuning.logGrid(0.1, 2.7, 7)),
                scale.pick(1, 1, 2), scale.pick(256, 2_000, 5_000), scale.pick(512, 58_000, 55_000));
    }

    /** Why every C2/C3 criterion is marked as changed: the design changed under #11 after results were seen. */
    static final String TUNED_AFTER_RESULTS = "under #11, after the default-scale results, each norm's learning rate became tuned on a "
            + "validation split (the same budget per norm) instead of one shared rate (MLP 0.1, LeNet 0.9), and the final runs' "
            + "training subsets became drawn per seed";

    /** Why C2's criteria are marked as changed a second time: the decisive statistic changed under #11. */
    static final String STEPS_DECISIVE = "2026-12-03, under #11, after the smoke and default-scale results: the decisive statistic became "
            + "the steps to the target train accuracy as a censored outcome (the log-rank test, two-sided, a run that never reaches the "
            + "target censored at the budget) instead of the final train loss (paired t), because the claim is about speed and the "
            + "protocol asks for censored statistics for steps to target; the final loss stays a table";

    @Override
    public String learningRate(Scale scale) {
        return "MLP: " + mlpTuning(scale).describe() + ". LeNet: " + lenetTuning(scale).describe();
    }

    @Override
    public List<Verdict.Criterion> criteria(Scale scale) {
        return List.of(
                Verdict.Criterion.logRank("C2 (MLP)", "steps until the windowed train accuracy first reaches " + MLP_TARGET + ", BN against none, "
                        + "censored at the budget (never reached: censored), per seed").changedAfterResults(TUNED_AFTER_RESULTS).changedAfterResults(STEPS_DECISIVE),
                Verdict.Criterion.logRank("C2 (LeNet)", "steps until the windowed train accuracy first reaches " + LENET_TARGET + ", BN against none, "
                        + "censored at the budget (never reached: censored), per seed").changedAfterResults(TUNED_AFTER_RESULTS).changedAfterResults(STEPS_DECISIVE),
                Verdict.Criterion.above("C3 (MLP)", "train-loss roughness (none) − roughness (BN), paired by seed", 0).changedAfterResults(TUNED_AFTER_RESULTS));
    }

    /**
     * Standard deviation of successive differences of the logged training loss over the second half of a run: how
     * jagged the curve is once the first transient is over. NaN for runs that diverged or failed.
     */
    public static double roughness(Results.Run<RunSpec> run) {
        if (run.log().diverged() || run.log().failed()) return Double.NaN;
        List<Double> loss = new ArrayList<>();
        for (RunLog.Point p : run.log().points()) if (p.metric().equals(Trainer.TRAIN_LOSS)) loss.add(p.value());
        List<Double> half = loss.subList(loss.size() / 2, loss.size());
        if (half.size() < 3) return Double.NaN;
        double[] diffs = new double[half.size() - 1];
        for (int i = 1; i < half.size(); i++) diffs[i - 1] = half.get(i) - half.get(i - 1);
        return Summary.of(diffs).sd();
    }

    /** Steps until train accuracy first reached {@code target}; the run's last step if it never did (a lower bound). */
    static double stepsOrBudget(Results.Run<RunSpec> r, double target) {
        double steps = SweepResult.stepsTo(r, Trainer.TRAIN_ACC, target);
        if (!Double.isNaN(steps)) return steps;
        List<RunLog.Point> points = r.log().points();
        return points.isEmpty() ? Double.NaN : points.get(points.size() - 1).step();
    }

    /**
     * Steps to the target train accuracy, each normalization against none, as censored outcomes: a run that never
     * reached the target within its budget is "never" (for a diverged or failed run too), worse than any reached
     * value. Per comparison: how many seeds reached the target in each arm, the signed-rank test paired by seed with
     * never as worst, and the log-rank test (unpaired, censored at the budget); both two-sided, at the budget of the
     * runs' last logged step. When every pair ties (e.g. neither arm ever gets there) the signed-rank p is
     * missing. With few seeds neither p can be small: a table to read, not a verdict.
     */
    static Table stepsToTargetTests(SweepResult<RunSpec> s, double target) {
        StringColumn arm = StringColumn.create("norm vs none");
        IntColumn pairs = IntColumn.create("seeds"), reached = IntColumn.create("reached (norm)"), reachedNone = IntColumn.create("reached (none)");
        DoubleColumn rankP = DoubleColumn.create("signed-rank p (never = worst)"), logRankZ = DoubleColumn.create("log-rank z (norm sooner > 0)"),
                logRankP = DoubleColumn.create("log-rank p");
        Map<Long, Results.Run<RunSpec>> none = bySeed(s, Norm.NONE);
        for (Norm n : s.runs().stream().map(r -> r.spec().norm()).distinct().toList()) {
            if (n.equals(Norm.NONE)) continue;
            Map<Long, Results.Run<RunSpec>> other = bySeed(s, n);
            List<Long> seeds = none.keySet().stream().filter(other::containsKey).toList();
            if (seeds.isEmpty()) continue;
            double[] a = new double[seeds.size()], b = new double[seeds.size()];
            double budget = 0;
            for (int i = 0; i < seeds.size(); i++) {
                a[i] = neverAsInfinity(other.get(seeds.get(i)), target);
                b[i] = neverAsInfinity(none.get(seeds.get(i)), target);
                budget = Math.max(budget, Math.max(lastStep(other.get(seeds.get(i))), lastStep(none.get(seeds.get(i)))));
            }
            budget = Math.max(budget, 1);
            double pRank = Double.NaN; // every pair tied (e.g. both arms never reach the target): no signed-rank test
            if (!Arrays.equals(a, b)) pRank = RankTests.signedRankNeverWorst(a, b, budget, Alternative.TWO_SIDED).p();
            LogRank.Result lr = LogRank.test(LogRank.censoredAtBudget(a, budget), LogRank.reached(a, budget),
                    LogRank.censoredAtBudget(b, budget), LogRank.reached(b, budget), Alternative.TWO_SIDED);
            arm.append(n.label());
            pairs.append(seeds.size());
            reached.append(count(LogRank.reached(a, budget)));
            reachedNone.append(count(LogRank.reached(b, budget)));
            rankP.append(pRank);
            logRankZ.append(lr.z());
            logRankP.append(lr.p());
        }
        return Table.create(s.name() + ": steps to train accuracy " + target + ", censored tests against none", arm, pairs, reached, reachedNone,
                rankP, logRankZ, logRankP);
    }

    /**
     * Judges a log-rank criterion on steps to {@code target}: {@code norm} against none, paired by seed, a run that
     * never reached the target (diverged and failed runs too) censored at the budget, the runs' last logged step.
     */
    static Verdict stepsToTarget(Verdict.Criterion c, SweepResult<RunSpec> s, Norm norm, double target) {
        Map<Long, Results.Run<RunSpec>> none = bySeed(s, Norm.NONE), other = bySeed(s, norm);
        List<Long> seeds = none.keySet().stream().filter(other::containsKey).toList();
        double[] a = new double[seeds.size()], b = new double[seeds.size()];
        double budget = 1;
        for (int i = 0; i < seeds.size(); i++) {
            a[i] = neverAsInfinity(other.get(seeds.get(i)), target);
            b[i] = neverAsInfinity(none.get(seeds.get(i)), target);
            budget = Math.max(budget, Math.max(lastStep(other.get(seeds.get(i))), lastStep(none.get(seeds.get(i)))));
        }
        return c.judgeLogRank(a, b, budget);
    }

    private static Map<Long, Results.Run<RunSpec>> bySeed(SweepResult<RunSpec> s, Norm norm) {
        Map<Long, Results.Run<RunSpec>> m = new LinkedHashMap<>();
        for (Results.Run<RunSpec> r : s.where(c -> c.norm().equals(norm))) m.put(r.spec().seed(), r);
        return m;
    }

    private static double neverAsInfinity(Results.Run<RunSpec> r, double target) {
        double steps = r.log().failed() ? Double.NaN : SweepResult.stepsTo(r, Trainer.TRAIN_ACC, target);
        return Double.isNaN(steps) ? Double.POSITIVE_INFINITY : steps;
    }

    private static double lastStep(Results.Run<RunSpec> r) {
        List<RunLog.Point> points = r.log().points();
        return points.isEmpty() ? 0 : points.get(points.size() - 1).step();
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean x : b) if (x) n++;
        return n;
    }

    @Override
    public Plan plan(Scale scale) {
        List<Sweep<?>> sweeps = new ArrayList<>(mlpTuning(scale).planned(mlpSweep(scale)));
        sweeps.addAll(lenetTuning(scale).planned(lenetSweep(scale)));
        return new Plan(name(), scale, sweeps, List.of());
    }

    @Override
    public Report run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, Engine engine) {
        LearningRateTuning.Tuned mlpTuned = mlpTuning(scale).tuneAndRun(mlpSweep(scale), train, test, store, progress, engine);
        LearningRateTuning.Tuned lenetTuned = lenetTuning(scale).tuneAndRun(lenetSweep(scale), train, test, store, progress, engine);
        SweepResult<RunSpec> mlp = mlpTuned.runs(), lenet = lenetTuned.runs();
        List<Verdict.Criterion> c = declaredCriteria(scale);
        Findings.Builder parts = Findings.builder(name(), scale);
        Verdict c2Mlp = parts.verdict(stepsToTarget(c.get(0), mlp, Norm.BN, MLP_TARGET));
        Verdict c2LeNet = parts.verdict(stepsToTarget(c.get(1), lenet, Norm.BN, LENET_TARGET));
        // On the MLP, where every norm learns: a LeNet stuck at chance has a trivially smooth, flat loss curve.
        Verdict c3Mlp = parts.verdict(c.get(2).judge(mlp.pairedDifference(r -> r.norm() == Norm.NONE, r -> r.norm() == Norm.BN, ConvergenceStudy::roughness)));
        Network mlpParts = network(parts, "mlp", mlpTuned, MLP_TARGET, "sigmoid MLP 3×256", "MLP");
        Network lenetParts = network(parts, "lenet", lenetTuned, LENET_TARGET, "LeNet (sigmoid)", "LeNet");
        Anchor anchorIoffe = parts.anchor(ioffeAnchor(mlp, lenet));
        Anchor anchorD2l = parts.anchor(d2lAnchor(lenet));
        SweepResult<RunSpec> both = SweepResult.of(name(), concat(mlp.runs(), lenet.runs()), Axes.MODEL, Axes.NORM);
        return new Report(parts.build(both), mlpParts, lenetParts, c2Mlp, c2LeNet, c3Mlp, anchorIoffe, anchorD2l);
    }

    /**
     * Steps to a target train accuracy, none against BN, as the mean over seeds with a run that never got there (or
     * diverged, or failed) counted as the budget (the largest last logged step of either arm): where a "none" run
     * never got there, {@link #ratio} is a lower bound; where a BN run never got there it is not known (NaN).
     */
    record Speedup(double none, double bn, int noneReached, int bnReached, int noneSeeds, int bnSeeds) {
        double ratio() { return bnReached == bnSeeds && bnSeeds > 0 ? none / bn : Double.NaN; }

        String text(String model, double target) {
            String ratio = Double.isNaN(ratio()) ? "not known (BN censored too)"
                    : String.format(Locale.ROOT, "%s%.1f×", noneReached < noneSeeds ? "≥ " : "", ratio());
            return String.format(Locale.ROOT, "%s, train accuracy %.2f: none %.0f steps (%d of %d seeds reached it), BN %.0f (%d of %d): none / BN %s",
                    model, target, none, noneReached, noneSeeds, bn, bnReached, bnSeeds, ratio);
        }
    }

    static Speedup speedup(SweepResult<RunSpec> s, double target) {
        List<Results.Run<RunSpec>> none = s.where(c -> c.norm().equals(Norm.NONE)), bn = s.where(c -> c.norm().equals(Norm.BN));
        double budget = 1;
        for (Results.Run<RunSpec> r : concat(none, bn)) budget = Math.max(budget, lastStep(r));
        double[] a = new double[none.size()], b = new double[bn.size()];
        for (int i = 0; i < a.length; i++) a[i] = neverAsInfinity(none.get(i), target);
        for (int i = 0; i < b.length; i++) b[i] = neverAsInfinity(bn.get(i), target);
        int noneReached = count(LogRank.reached(a, budget)), bnReached = count(LogRank.reached(b, budget));
        return new Speedup(Summary.of(LogRank.censoredAtBudget(a, budget)).mean(), Summary.of(LogRank.censoredAtBudget(b, budget)).mean(),
                noneReached, bnReached, a.length, b.length);
    }

    /**
     * Ioffe &amp; Szegedy's Fig. 2 beside ours. Their Inception on ImageNet reaches 72.2% in 31.0M steps, with BN at 5×
     * the rate in 2.1M; ours are a sigmoid MLP and LeNet on Fashion-MNIST with each norm's rate tuned, so only the
     * shape is compared: BN gets to the target several times sooner on both networks, and every BN seed gets there.
     */
    static Anchor ioffeAnchor(SweepResult<RunSpec> mlp, SweepResult<RunSpec> lenet) {
        Speedup m = speedup(mlp, MLP_TARGET), l = speedup(lenet, LENET_TARGET);
        return Anchor.of("C2", "Ioffe & Szegedy 2015, Fig. 2 (Inception, ImageNet)", "steps to 72.2% accuracy: Inception 31.0M, BN-x5 2.1M (14× fewer)",
                "a sigmoid MLP and d2l's sigmoid LeNet (SGD, batch 256) on Fashion-MNIST; steps until the windowed training accuracy first reaches a target, a censored outcome (log-rank test); every norm at its own rate tuned on a validation split with the same budget, the same seeds")
                .feature("MLP: steps to train accuracy " + MLP_TARGET + ", none / BN ≥ 2 (a run that never gets there counts as its budget: "
                        + "a lower bound for none, not known when a BN run never gets there)", m.text("MLP", MLP_TARGET), m.ratio() >= 2,
                        "Inception has 22 layers and BN-x5 trains at 5× the baseline's rate; our MLP is shallow, so without BN it is not held back by depth, and every arm runs at its own tuned rate rather than BN at a multiple of none's")
                .feature("LeNet: steps to train accuracy " + LENET_TARGET + ", none / BN ≥ 2 (as for the MLP)", l.text("LeNet", LENET_TARGET), l.ratio() >= 2,
                        "LeNet has five layers, not Inception's 22; when the budget ends before none's runs reach the target, the ratio is only a lower bound")
                .feature("BN reaches the target in every seed on both networks, as BN-x5 reaches 72.2%",
                        String.format(Locale.ROOT, "BN reached it in %d of %d MLP seeds, %d of %d LeNet seeds", m.bnReached(), m.bnSeeds(), l.bnReached(), l.bnSeeds()),
                        m.bnReached() == m.bnSeeds() && l.bnReached() == l.bnSeeds() && m.bnSeeds() > 0 && l.bnSeeds() > 0,
                        "the published curves are one run per model; ours asks every seed, and a short budget or a tuned rate near the edge of divergence can leave a BN seed short of the target")
                .build();
    }

    /**
     * d2l.ai's LeNet-BN beside ours: their sigmoid LeNet with BN, SGD at lr 1.0, batch 256, 10 epochs of Fashion-MNIST
     * ends near a training loss of 0.27 and a training accuracy of 0.90, test accuracy below it. Ours is the same net at
     * the rate tuned for BN and the budget of this scale (10 epochs of all 60 000 images at full scale).
     */
    static Anchor d2lAnchor(SweepResult<RunSpec> lenet) {
        List<Results.Run<RunSpec>> bn = lenet.where(c -> c.norm().equals(Norm.BN));
        Summary loss = lenet.summarize(c -> c.norm().equals(Norm.BN), r -> SweepResult.finalValue(r, Trainer.TRAIN_LOSS));
        Summary acc = lenet.summarize(c -> c.norm().equals(Norm.BN), r -> SweepResult.finalValue(r, Trainer.TRAIN_ACC));
        Summary test = lenet.summarize(c -> c.norm().equals(Norm.BN), r -> SweepResult.finalValue(r, Trainer.TEST_ACC));
        RunSpec spec = bn.get(0).spec();
        String setting = String.format(Locale.ROOT, "LeNet-BN at lr %s (tuned), batch %d, %d epoch%s of %d images, %d seeds",
                trim(spec.lr()), spec.batchSize(), spec.epochs(), spec.epochs() == 1 ? "" : "s", spec.trainSize(), bn.size());
        return Anchor.of("C2", "d2l.ai, Batch Normalization (LeNet-BN, lr 1.0, batch 256, 10 epochs, Fashion-MNIST)",
                        "after 10 epochs: training loss about 0.27, training accuracy about 0.90, test accuracy below it",
                "d2l's LeNet-BN (sigmoid, SGD, batch 256) on Fashion-MNIST, at its rate tuned on a validation split (d2l fixes 1.0), for the epochs and images of the scale (d2l: 10 epochs of all 60 000)")
                .feature("final training loss ≤ 0.35", String.format(Locale.ROOT, "%s: final training loss %.3f", setting, loss.mean()), loss.n() > 0 && loss.mean() <= 0.35,
                        "d2l trains 10 epochs on all 60 000 images; the preview scales train fewer epochs on fewer images, so the loss has not come down as far")
                .feature("final training accuracy ≥ 0.85", String.format(Locale.ROOT, "training accuracy %.3f", acc.mean()), acc.n() > 0 && acc.mean() >= 0.85,
                        "as for the loss: below full scale, fewer images and epochs than d2l's 10 × 60 000, so training accuracy has not reached 0.90")
                .feature("final test accuracy below the training accuracy", String.format(Locale.ROOT, "test accuracy %.3f", test.mean()),
                        test.n() > 0 && test.mean() < acc.mean(),
                        "d2l's gap between training and test accuracy opens after 10 full epochs; after a short budget the network has not yet fitted its training images beyond what it generalizes, and the two can sit within the seeds' spread")
                .build();
    }

    private static String trim(double lr) { return String.format(Locale.ROOT, "%.3g", lr); }

    /** The tables and figures of one network, saved as {@code <model>-final.csv}, {@code <model>-train-loss.png}, …. */
    private static Network network(Findings.Builder parts, String model, LearningRateTuning.Tuned tuned, double target, String title, String shortTitle) {
        SweepResult<RunSpec> s = tuned.runs();
        Table lrTuning = parts.table(model + "-lr-tuning", tuned.tuning().table());
        Table finals = parts.table(model + "-final", join(s.finalSummary(Trainer.TRAIN_LOSS), s.finalSummary(Trainer.TEST_ACC)));
        Table stepsToTarget = parts.table(model + "-steps-to-target", s.stepsToSummary(Trainer.TRAIN_ACC, target));
        Table roughness = parts.table(model + "-roughness", s.summary("train-loss roughness", ConvergenceStudy::roughness));
        Table stepsTests = parts.table(model + "-steps-to-target-tests", stepsToTargetTests(s, target));
        XYChart trainLoss = parts.figure(model + "-train-loss", s.curves(Trainer.TRAIN_LOSS,
                title + ": training loss, " + s.runs().size() / NORMS.size() + " seeds per norm"));
        XYChart testAcc = parts.figure(model + "-test-acc", s.curves(Trainer.TEST_ACC));
        Table steps = s.summary("steps to target (budget if never reached)", r -> stepsOrBudget(r, target));
        CategoryChart stepsChart = parts.figure(model + "-steps-to-target", Charts.bars(steps, "norm", "norm", "steps to target (budget if never reached)",
                "ci95_lo", "ci95_hi", shortTitle + ": steps to train accuracy " + target + " (a run that never got there counts as its whole budget)"));
        return new Network(finals, stepsToTarget, roughness, trainLoss, testAcc, stepsChart, stepsTests, lrTuning);
    }

    /**
     * One network's results: final train loss and test accuracy, steps to the target train accuracy, roughness of
     * the training-loss curve (tables, mean and 95% interval per norm), the figures, and the censored tests of steps
     * to target against none (see {@link #stepsToTargetTests}), and the learning rate each norm was tuned to on the
     * validation split.
     */
    public record Network(Table finals, Table stepsToTarget, Table roughness, XYChart trainLoss, XYChart testAcc, CategoryChart stepsToTargetChart,
                          Table stepsToTargetTests, Table lrTuning) {}

    /**
     * What the study found: the MLP's and LeNet's results, the verdicts on C2 (both networks) and C3 (MLP), and C2's
     * published anchors beside ours (Ioffe &amp; Szegedy's steps to target, d2l.ai's LeNet-BN).
     */
    public record Report(Findings findings, Network mlp, Network lenet, Verdict c2Mlp, Verdict c2LeNet, Verdict c3Mlp, Anchor anchorIoffe,
                         Anchor anchorD2l) implements StudyReport {}

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The final-loss summary with the final test accuracy's mean and interval appended. */
    private static Table join(Table loss, Table acc) {
        Table t = loss.copy();
        t.setName(loss.name().replace("final train_loss", "final train loss and test accuracy"));
        String mean = "final " + Trainer.TEST_ACC;
        return Tables.appendInterval(t, acc, mean, mean, "test acc ci95_lo", "test acc ci95_hi");
    }
}
