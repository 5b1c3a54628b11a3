package org.normlab.studies;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.normlab.data.Dataset;
import org.normlab.experiment.Engine;
import org.normlab.experiment.Anchor;
import org.normlab.experiment.Axes;
import org.normlab.experiment.Axis;
import org.normlab.experiment.DataSpec;
import org.normlab.experiment.LearningRateTuning;
import org.normlab.experiment.Findings;
import org.normlab.experiment.Plan;
import org.normlab.experiment.Progress;
import org.normlab.experiment.ResultStore;
import org.normlab.experiment.Results;
import org.normlab.experiment.RunSpec;
import org.normlab.experiment.Scale;
import org.normlab.experiment.Study;
import org.normlab.experiment.StudyReport;
import org.normlab.experiment.Summary;
import org.normlab.experiment.Sweep;
import org.normlab.experiment.SweepResult;
import org.normlab.experiment.Verdict;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.train.Trainer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Claims C12 (LRN, AlexNet's across-channel normalization) and C15 (BN helps deep nets train; EfficientNet-style nets
 * rely on it), on Fashion-MNIST:
 * <ul>
 *   <li>C12: LeNet with ReLU, without normalization and with LRN after the two conv activations (AlexNet's n = 5,
 *       α = 1e-4, β = 0.75, k = 2; {@link Norm#LRN}); statistic: final test accuracy LRN − none, paired by seed;</li>
 *   <li>C15a: deep ReLU MLPs (hidden layers of 64, He init) of depth 20 and 50 ({@link #depths}; also 100 at full
 *       scale), without and with BN; statistic per depth: final training loss none − BN, paired by seed;</li>
 *   <li>C15b: the small MBConv net ({@link org.normlab.model.MbConvNet}: stem, three MBConv blocks with SE, SiLU),
 *       without and with BN; statistic as for C15a.</li>
 * </ul>
 * A diverged or failed run's final training loss counts as ln 10 (chance level for 10 classes), so a diverging
 * variant cannot drop out of a paired comparison. Each arm's learning rate is tuned on a validation split
 * ({@link #tuning}: the same budget for every arm, the test set never read), and the final runs train on a subset
 * drawn per seed.
 */
public final class OtherNormsStudy implements Study<OtherNormsStudy.Report> {
    public static final int DEEP_LAYERS = 20, DEEP_WIDTH = 64;

    /**
     * A deep MLP's depth (its Linear layers: hidden layers + 1; 0 for a model without hidden layers, LeNet and MBConv
     * in the study's results table), set as that many − 1 hidden layers of {@link #DEEP_WIDTH}.
     */
    public static final Axis<RunSpec, Integer> DEPTH = Axis.of("depth", s -> s.hidden().isEmpty() ? 0 : s.hidden().size() + 1,
            (s, d) -> s.withHidden(Collections.nCopies(d - 1, DEEP_WIDTH)));

    /** The deep MLP's depths: 20 and 50 (issue #12: 50–100 layers), and 100 at full scale. */
    public static List<Integer> depths(Scale scale) { return scale.pick(List.of(DEEP_LAYERS, 50), List.of(DEEP_LAYERS, 50), List.of(DEEP_LAYERS, 50, 100)); }

    /** Why the deep MLP's criteria changed on 2026-12-03: the depth axis. */
    static final String DEPTH_AXIS = "2026-12-03 (issue #12), after results: the deep sweep gained a depth axis (20 and 50 layers; 100 at full "
            + "scale), so the statistic names its depth; the 20-layer runs, their tuning and this statistic's values are unchanged";

    @Override public String name() { return "other-norms"; }

    @Override public String title() { return "C12/C15: LRN in LeNet; 20- and 50-layer MLPs and a small MBConv net with and without BN"; }

    public static int seeds(Scale scale) { return scale.pick(2, 3, 5); }

    static RunSpec common(RunSpec c, Scale scale) {
        return c.withBatchSize(64).withSampling(DataSpec.Sampling.PER_SEED).withTrainSize(scale.pick(1024, 12_000, 60_000)).withTestSize(scale.pick(500, 2_000, 10_000))
                .withEpochs(1).withLogEvery(scale.pick(4, 50, 100));
    }

    public static Sweep<RunSpec> lrnSweep(Scale scale) {
        RunSpec base = common(RunSpec.lenet(Activation.Kind.RELU).withLr(0.05).withMomentum(0.9), scale)
                .withEpochs(scale.pick(1, 2, 5));
        return Sweep.of("other-norms-lrn-" + scale, base).vary(Axes.NORM, Norm.NONE, Norm.LRN).seeds(seeds(scale));
    }

    public static Sweep<RunSpec> deepSweep(Scale scale) {
        // Revised after the first default run: 12 000 images (187 steps) took about 1 s per run; one epoch of all
        // 60 000 costs little more. The first run's C15 (20-layer MLP) verdict was INCONCLUSIVE.
        RunSpec base = common(RunSpec.mlp(Collections.nCopies(DEEP_LAYERS - 1, DEEP_WIDTH), Activation.Kind.RELU).withLr(0.05), scale)
                .withTrainSize(scale.pick(1024, 60_000, 60_000)).withLogEvery(scale.pick(4, 100, 100));
        return Sweep.of("other-norms-deep-" + scale, base).vary(Axes.NORM, Norm.NONE, Norm.BN).vary(DEPTH, depths(scale)).seeds(seeds(scale));
    }

    /**
     * The MBConv net, evaluated on 500 test images: chosen when an EVAL forward still kept every layer's batch-sized
     * buffers, so that two parallel runs fit a 1 GB kernel heap; it stays at 500 so the published numbers stay
     * (EVAL keeps nothing now: docs/decisions/kernel-memory.md).
     */
    public static Sweep<RunSpec> mbconvSweep(Scale scale) {
        RunSpec base = common(RunSpec.mbconv().withLr(0.05).withMomentum(0.9), scale)
                .withTrainSize(scale.pick(512, 12_000, 60_000)).withTestSize(scale.pick(256, 500, 500));
        return Sweep.of("other-norms-mbconv-" + scale, base).vary(Axes.NORM, Norm.NONE, Norm.BN).seeds(seeds(scale));
    }

    /** Final training loss; ln 10 (chance) for a run that diverged or failed. */
    static double finalLossOrChance(Results.Run<RunSpec> r) {
        double v = SweepResult.finalValue(r, Trainer.TRAIN_LOSS);
        return r.log().diverged() || r.log().failed() || Double.isNaN(v) ? Math.log(10) : v;
    }

    /**
     * Each arm's (norm's) learning rate is tuned on a validation split held out of a training subset drawn per seed,
     * on a log grid around the shared 0.05, one tuning seed at default scale. {@code finalTrainSize} is the final
     * runs' subset: where it is all 60 000 images, tuning trains on 60 000 less the validation split (at smoke
     * scale on 256 images, to keep CI short).
     */
    public static LearningRateTuning tuning(Scale scale, int finalTrainSize) {
        int validation = scale.pick(256, 2_000, 5_000);
        return new LearningRateTuning(scale.pick(List.of(0.01, 0.05), LearningRateTuning.logGrid(0.005, 0.5, 5), LearningRateTuning.logGrid(0.002, 1, 7)),
                scale.pick(1, 1, 2), validation,
                scale == Scale.SMOKE ? 256 : finalTrainSize + validation > 60_000 ? 60_000 - validation : 0);
    }

    private static LearningRateTuning tuning(Scale scale, Sweep<RunSpec> sweep) { return tuning(scale, sweep.base().trainSize()); }

    /** Why every C12/C15 criterion is marked as changed: the design changed under #11 after results were seen. */
    static final String TUNED_AFTER_RESULTS = "under #11, after the default-scale results, each arm's learning rate became tuned on a "
            + "validation split (the same budget per arm) instead of one shared rate 0.05, and the training subsets became drawn per seed";

    @Override
    public String learningRate(Scale scale) {
        return "LRN LeNet: " + tuning(scale, lrnSweep(scale)).describe() + ". Deep MLPs (each depth its own arm): " + tuning(scale, deepSweep(scale)).describe()
                + ". MBConv: " + tuning(scale, mbconvSweep(scale)).describe();
    }

    @Override
    public List<Verdict.Criterion> criteria(Scale scale) {
        List<Verdict.Criterion> c = new ArrayList<>(List.of(
                Verdict.Criterion.above("C12", "final test accuracy, LeNet: LRN − none, paired by seed", 0).changedAfterResults(TUNED_AFTER_RESULTS),
                Verdict.Criterion.above("C15 (20-layer MLP)", deepStatistic(DEEP_LAYERS), 0)
                        .changedAfterResults("the 20-layer MLP's budget went from 12 000 images to one epoch of 60 000 after a first "
                                + "default-scale run gave INCONCLUSIVE (notebook 11); " + TUNED_AFTER_RESULTS).changedAfterResults(DEPTH_AXIS),
                Verdict.Criterion.above("C15 (MBConv)", "final training loss: none − BN, paired by seed (diverged = ln 10)", 0)
                        .changedAfterResults(TUNED_AFTER_RESULTS),
                Verdict.Criterion.above("C15 (50-layer MLP)", deepStatistic(50), 0)
                        .changedAfterResults("added 2026-12-03 (issue #12) after exploratory runs of an earlier session had been seen: at depth 50 "
                                + "without normalization the training loss stayed at 2.30 (chance), with BN it reached 1.9–2.0")));
        if (depths(scale).contains(100)) c.add(Verdict.Criterion.above("C15 (100-layer MLP)", deepStatistic(100), 0));
        return c;
    }

    static String deepStatistic(int depth) { return "final training loss at depth " + depth + ": none − BN, paired by seed (diverged = ln 10)"; }

    @Override
    public Plan plan(Scale scale) {
        List<Sweep<?>> sweeps = new ArrayList<>();
        for (Sweep<RunSpec> s : List.of(lrnSweep(scale), deepSweep(scale), mbconvSweep(scale))) sweeps.addAll(tuning(scale, s).planned(s));
        return new Plan(name(), scale, sweeps, List.of());
    }

    @Override
    public Report run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, Engine engine) {
        LearningRateTuning.Tuned lrnTuned = tuning(scale, lrnSweep(scale)).tuneAndRun(lrnSweep(scale), train, test, store, progress, engine);
        LearningRateTuning.Tuned deepTuned = tuning(scale, deepSweep(scale)).tuneAndRun(deepSweep(scale), train, test, store, progress, engine);
        LearningRateTuning.Tuned mbconvTuned = tuning(scale, mbconvSweep(scale)).tuneAndRun(mbconvSweep(scale), train, test, store, progress, engine);
        SweepResult<RunSpec> lrn = lrnTuned.runs(), deep = deepTuned.runs(), mbconv = mbconvTuned.runs();
        Findings.Builder parts = Findings.builder(name(), scale);
        Table lrTuning = parts.table("lr-tuning", LearningRateTuning.table("other-norms: learning rate tuned per arm on the validation split",
                List.of(lrnTuned.tuning(), deepTuned.tuning(), mbconvTuned.tuning())));
        XYChart lrnCurves = parts.figure("lrn-test-acc", lrn.curves(Trainer.TEST_ACC));
        Table lrnTestAcc = parts.table("lrn-test-acc", lrn.finalSummary(Trainer.TEST_ACC));
        Table lrnTrainLoss = parts.table("lrn-train-loss", lrn.finalSummary(Trainer.TRAIN_LOSS));
        XYChart deepCurves = parts.figure("deep-train-loss", deep.curves(Trainer.TRAIN_LOSS));
        Table deepTrainLoss = parts.table("deep-train-loss", deep.summary("final train loss (diverged = ln 10)", OtherNormsStudy::finalLossOrChance));
        Table deepTestAcc = parts.table("deep-test-acc", deep.finalSummary(Trainer.TEST_ACC));
        XYChart mbconvCurves = parts.figure("mbconv-train-loss", mbconv.curves(Trainer.TRAIN_LOSS));
        Table mbconvTrainLoss = parts.table("mbconv-train-loss", mbconv.summary("final train loss (diverged = ln 10)", OtherNormsStudy::finalLossOrChance));
        Table mbconvTestAcc = parts.table("mbconv-test-acc", mbconv.finalSummary(Trainer.TEST_ACC));
        Table wallTime = parts.table("wall-time", wallTime(List.of(lrn, deep, mbconv)));

        List<Verdict.Criterion> c = declaredCriteria(scale);
        Verdict c12 = parts.verdict(c.get(0).judge(lrn.pairedDifference(r -> r.norm() == Norm.LRN, r -> r.norm() == Norm.NONE,
                r -> SweepResult.finalOrChance(r, Trainer.TEST_ACC))));
        Verdict c15Deep = parts.verdict(c.get(1).judge(deepDifference(deep, DEEP_LAYERS)));
        Verdict c15MbConv = parts.verdict(c.get(2).judge(mbconv.pairedDifference(r -> r.norm() == Norm.NONE, r -> r.norm() == Norm.BN,
                OtherNormsStudy::finalLossOrChance)));
        Verdict c15Deep50 = parts.verdict(c.get(3).judge(deepDifference(deep, 50)));
        Optional<Verdict> c15Deep100 = depths(scale).contains(100) ? Optional.of(parts.verdict(c.get(4).judge(deepDifference(deep, 100)))) : Optional.empty();
        Anchor lrnAnchor = parts.anchor(lrnAnchor(lrn));
        Anchor mbconvAnchor = parts.anchor(mbconvAnchor(mbconv));
        List<Results.Run<RunSpec>> all = new ArrayList<>(lrn.runs());
        all.addAll(deep.runs());
        all.addAll(mbconv.runs());
        return new Report(parts.build(SweepResult.of(name(), all, Axes.MODEL, Axes.NORM, DEPTH)), new Network(lrnCurves, lrnTrainLoss, lrnTestAcc),
                new Network(deepCurves, deepTrainLoss, deepTestAcc), new Network(mbconvCurves, mbconvTrainLoss, mbconvTestAcc), wallTime, lrTuning,
                c12, c15Deep, c15MbConv, c15Deep50, c15Deep100, lrnAnchor, mbconvAnchor);
    }

    /**
     * Krizhevsky et al.'s LRN result beside ours: a small gain in accuracy from LRN after the first convolutions, on a
     * far larger net and data set than our LeNet, so only its shape (a gain, and a small one) is compared.
     */
    static Anchor lrnAnchor(SweepResult<RunSpec> lrn) {
        Summary gain = lrn.pairedDifference(r -> r.norm() == Norm.LRN, r -> r.norm() == Norm.NONE, r -> SweepResult.finalOrChance(r, Trainer.TEST_ACC));
        String ours = String.format(Locale.ROOT, "LRN − none, final test accuracy: %+.1f points [%+.1f, %+.1f]", 100 * gain.mean(), 100 * gain.lo(), 100 * gain.hi());
        return Anchor.of("C12", "Krizhevsky, Sutskever & Hinton 2012, §3.3 (AlexNet, ImageNet; a 4-layer CNN on CIFAR-10)",
                        "LRN lowers top-1 error by 1.4 points and top-5 by 1.2 (ImageNet); 13% → 11% test error (CIFAR-10)",
                "LeNet (ReLU) on Fashion-MNIST without normalization and with LRN after the two convolution activations, AlexNet's n = 5, α = 10⁻⁴, β = 0.75, k = 2, each arm at its tuned rate; final test accuracy paired by seed")
                .feature("LRN raises test accuracy (mean gain above 0)", ours, gain.mean() > 0,
                        "AlexNet's ReLU activations over 96–384 channels are large, so LRN's denominator varies from place to place; with LeNet's 6 and 16 channels and inputs in [0, 1], Σa² stays small and with α = 10⁻⁴, k = 2 LRN is close to a constant rescale by 2^−0.75")
                .feature("the gain is small: under 5 points", String.format(Locale.ROOT, "|mean gain| %.1f points", 100 * Math.abs(gain.mean())),
                        gain.mean() > 0 && gain.mean() < 0.05,
                        "as for the sign of the gain: LRN close to a constant rescale cannot help, and what is left is the seeds' spread")
                .build();
    }

    /**
     * EfficientNet's reliance on BN beside ours. Tan &amp; Le publish no ablation without BN, so the anchor is the
     * design (BN after every convolution of every MBConv block) and the shape compared is that the MBConv net without
     * BN fits its training data clearly worse.
     */
    static Anchor mbconvAnchor(SweepResult<RunSpec> mbconv) {
        Summary gap = mbconv.pairedDifference(r -> r.norm() == Norm.NONE, r -> r.norm() == Norm.BN, OtherNormsStudy::finalLossOrChance);
        double none = mbconv.summarize(r -> r.norm() == Norm.NONE, OtherNormsStudy::finalLossOrChance).mean();
        double bn = mbconv.summarize(r -> r.norm() == Norm.BN, OtherNormsStudy::finalLossOrChance).mean();
        return Anchor.of("C15", "Tan & Le 2019, §3–4 (EfficientNet-B0's MBConv blocks)",
                        "BN after every convolution of every MBConv block (momentum 0.99, ε = 10⁻³); no ablation without BN is published",
                "a small MBConv net (a stem, three MBConv blocks with squeeze-and-excitation, SiLU) on Fashion-MNIST, without and with BN after every convolution, each at its tuned rate; final training loss paired by seed")
                .feature("without BN the MBConv net's final training loss is higher (95% interval of none − BN above 0)",
                        String.format(Locale.ROOT, "final training loss none %.3f, BN %.3f; none − BN %+.3f [%+.3f, %+.3f]", none, bn, gap.mean(), gap.lo(), gap.hi()),
                        gap.lo() > 0,
                        "three blocks are shallow next to EfficientNet-B0's sixteen, and without BN such a net can train about as well at its own tuned rate")
                .build();
    }

    /** Per seed at {@code depth}: final training loss none − BN (a diverged or failed run at ln 10). */
    static Summary deepDifference(SweepResult<RunSpec> deep, int depth) {
        return deep.pairedDifference(r -> r.norm() == Norm.NONE && DEPTH.get(r) == depth, r -> r.norm() == Norm.BN && DEPTH.get(r) == depth,
                OtherNormsStudy::finalLossOrChance);
    }

    /**
     * One network's results: its learning curves (test accuracy for the LRN LeNet, training loss for the others) and
     * its final training loss and test accuracy per norm.
     */
    public record Network(XYChart curves, Table trainLoss, Table testAcc) {}

    /**
     * What the study found: the LRN LeNet, the deep MLPs (all depths in one {@link Network}) and the MBConv net, wall
     * time per run, the learning rate each arm was tuned to on the validation split, and the C12 and C15 verdicts (the
     * deep MLP's per depth: {@code c15Deep} at 20 layers, {@code c15Deep50}, and {@code c15Deep100} at full scale only).
     */
    public record Report(Findings findings, Network lrn, Network deep, Network mbconv, Table wallTime, Table lrTuning, Verdict c12, Verdict c15Deep,
                         Verdict c15MbConv, Verdict c15Deep50, Optional<Verdict> c15Deep100, Anchor lrnAnchor, Anchor mbconvAnchor) implements StudyReport {}

    /** Mean wall time per run, per sweep and arm (its norm, and its depth for the deep MLPs; seconds): what each model costs in pure Java. */
    static Table wallTime(List<SweepResult<RunSpec>> sweeps) {
        var sweep = StringColumn.create("sweep");
        var arm = StringColumn.create("arm");
        var seconds = DoubleColumn.create("mean wall time per run (s)");
        for (SweepResult<RunSpec> s : sweeps) {
            for (var g : s.groups().entrySet()) {
                sweep.append(s.name());
                List<Object> key = g.getKey();
                arm.append(key.size() == 1 ? String.valueOf(key.get(0))
                        : IntStream.range(0, key.size()).mapToObj(i -> s.fields().get(i).name() + "=" + key.get(i)).collect(Collectors.joining(" ")));
                seconds.append(g.getValue().stream().mapToDouble(r -> r.log().wallSeconds()).average().orElse(Double.NaN));
            }
        }
        return Table.create("wall time per run", sweep, arm, seconds);
    }
}
