package org.normlab.studies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.normlab.data.Dataset;
import org.normlab.experiment.Axes;
import org.normlab.experiment.Experiment;
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
import org.normlab.plot.Charts;
import org.normlab.train.Trainer;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Claim C6 (BN regularizes: a smaller train/test gap, less need for dropout). A ReLU MLP (2×256) trained long on a
 * small Fashion-MNIST subset, so that it overfits; the statistic is the <em>generalization gap</em>, final training
 * accuracy minus final test accuracy, both measured in EVAL mode ({@link org.normlab.experiment.Measurements#evalTrain}: no dropout, BN with
 * running statistics), so dropout's noise does not enter the training side.
 *
 * <ul>
 *   <li>{none, BN} × dropout {0, 0.5};</li>
 *   <li>Ghost BN: virtual batches of 8 and 32 within the batch of 128, against plain BN (virtual batch = the whole
 *       batch); smaller virtual batches mean noisier statistics, the regularizer Hoffer et al. credit;</li>
 *   <li>BN with L2 weight decay on the weights only, or on γ/β as well.</li>
 * </ul>
 * Runs shared by two comparisons (BN, dropout 0) are the same config and are computed once.
 */
public final class RegularizationStudy implements Study {
    public static final int BATCH = 128;
    public static final double WEIGHT_DECAY = 5e-3;

    @Override public String name() { return "regularization"; }

    @Override public String title() { return "C6: train/test gap with {none, BN} × dropout {0, 0.5}; Ghost BN sizes; weight decay on γ/β"; }

    public static int seeds(Scale scale) { return scale.pick(2, 5, 8); }

    static RunSpec base(Scale scale) {
        int n = scale.pick(512, 2_000, 5_000), epochs = scale.pick(3, 30, 60);
        return RunSpec.mlp(List.of(256, 256), Activation.Kind.RELU).withLr(0.05).withMomentum(0.9).withBatchSize(BATCH)
                .withTrainSize(n).withTestSize(scale.pick(500, 2_000, 10_000)).withEpochs(epochs)
                .withLogEvery(Math.max(1, n / BATCH * Math.max(1, epochs / 10))).withEvalTrain(true);
    }

    public static Sweep<RunSpec> dropoutSweep(Scale scale) {
        return Sweep.of("regularization-dropout-" + scale, base(scale)).vary(Axes.NORM, Norm.NONE, Norm.BN).vary(Axes.DROPOUT, 0.0, 0.5).seeds(seeds(scale));
    }

    public static Sweep<RunSpec> ghostSweep(Scale scale) {
        return Sweep.of("regularization-ghost-" + scale, base(scale)).vary(Axes.NORM, Norm.GHOST(8), Norm.GHOST(32)).seeds(seeds(scale));
    }

    public static Sweep<RunSpec> decaySweep(Scale scale) {
        return Sweep.of("regularization-decay-" + scale, base(scale).withNorm(Norm.BN).withWeightDecay(WEIGHT_DECAY))
                .vary(Axes.DECAY_NORM_PARAMS, true, false).seeds(seeds(scale));
    }

    @Override
    public List<Verdict.Criterion> criteria(Scale scale) {
        return List.of(
                Verdict.Criterion.above("C6 (BN narrows the train/test gap)", "gap(none) − gap(BN), dropout 0, paired by seed", 0),
                Verdict.Criterion.above("C6 (less need for dropout with BN)",
                        "[gap(none) − gap(none + dropout 0.5)] − [gap(BN) − gap(BN + dropout 0.5)], paired by seed", 0),
                Verdict.Criterion.above("C6 (smaller ghost batches regularize more)", "gap(BN, batch " + BATCH + ") − gap(Ghost BN, virtual batch 8), paired by seed", 0),
                Verdict.Criterion.above("C6 (weight decay on γ/β regularizes)",
                        "gap(BN, γ/β not decayed) − gap(BN, γ/β decayed), weight decay " + WEIGHT_DECAY + ", paired by seed", 0));
    }

    /** Final training accuracy (EVAL mode, {@link Experiment#TRAIN_EVAL_ACC}) minus final test accuracy; NaN if diverged or failed. */
    public static double gap(Results.Run<RunSpec> r) {
        return SweepResult.finalValue(r, Experiment.TRAIN_EVAL_ACC) - SweepResult.finalValue(r, Trainer.TEST_ACC);
    }

    private static Predicate<RunSpec> is(Norm norm, double dropout) { return c -> c.norm().equals(norm) && c.dropout() == dropout; }

    @Override
    public StudyReport run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, int threads) {
        SweepResult<RunSpec> dropout = dropoutSweep(scale).run(train, test, store, progress, threads);
        SweepResult<RunSpec> ghostOnly = ghostSweep(scale).run(train, test, store, progress, threads);
        SweepResult<RunSpec> decay = decaySweep(scale).run(train, test, store, progress, threads);
        // Plain BN at dropout 0 is Ghost BN with the whole batch as its virtual batch: the same runs join the ghost comparison.
        List<Results.Run<RunSpec>> ghostRuns = new ArrayList<>(ghostOnly.runs());
        ghostRuns.addAll(dropout.where(is(Norm.BN, 0.0)));
        SweepResult<RunSpec> ghost = SweepResult.of(ghostOnly.name(), ghostRuns, Axes.NORM);

        List<Verdict.Criterion> c = criteria(scale);
        List<Verdict> verdicts = List.of(
                c.get(0).judge(dropout.pairedDifference(is(Norm.NONE, 0), is(Norm.BN, 0), RegularizationStudy::gap)),
                c.get(1).judge(dropout.pairedInteraction(is(Norm.NONE, 0), is(Norm.NONE, 0.5), is(Norm.BN, 0), is(Norm.BN, 0.5), RegularizationStudy::gap)),
                c.get(2).judge(ghost.pairedDifference(r -> r.norm().equals(Norm.BN), r -> r.norm().equals(Norm.GHOST(8)), RegularizationStudy::gap)),
                c.get(3).judge(decay.pairedDifference(r -> !r.decayNormParams(), RegularizationStudy::decayed, RegularizationStudy::gap)));

        Map<String, Table> tables = new LinkedHashMap<>();
        Map<String, Chart<?, ?>> figures = new LinkedHashMap<>();
        Table dropoutGap = withAccuracies(dropout, "train/test gap");
        tables.put("dropout-gap", dropoutGap);
        Table bars = dropoutGap.copy();
        StringColumn label = StringColumn.create("dropout p");
        for (double p : bars.doubleColumn("dropout")) label.append("dropout " + p);
        bars.addColumns(label);
        figures.put("dropout-gap", Charts.bars(bars, "norm", "dropout p", "train/test gap", "ci95_lo", "ci95_hi",
                "Train accuracy − test accuracy (both in EVAL mode), " + base(scale).trainSize() + " training images"));
        XYChart trainCurves = dropout.curves(Experiment.TRAIN_EVAL_ACC);
        trainCurves.setTitle("Training-set accuracy (EVAL mode) during training");
        figures.put("train-acc-curves", trainCurves);
        XYChart testCurves = dropout.curves(Trainer.TEST_ACC);
        testCurves.setTitle("Test accuracy during training");
        figures.put("test-acc-curves", testCurves);

        Table ghostGap = withAccuracies(ghost, "train/test gap");
        tables.put("ghost-gap", ghostGap);
        Table ghostBars = ghostGap.copy();
        StringColumn virtual = StringColumn.create("virtual batch");
        for (String n : ghostBars.stringColumn("norm")) virtual.append(n.equals("BN") ? "BN (virtual batch " + BATCH + ")" : n);
        ghostBars.addColumns(virtual);
        figures.put("ghost-gap", Charts.bars(ghostBars, "virtual batch", "virtual batch", "train/test gap", "ci95_lo", "ci95_hi",
                "Ghost BN: train/test gap by virtual batch size (batch " + BATCH + ")"));

        Table decayGap = withAccuracies(decay, "train/test gap");
        tables.put("decay-gap", decayGap);
        Table decayBars = decayGap.copy();
        StringColumn decayed = StringColumn.create("weight decay on");
        for (String d : decayBars.stringColumn("decayNormParams")) decayed.append(Boolean.parseBoolean(d) ? "weights and γ/β" : "weights only");
        decayBars.addColumns(decayed);
        figures.put("decay-gap", Charts.bars(decayBars, "weight decay on", "weight decay on", "train/test gap", "ci95_lo", "ci95_hi",
                "BN with weight decay " + WEIGHT_DECAY + ": on the weights only, or on γ/β too"));

        List<Results.Run<RunSpec>> all = new ArrayList<>(dropout.runs());
        all.addAll(ghostOnly.runs());
        all.addAll(decay.runs());
        return new StudyReport(name(), scale, SweepResult.of(name(), all, Axes.NORM, Axes.DROPOUT, Axes.DECAY_NORM_PARAMS), tables, figures, verdicts);
    }

    private static boolean decayed(RunSpec c) { return c.decayNormParams(); }

    /** The gap summary per group, with the final training (EVAL) and test accuracies' means appended. */
    static Table withAccuracies(SweepResult<RunSpec> s, String gapName) {
        Table t = s.summary(gapName, RegularizationStudy::gap);
        Table train = s.finalSummary(Experiment.TRAIN_EVAL_ACC), test = s.finalSummary(Trainer.TEST_ACC);
        t.addColumns(train.doubleColumn("final " + Experiment.TRAIN_EVAL_ACC).copy(), test.doubleColumn("final " + Trainer.TEST_ACC).copy());
        return t;
    }
}
