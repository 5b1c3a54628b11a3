package org.normlab.studies;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.normlab.data.Dataset;
import org.normlab.experiment.Engine;
import org.normlab.experiment.Axes;
import org.normlab.experiment.Findings;
import org.normlab.experiment.Plan;
import org.normlab.experiment.Experiment;
import org.normlab.experiment.InferenceModes;
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
import org.normlab.model.ModelSpec;
import org.normlab.nn.Mode;
import org.normlab.nn.loss.SoftmaxCrossEntropy;
import org.normlab.norm.Norm;
import org.normlab.tensor.Rng;
import org.normlab.train.Trainer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Claim C10 (BN is awkward in recurrent networks; LN suits them): a row-by-row Fashion-MNIST LSTM (28 steps of 28
 * pixels, the last hidden state classifies) with no normalization, layer normalization (Ba et al. 2016: the input and
 * recurrent terms and the cell state normalized per sample) and recurrent batch normalization with separate statistics
 * per time step (Cooijmans et al. 2016), the latter with γ₀ = 1 and with Cooijmans et al.'s γ₀ = 0.1; and the same four
 * arms for a GRU (input and recurrent terms normalized; it has no cell state). Same seeds, learning rate and budget
 * for every variant; LSTM and GRU arms are compared within their cell only. Trained BN and LN LSTMs are then run at inference with running
 * statistics and, as when {@code eval()} is forgotten, with the statistics of the test batch at several batch sizes.
 */
public final class RecurrentStudy implements Study<RecurrentStudy.Report> {
    public static final double LR = 0.5;
    /**
     * Pixels are centred (x − 0.5). On raw [0, 1] pixels a blank image row is the zero vector: the LN LSTM's state then
     * stays exactly zero over a leading run of blank rows, and each step of it multiplies the backward signal by
     * γ/√ε ≈ 316 (normalizing a zero vector), so the gradient explodes at initialization; the "init-gradients" table
     * shows it.
     */
    public static final double INPUT_SHIFT = -0.5;

    @Override public String name() { return "recurrent"; }

    @Override public String title() { return "C10: row-by-row LSTM and GRU with none / LN / BN per time step (γ₀ = 1 and 0.1)"; }

    /** When the GRU arms were added (issue #13), after the LSTM arms' smoke and default results had been seen. */
    static final String GRU_ADDED = "2026-12-03 (issue #13): GRU arms and their three criteria added after the LSTM arms' smoke"
            + " and default results had been seen, before any GRU run; ";

    public static int seeds(Scale scale) { return scale.pick(2, 3, 5); }

    static RunSpec base(Scale scale) { return base(scale, ModelSpec.Recurrent.Cell.LSTM); }

    /** The study's run for {@code cell}: the LSTM's settings, budget and seeds for every cell. */
    static RunSpec base(Scale scale, ModelSpec.Recurrent.Cell cell) {
        return RunSpec.recurrent(cell, scale.pick(32, 64, 128))
                .withLr(LR).withBatchSize(64).withInputShift(INPUT_SHIFT)
                .withTrainSize(scale.pick(2_048, 60_000, 60_000)).withTestSize(scale.pick(500, 2_000, 10_000))
                .withEpochs(scale.pick(1, 2, 5)).withMaxSteps(scale.pick(30, 1_500, 0))
                .withLogEvery(scale.pick(5, 75, 200));
    }

    /** none, LN and BN per step, all with γ₀ = 1. */
    public static Sweep<RunSpec> normSweep(Scale scale) {
        return Sweep.of("recurrent-" + scale, base(scale)).vary(Axes.NORM, Norm.NONE, Norm.LN, Norm.BN).seeds(seeds(scale));
    }

    /** BN per step with Cooijmans et al.'s γ₀ = 0.1. */
    public static Sweep<RunSpec> smallGammaSweep(Scale scale) {
        return Sweep.of("recurrent-gamma-" + scale, base(scale).withNorm(Norm.BN)).vary(Axes.GAMMA0, 0.1).seeds(seeds(scale));
    }

    /** The GRU's none, LN and BN per step, all with γ₀ = 1. */
    public static Sweep<RunSpec> gruNormSweep(Scale scale) {
        return Sweep.of("recurrent-gru-" + scale, base(scale, ModelSpec.Recurrent.Cell.GRU)).vary(Axes.NORM, Norm.NONE, Norm.LN, Norm.BN)
                .seeds(seeds(scale));
    }

    /** The GRU's BN per step with γ₀ = 0.1. */
    public static Sweep<RunSpec> gruSmallGammaSweep(Scale scale) {
        return Sweep.of("recurrent-gru-gamma-" + scale, base(scale, ModelSpec.Recurrent.Cell.GRU).withNorm(Norm.BN)).vary(Axes.GAMMA0, 0.1)
                .seeds(seeds(scale));
    }

    @Override
    public String learningRate(Scale scale) {
        return "not tuned (missing under #11): one shared SGD rate " + LR + " for every variant; per-arm tuning of the LSTMs and GRUs is not wired yet";
    }

