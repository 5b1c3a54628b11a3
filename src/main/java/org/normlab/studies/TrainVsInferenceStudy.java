package org.normlab.studies;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.normlab.data.Dataset;
import org.normlab.experiment.Anchor;
import org.normlab.experiment.DataSpec;
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
import org.normlab.experiment.Summary;
import org.normlab.experiment.Sweep;
import org.normlab.experiment.SweepResult;
import org.normlab.experiment.Tables;
import org.normlab.experiment.Verdict;
import org.normlab.nn.Activation;
import org.normlab.nn.Mode;
import org.normlab.nn.Sequential;
import org.normlab.norm.Norm;
import org.normlab.plot.Charts;
import org.normlab.diagnostics.Diagnostics;
import org.normlab.diagnostics.SanityChecks;
import org.normlab.norm.RunningStatistics;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Claims C9 (BN behaves differently at training and inference; LN does not), C1 (γ, β can recover the identity)
 * and C16 (sanity checks of a BN implementation).
 *
 * <p>The d2l set-up — LeNet with BN, sigmoid, SGD lr 1.0, batch 256 — is trained while test accuracy is measured
 * twice at every log point: with the EMA running statistics BN keeps (what inference uses), and with precise
 * statistics recomputed over 20 training batches with the weights frozen ({@link org.normlab.diagnostics.PreciseBn}).
 * d2l reports the EMA test accuracy swinging between 0.57 and 0.89 from run to run while training accuracy stays
 * near 0.90; the momentum sweep shows how the EMA's memory sets that noise. A LayerNorm LeNet is the control.
 */
public final class TrainVsInferenceStudy implements Study<TrainVsInferenceStudy.Report> {
    public static final List<Double> MOMENTA = List.of(0.01, 0.1, 0.5);
    public static final int PRECISE_BATCHES = 20;

    @Override public String name() { return "train-vs-inference"; }

    @Override public String title() { return "C9/C1/C16: EMA vs precise BN statistics, momentum, batch-1 inference, eval mode, sanity checks"; }

    public static int seeds(Scale scale) { return scale.pick(2, 3, 5); }

    static RunSpec d2l(Scale scale) {
        return RunSpec.lenet(Activation.Kind.SIGMOID).withNorm(Norm.BN).withLr(1.0).withBatchSize(256).withSampling(DataSpec.Sampling.PER_SEED)
                .withTrainSize(scale.pick(2048, 60_000, 60_000)).withTestSize(scale.pick(1000, 10_000, 10_000))
                .withEpochs(scale.pick(1, 2, 10)).withLogEvery(scale.pick(2, 47, 47))
                .withPreciseBnBatches(scale.pick(4, PRECISE_BATCHES, PRECISE_BATCHES));
    }

    public static Sweep<RunSpec> bnSweep(Scale scale) {
        return Sweep.of("train-vs-inference-bn-" + scale, d2l(scale)).vary(Axes.BN_MOMENTUM, MOMENTA).seeds(seeds(scale));
    }

    public static Sweep<RunSpec> lnSweep(Scale scale) {
        return Sweep.of("train-vs-inference-ln-" + scale, d2l(scale).withNorm(Norm.LN).withPreciseBnBatches(0)).vary(Axes.NORM, Norm.LN)
                .seeds(seeds(scale));
    }

    @Override
    public String learningRate(Scale scale) {
        return "not tuned: d2l's LeNet-BN set-up replicated (SGD lr 1.0, batch 256); C9 compares two ways of evaluating the same runs "
                + "(running vs recomputed statistics), not arms trained at different rates; the LN control and C1 are checks";
    }

    @Override
    public List<Verdict.Criterion> criteria(Scale scale) {
        return List.of(
                Verdict.Criterion.above("C9", "std of test accuracy over the second half of training: EMA statistics − precise statistics (momentum 0.1), per seed", 0).changedAfterResults(Revisions.PER_SEED_SUBSETS),
                Verdict.Criterion.below("C9 (LN control)", "max |TRAIN-mode − EVAL-mode output| of the trained LN model, per seed", 1e-6).check().changedAfterResults(Revisions.PER_SEED_SUBSETS),
                Verdict.Criterion.below("C1", "max |BN(x) − x| with γ = √(σ²+ε), β = μ, over 5 random inputs", 1e-4).check());
    }

