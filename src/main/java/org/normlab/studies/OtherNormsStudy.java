package org.normlab.studies;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.normlab.data.Dataset;
import org.normlab.experiment.Engine;
import org.normlab.experiment.Axes;
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
 *   <li>C15a: a 20-layer ReLU MLP (19 hidden layers of 64, He init), without and with BN; statistic: final training
 *       loss none − BN, paired by seed;</li>
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

    @Override public String name() { return "other-norms"; }

    @Override public String title() { return "C12/C15: LRN in LeNet; a 20-layer MLP and a small MBConv net with and without BN"; }

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
        return Sweep.of("other-norms-deep-" + scale, base).vary(Axes.NORM, Norm.NONE, Norm.BN).seeds(seeds(scale));
    }

    /**
     * The MBConv net, evaluated on 500 test images: the trainer evaluates in batches of up to 1 000, and at 1 000 the
     * expanded 14×14 feature maps of two parallel runs overflow a 1 GB kernel heap.
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
        return "LRN LeNet: " + tuning(scale, lrnSweep(scale)).describe() + ". 20-layer MLP: " + tuning(scale, deepSweep(scale)).describe()
                + ". MBConv: " + tuning(scale, mbconvSweep(scale)).describe();
    }

    @Override
    public List<Verdict.Criterion> criteria(Scale scale) {
        return List.of(
                Verdict.Criterion.above("C12", "final test accuracy, LeNet: LRN − none, paired by seed", 0).changedAfterResults(TUNED_AFTER_RESULTS),
                Verdict.Criterion.above("C15 (20-layer MLP)", "final training loss: none − BN, paired by seed (diverged = ln 10)", 0)
                        .changedAfterResults("the 20-layer MLP's budget went from 12 000 images to one epoch of 60 000 after a first "
                                + "default-scale run gave INCONCLUSIVE (notebook 11); " + TUNED_AFTER_RESULTS),
                Verdict.Criterion.above("C15 (MBConv)", "final training loss: none − BN, paired by seed (diverged = ln 10)", 0)
                        .changedAfterResults(TUNED_AFTER_RESULTS));
    }

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
        Verdict c15Deep = parts.verdict(c.get(1).judge(deep.pairedDifference(r -> r.norm() == Norm.NONE, r -> r.norm() == Norm.BN, OtherNormsStudy::finalLossOrChance)));
        Verdict c15MbConv = parts.verdict(c.get(2).judge(mbconv.pairedDifference(r -> r.norm() == Norm.NONE, r -> r.norm() == Norm.BN,
                OtherNormsStudy::finalLossOrChance)));
        List<Results.Run<RunSpec>> all = new ArrayList<>(lrn.runs());
        all.addAll(deep.runs());
        all.addAll(mbconv.runs());
        return new Report(parts.build(SweepResult.of(name(), all, Axes.MODEL, Axes.NORM)), new Network(lrnCurves, lrnTrainLoss, lrnTestAcc),
                new Network(deepCurves, deepTrainLoss, deepTestAcc), new Network(mbconvCurves, mbconvTrainLoss, mbconvTestAcc), wallTime, lrTuning,
                c12, c15Deep, c15MbConv);
    }

    /**
     * One network's results: its learning curves (test accuracy for the LRN LeNet, training loss for the others) and
     * its final training loss and test accuracy per norm.
     */
    public record Network(XYChart curves, Table trainLoss, Table testAcc) {}

    /**
     * What the study found: the LRN LeNet, the 20-layer MLP and the MBConv net, wall time per run, the learning rate
     * each arm was tuned to on the validation split, and the C12 and C15 verdicts.
     */
    public record Report(Findings findings, Network lrn, Network deep, Network mbconv, Table wallTime, Table lrTuning, Verdict c12, Verdict c15Deep, Verdict c15MbConv)
            implements StudyReport {}

    /** Mean wall time per run, per sweep and norm (seconds): what each model costs in pure Java. */
    static Table wallTime(List<SweepResult<RunSpec>> sweeps) {
        var sweep = StringColumn.create("sweep");
        var norm = StringColumn.create("norm");
        var seconds = DoubleColumn.create("mean wall time per run (s)");
        for (SweepResult<RunSpec> s : sweeps) {
            for (var g : s.groups().entrySet()) {
                sweep.append(s.name());
                norm.append(String.valueOf(g.getKey().get(0)));
                seconds.append(g.getValue().stream().mapToDouble(r -> r.log().wallSeconds()).average().orElse(Double.NaN));
            }
        }
        return Table.create("wall time per run", sweep, norm, seconds);
    }
}