    /**
     * The LSTM's three criteria, then the GRU's three. Each carries the budget of its own cell's sweeps. The LSTM's
     * are unchanged but for their registration, which records that the study (and so their Holm family) grew.
     */
    @Override
    public List<Verdict.Criterion> criteria(Scale scale) {
        String centred = "the pixels were centred after the first smoke runs, in which every LN LSTM diverged at its second step (notebook 09)";
        String lstmRevision = centred + "; " + GRU_ADDED + "this criterion's statistic, arms and budget are unchanged, its Holm family has three more claims";
        String gruRevision = GRU_ADDED + "the same statistic, arms, budget and centred pixels as the LSTM's criterion of the same name";
        String lstmBudget = Plan.of(name(), scale, normSweep(scale), smallGammaSweep(scale)).budget();
        String gruBudget = Plan.of(name(), scale, gruNormSweep(scale), gruSmallGammaSweep(scale)).budget();
        return List.of(
                Verdict.Criterion.above("C10 (LN helps)", "final train loss (none) − final train loss (LN), paired by seed", 0).changedAfterResults(lstmRevision).withBudget(lstmBudget),
                Verdict.Criterion.above("C10 (LN over BN)", "final train loss (BN per step, γ₀=1) − final train loss (LN), paired by seed", 0).changedAfterResults(lstmRevision).withBudget(lstmBudget),
                Verdict.Criterion.above("C10 (γ₀ = 0.1)", "final train loss (BN per step, γ₀=1) − (BN per step, γ₀=0.1), paired by seed", 0).changedAfterResults(lstmRevision).withBudget(lstmBudget),
                Verdict.Criterion.above("C10 GRU (LN helps)", "GRU: final train loss (none) − final train loss (LN), paired by seed", 0).changedAfterResults(gruRevision).withBudget(gruBudget),
                Verdict.Criterion.above("C10 GRU (LN over BN)", "GRU: final train loss (BN per step, γ₀=1) − final train loss (LN), paired by seed", 0).changedAfterResults(gruRevision).withBudget(gruBudget),
                Verdict.Criterion.above("C10 GRU (γ₀ = 0.1)", "GRU: final train loss (BN per step, γ₀=1) − (BN per step, γ₀=0.1), paired by seed", 0).changedAfterResults(gruRevision).withBudget(gruBudget));
    }

    static Predicate<RunSpec> variant(Norm norm, double gamma0) {
        return c -> c.norm().equals(norm) && c.gamma0() == gamma0;
    }

    @Override
    public Plan plan(Scale scale) {
        return Plan.of(name(), scale, normSweep(scale), smallGammaSweep(scale), gruNormSweep(scale), gruSmallGammaSweep(scale))
                .note("inference check: one BN-per-step and one LN LSTM (seed 0), at most " + shortBudget(scale).maxSteps() + " steps")
                .note("gradients at initialization: none, LN and BN on raw and centred pixels, 64 training images");
    }