    /** Standard deviation of a metric over the second half of a run's logged points (NaN if the run has none). */
    static double secondHalfStd(RunLog log, String metric) {
        List<Double> v = new ArrayList<>();
        for (RunLog.Point p : log.points()) if (p.metric().equals(metric)) v.add(p.value());
        List<Double> half = v.subList(v.size() / 2, v.size());
        return half.size() < 2 ? Double.NaN : Summary.of(half.stream().mapToDouble(d -> d).toArray()).sd();
    }

    @Override
    public Plan plan(Scale scale) {
        return Plan.of(name(), scale, bnSweep(scale), lnSweep(scale))
                .note("inference checks: one BN and one LN LeNet (seed 0), " + shortBudget(scale).trainSize() + " training images, 1 epoch")
                .note("C9 LN control: " + seeds(scale) + " LN LeNets, " + lnControl(scale).trainSize() + " training images each")
                .note("C1: γ = √(σ²+ε), β = μ on 5 random inputs");
    }

    @Override
    public Report run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, Engine engine) {
        SweepResult<RunSpec> bn = bnSweep(scale).run(train, test, store, progress, engine);
        SweepResult<RunSpec> ln = lnSweep(scale).run(train, test, store, progress, engine);
        List<Verdict.Criterion> c = declaredCriteria(scale);
        Summary emaNoise = bn.summarize(r -> r.bnMomentum() == 0.1,
                r -> secondHalfStd(r.log(), Trainer.TEST_ACC) - secondHalfStd(r.log(), Experiment.TEST_ACC_PRECISE));

        Findings.Builder parts = Findings.builder(name(), scale);
        Table finals = parts.table("final", finalTable(bn, ln));
        Table noise = parts.table("test-acc-noise", bn.summary("std of EMA test acc, 2nd half", r -> secondHalfStd(r.log(), Trainer.TEST_ACC)));
        Table noisePrecise = parts.table("test-acc-noise-precise", bn.summary("std of precise-BN test acc, 2nd half",
                r -> secondHalfStd(r.log(), Experiment.TEST_ACC_PRECISE)));
        XYChart emaVsPrecise = parts.figure("ema-vs-precise", emaVersusPrecise(bn));
        XYChart trainAcc = parts.figure("train-acc", bn.curves(Trainer.TRAIN_ACC));

        // Trained models for the inference checks: one BN and one LN LeNet, seed 0, a short budget of their own.
        RunSpec shortBudget = shortBudget(scale);
        Dataset probe = test.head(scale.pick(512, 2_000, 10_000));
        var bnModel = Experiment.train(shortBudget, train, probe, null).model();
        var lnModel = Experiment.train(shortBudget.withNorm(Norm.LN), train, probe, null).model();
        Table modes = parts.table("inference-modes", InferenceModes.table(bnModel, lnModel, probe));
        Table sanityBn = SanityChecks.run(bnModel, probe);
        sanityBn.setName("sanity checks: LeNet with BN (trained 1 epoch)");
        parts.table("sanity-bn", sanityBn);
        Table sanityLn = SanityChecks.run(lnModel, probe);
        sanityLn.setName("sanity checks: LeNet with LN (trained 1 epoch)");
        parts.table("sanity-ln", sanityLn);

        List<Double> lnGaps = new ArrayList<>();
        for (long seed = 0; seed < seeds(scale); seed++) {
            var m = Experiment.train(lnControl(scale).withSeed(seed), train, probe, null).model();
            lnGaps.add(maxModeDifference(m, probe));
        }
        double[] identity = new double[5];
        for (int i = 0; i < 5; i++) identity[i] = Diagnostics.identityRecoveryError(16, 100 + i);
        Verdict c9 = parts.verdict(c.get(0).judge(emaNoise));
        Verdict c9LnControl = parts.verdict(c.get(1).judge(Summary.of(lnGaps.stream().mapToDouble(d -> d).toArray())));
        Verdict c1 = parts.verdict(c.get(2).judge(Summary.of(identity)));
        Anchor anchor = parts.anchor(anchor(bn));
        List<Results.Run<RunSpec>> all = new ArrayList<>(bn.runs());
        all.addAll(ln.runs());
        return new Report(parts.build(SweepResult.of(name(), all, Axes.NORM, Axes.BN_MOMENTUM)), finals, noise, noisePrecise, emaVsPrecise, trainAcc,
                modes, sanityBn, sanityLn, c9, c9LnControl, c1, anchor);
    }

    /** The momentum of d2l's set-up (its running estimates keep 0.9 of the old value), the arm the anchor reads. */
    static final double D2L_MOMENTUM = 0.1;

    /**
     * d2l.ai's LeNet-BN at lr 1.0 beside ours, momentum {@link #D2L_MOMENTUM}: across runs d2l's final test accuracy
     * swings from 0.57 to 0.89 while train accuracy stays between 0.895 and 0.911. Ours: across seeds, the range of
     * the final test accuracy (EMA statistics, as d2l evaluates; precise statistics beside it) against that of the final
     * train accuracy, and within a run the second-half standard deviation of each.
     */
    static Anchor anchor(SweepResult<RunSpec> bn) {
        Predicate<RunSpec> d2l = c -> c.bnMomentum() == D2L_MOMENTUM;
        Summary train = bn.summarize(d2l, r -> SweepResult.finalValue(r, Trainer.TRAIN_ACC));
        Summary ema = bn.summarize(d2l, r -> SweepResult.finalValue(r, Trainer.TEST_ACC));
        Summary precise = bn.summarize(d2l, r -> SweepResult.finalValue(r, Experiment.TEST_ACC_PRECISE));
        Summary emaSwing = bn.summarize(d2l, r -> secondHalfStd(r.log(), Trainer.TEST_ACC));
        Summary preciseSwing = bn.summarize(d2l, r -> secondHalfStd(r.log(), Experiment.TEST_ACC_PRECISE));
        Summary trainSwing = bn.summarize(d2l, r -> secondHalfStd(r.log(), Trainer.TRAIN_ACC));
        double emaRange = ema.max() - ema.min(), trainRange = train.max() - train.min();
        return Anchor.of("C9", "d2l.ai, Batch Normalization (LeNet-BN, sigmoid, lr 1.0, batch 256, 10 epochs, Fashion-MNIST)",
                        "test accuracy 0.57–0.89 over 85 logged runs while train accuracy stays 0.895–0.911",
                "d2l's LeNet-BN (sigmoid, SGD at lr 1.0, batch 256) on Fashion-MNIST, test accuracy at every log point with the EMA running statistics and with precise statistics recomputed on frozen weights, over several seeds")
                .feature("across seeds, the final test accuracy's range (EMA statistics) is ≥ 3× the final train accuracy's",
                        String.format(Locale.ROOT, "%d seeds: test (EMA) %.3f–%.3f, range %.3f (precise BN %.3f–%.3f); train %.3f–%.3f, range %.3f",
                                ema.n(), ema.min(), ema.max(), emaRange, precise.min(), precise.max(), train.min(), train.max(), trainRange),
                        ema.n() > 1 && emaRange >= 3 * trainRange,
                        "d2l's 0.57–0.89 spans 85 logged runs of a notebook executed many times; ours spans the final points of a few seeds of one study, so a swing that is rare in any one run may not show")
                .feature("train accuracy stays near 0.90: every seed's final train accuracy ≥ 0.85, range ≤ 0.03",
                        String.format(Locale.ROOT, "train accuracy %.3f–%.3f", train.min(), train.max()), train.n() > 0 && train.min() >= 0.85 && trainRange <= 0.03,
                        "d2l trains 10 epochs on all 60 000 images; below full scale ours trains on fewer images for fewer epochs, so training accuracy has not reached 0.90")
                .feature("within a run, over the second half of training, the EMA test accuracy's std is ≥ 2× the train accuracy's (mean over seeds)",
                        String.format(Locale.ROOT, "2nd-half std: test (EMA) %.4f, test (precise BN) %.4f, train %.4f", emaSwing.mean(), preciseSwing.mean(), trainSwing.mean()),
                        emaSwing.n() > 0 && emaSwing.mean() >= 2 * trainSwing.mean(),
                        "the swing comes from running statistics that lag weights moving fast at lr 1.0; with a short budget the second half holds few log points to measure its spread")
                .build();
    }

    /** The BN LeNet of the inference checks (seed 0): one epoch, no precise statistics. */
    static RunSpec shortBudget(Scale scale) {
        return d2l(scale).withEpochs(1).withTrainSize(scale.pick(1024, 60_000, 60_000)).withPreciseBnBatches(0);
    }

    /** The LN LeNets of the C9 control, one per seed. */
    static RunSpec lnControl(Scale scale) { return shortBudget(scale).withNorm(Norm.LN).withTrainSize(scale.pick(512, 2_560, 6_400)); }

    /**
     * What the study found: final accuracies (EMA and precise statistics), the noise of the test accuracy over the
     * second half of training, inference modes and sanity checks of trained BN and LN LeNets, and the verdicts on C9,
     * its LN control, and C1, and C9's published anchor beside ours (d2l.ai's LeNet-BN).
     */
    public record Report(Findings findings, Table finals, Table testAccNoise, Table testAccNoisePrecise, XYChart emaVsPrecise, XYChart trainAcc,
                         Table inferenceModes, Table sanityBn, Table sanityLn, Verdict c9, Verdict c9LnControl, Verdict c1, Anchor anchor) implements StudyReport {}

    /** Final train accuracy and test accuracy with EMA and with precise statistics, per momentum (and for LN). */
    static Table finalTable(SweepResult<RunSpec> bn, SweepResult<RunSpec> ln) {
        Table t = bn.finalSummary(Trainer.TRAIN_ACC).copy();
        t.setName("final accuracies (mean and 95% interval over seeds)");
        Table ema = bn.finalSummary(Trainer.TEST_ACC), precise = bn.finalSummary(Experiment.TEST_ACC_PRECISE);
        Tables.appendInterval(t, ema, "final " + Trainer.TEST_ACC, "test acc (EMA)", "EMA lo", "EMA hi");
        Tables.appendInterval(t, precise, "final " + Experiment.TEST_ACC_PRECISE, "test acc (precise BN)", "precise lo", "precise hi");
        Table l = ln.finalSummary(Trainer.TRAIN_ACC), lt = ln.finalSummary(Trainer.TEST_ACC);
        StringColumn note = StringColumn.create("model");
        for (int i = 0; i < t.rowCount(); i++) note.append("BN, momentum " + t.doubleColumn("bnMomentum").getDouble(i));
        Table out = Table.create(t.name(), note, t.intColumn("n").copy().setName("seeds"), t.doubleColumn("final " + Trainer.TRAIN_ACC).copy(),
                t.doubleColumn("test acc (EMA)"), t.doubleColumn("test acc (precise BN)"));
        out.stringColumn("model").append("LN (no running statistics)");
        out.intColumn("seeds").append(l.intColumn("n").get(0));
        out.doubleColumn("final " + Trainer.TRAIN_ACC).append(l.doubleColumn("final " + Trainer.TRAIN_ACC).getDouble(0));
        out.doubleColumn("test acc (EMA)").append(lt.doubleColumn("final " + Trainer.TEST_ACC).getDouble(0));
        out.doubleColumn("test acc (precise BN)").appendMissing();
        return out;
    }

    /** Test accuracy over training with EMA statistics (solid) and precise statistics (dashed), momentum 0.1. */
    static XYChart emaVersusPrecise(SweepResult<RunSpec> bn) {
        XYChart chart = Charts.xy("LeNet-BN, lr 1.0: test accuracy with EMA vs precise BN statistics (momentum 0.1)", "step", "test accuracy");
        int index = 0;
        for (Results.Run<RunSpec> r : bn.where(c -> c.bnMomentum() == 0.1)) {
            Color color = Charts.colorOf("seed" + r.spec().seed(), index++);
            for (String metric : List.of(Trainer.TEST_ACC, Experiment.TEST_ACC_PRECISE)) {
                List<Integer> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                for (RunLog.Point p : r.log().points()) if (p.metric().equals(metric)) { x.add(p.step()); y.add(p.value()); }
                if (x.isEmpty()) continue;
                var s = chart.addSeries("seed " + r.spec().seed() + (metric.equals(Trainer.TEST_ACC) ? ", EMA" : ", precise"), x, y);
                s.setLineColor(color);
                s.setMarker(SeriesMarkers.NONE);
                s.setLineStyle(metric.equals(Trainer.TEST_ACC) ? new BasicStroke(2f)
                        : Charts.dashed(2f, 6f));
            }
        }
        return chart;
    }

    /** Max |TRAIN-mode − EVAL-mode output| over a batch: 0 for a model without batch statistics. */
    @SuppressWarnings("try")  // the resource is not named in the body: closing it restores the running statistics
    static double maxModeDifference(Sequential model, Dataset data) {
        float[] tr, ev;
        try (RunningStatistics frozen = RunningStatistics.frozen(model)) {
            tr = model.forward(data.head(64).inputs(), Mode.TRAIN).data().clone();
            ev = model.forward(data.head(64).inputs(), Mode.EVAL).data();
        }
        double max = 0;
        for (int i = 0; i < tr.length; i++) max = Math.max(max, Math.abs(tr[i] - ev[i]));
        return max;
    }
}