    @Override
    public Report run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, Engine engine) {
        SweepResult<RunSpec> norms = normSweep(scale).run(train, test, store, progress, engine);
        SweepResult<RunSpec> gamma = smallGammaSweep(scale).run(train, test, store, progress, engine);
        List<Results.Run<RunSpec>> all = new ArrayList<>(norms.runs());
        all.addAll(gamma.runs());
        SweepResult<RunSpec> both = SweepResult.of(name() + "-" + scale, all, Axes.NORM, Axes.GAMMA0);
        List<Results.Run<RunSpec>> gruAll = new ArrayList<>(gruNormSweep(scale).run(train, test, store, progress, engine).runs());
        gruAll.addAll(gruSmallGammaSweep(scale).run(train, test, store, progress, engine).runs());
        SweepResult<RunSpec> gru = SweepResult.of(name() + "-gru-" + scale, gruAll, Axes.NORM, Axes.GAMMA0);
        List<Results.Run<RunSpec>> everyRun = new ArrayList<>(all);
        everyRun.addAll(gruAll);
        List<Verdict.Criterion> c = declaredCriteria(scale);
        ToDoubleFunction<Results.Run<RunSpec>> lastLoss = r -> SweepResult.finalOrChance(r, Trainer.TRAIN_LOSS);
        Findings.Builder parts = Findings.builder(name(), scale);
        Verdict c10LnHelps = parts.verdict(c.get(0).judge(both.pairedDifference(variant(Norm.NONE, 1), variant(Norm.LN, 1), lastLoss)));
        Verdict c10LnOverBn = parts.verdict(c.get(1).judge(both.pairedDifference(variant(Norm.BN, 1), variant(Norm.LN, 1), lastLoss)));
        Verdict c10SmallGamma = parts.verdict(c.get(2).judge(both.pairedDifference(variant(Norm.BN, 1), variant(Norm.BN, 0.1), lastLoss)));
        Verdict gruLnHelps = parts.verdict(c.get(3).judge(gru.pairedDifference(variant(Norm.NONE, 1), variant(Norm.LN, 1), lastLoss)));
        Verdict gruLnOverBn = parts.verdict(c.get(4).judge(gru.pairedDifference(variant(Norm.BN, 1), variant(Norm.LN, 1), lastLoss)));
        Verdict gruSmallGamma = parts.verdict(c.get(5).judge(gru.pairedDifference(variant(Norm.BN, 1), variant(Norm.BN, 0.1), lastLoss)));

        XYChart trainLoss = parts.figure("train-loss", both.curves(Trainer.TRAIN_LOSS));
        XYChart testAcc = parts.figure("test-acc", both.curves(Trainer.TEST_ACC));
        Table finalLoss = parts.table("final-loss", both.finalSummary(Trainer.TRAIN_LOSS));
        Table finalTestAcc = parts.table("final-test-acc", both.finalSummary(Trainer.TEST_ACC));
        Gru gruParts = new Gru(parts.figure("gru-train-loss", gru.curves(Trainer.TRAIN_LOSS)), parts.figure("gru-test-acc", gru.curves(Trainer.TEST_ACC)),
                parts.table("gru-final-loss", gru.finalSummary(Trainer.TRAIN_LOSS)), parts.table("gru-final-test-acc", gru.finalSummary(Trainer.TEST_ACC)),
                gruLnHelps, gruLnOverBn, gruSmallGamma);

        // Inference: one BN-per-step and one LN LSTM (seed 0) on a short budget of their own.
        RunSpec shortBudget = shortBudget(scale);
        Dataset probe = test.head(scale.pick(256, 2_000, 10_000));
        var bnModel = Experiment.train(shortBudget.withNorm(Norm.BN), train, probe, null).model();
        var lnModel = Experiment.train(shortBudget.withNorm(Norm.LN), train, probe, null).model();
        Table modes = InferenceModes.table(bnModel, lnModel, probe);
        modes.setName("LSTM test accuracy by mode and batch size (BN = BN per time step; NaN: BN cannot train on one sequence)");
        parts.table("inference-modes", modes);
        Table initGradients = parts.table("init-gradients", initialGradients(base(scale), train));
        return new Report(parts.build(SweepResult.of(name() + "-" + scale, everyRun, Axes.MODEL, Axes.NORM, Axes.GAMMA0)), trainLoss, testAcc,
                finalLoss, finalTestAcc, modes, initGradients, c10LnHelps, c10LnOverBn, c10SmallGamma, gruParts);
    }

    /** The LSTMs of the inference check (seed 0): the study's budget cut to a few steps. */
    static RunSpec shortBudget(Scale scale) { return base(scale).withMaxSteps(scale.pick(30, 300, 1_000)); }

    /**
     * What the study found: the LSTM's training loss and test accuracy (curves and final values), test accuracy of
     * trained BN and LN LSTMs by inference mode and batch size, gradients at initialization on raw and centred pixels,
     * the LSTM's C10 verdicts, and the GRU's curves, final values and verdicts.
     */
    public record Report(Findings findings, XYChart trainLoss, XYChart testAcc, Table finalLoss, Table finalTestAcc, Table inferenceModes,
                         Table initGradients, Verdict c10LnHelps, Verdict c10LnOverBn, Verdict c10SmallGamma, Gru gru) implements StudyReport {}

    /** The GRU arms: training loss and test accuracy (curves and final values) and their three C10 verdicts. */
    public record Gru(XYChart trainLoss, XYChart testAcc, Table finalLoss, Table finalTestAcc, Verdict lnHelps, Verdict lnOverBn,
                      Verdict smallGamma) {}

    /**
     * The largest |∂L/∂θ| over all parameters, at initialization (seed 0), on the first 64 training images, for each
     * norm on raw and on centred pixels.
     */
    static Table initialGradients(RunSpec base, Dataset train) {
        StringColumn norm = StringColumn.create("norm"), pixels = StringColumn.create("pixels");
        DoubleColumn largest = DoubleColumn.create("largest |gradient|");
        StringColumn finite = StringColumn.create("all finite");
        Dataset batch = train.head(64);
        for (Norm n : List.of(Norm.NONE, Norm.LN, Norm.BN)) {
            for (double shift : new double[] {0, INPUT_SHIFT}) {
                var model = Experiment.model(base.withNorm(n).withInputShift(shift).withSeed(0), new Rng(0).split());
                var r = SoftmaxCrossEntropy.evaluate(model.forward(batch.inputs(), Mode.TRAIN), batch.labels());
                model.backward(r.gradLogits());
                double max = 0;
                for (var p : model.params()) for (float g : p.grad().data()) max = Double.isNaN(g) || Double.isNaN(max) ? Double.NaN : Math.max(max, Math.abs(g));
                norm.append(n.label());
                pixels.append(shift == 0 ? "raw [0, 1]" : "centred (x − 0.5)");
                largest.append(max);
                finite.append(Double.isFinite(max) ? "yes" : "no");
            }
        }
        return Table.create("largest |∂L/∂θ| at initialization, first 64 training images (blank: NaN)", norm, pixels, largest, finite);
    }
}
