package org.normlab.studies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.knowm.xchart.XYChart;
import org.normlab.data.Dataset;
import org.normlab.diagnostics.BatchEstimates;
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
import org.normlab.experiment.Study;
import org.normlab.experiment.StudyReport;
import org.normlab.experiment.Sweep;
import org.normlab.experiment.SweepResult;
import org.normlab.experiment.Verdict;
import org.normlab.experiment.stats.Interval;
import org.normlab.experiment.stats.Proportions;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.plot.Charts;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Claim C19 (small batches give inaccurate estimates of the mean and variance, which makes training unstable), in two
 * parts on a ReLU MLP 3×128 with the norm before the activation, SGD with momentum 0.9.
 *
 * <p><b>Estimates.</b> BN runs at batch {@value #REFERENCE} log, at a few points of training, how well batches of
 * 2 … 128 estimate each BN layer's input mean and variance against the same layer's input over a held-out sample at
 * the same weights ({@link BatchEstimates}). The relative mean-square error of the variance estimate should fall like
 * 1/(n − 1): for iid values Var(s²)/σ⁴ = 2/(n − 1) + κ/n, which the first BN layer (whose inputs are iid over the
 * batch) checks exactly.
 *
 * <p><b>Instability.</b> BN and LN (no batch dependence) at batch sizes 2 … 128, each (norm, batch) arm at its own
 * learning rate tuned on a validation split. Every run logs its training loss as the mean over the same number of
 * images ({@link #examplesPerLog}) whatever the batch, and a <i>loss spike</i> is a log point whose loss exceeds
 * {@value #SPIKE_FACTOR}× the median of the {@value #SPIKE_WINDOW} log points before it ({@link #spikeShare}).
 */
public final class SmallBatchStudy implements Study<SmallBatchStudy.Report> {
    public static final List<Norm> NORMS = List.of(Norm.BN, Norm.LN);
    public static final int SMALL = 2, REFERENCE = 32;
    /** A spike: a logged loss above {@code SPIKE_FACTOR} × the median of the {@code SPIKE_WINDOW} logged losses before it. */
    public static final int SPIKE_WINDOW = 5;
    public static final double SPIKE_FACTOR = 1.5;
    /** The check's tolerance: measured and predicted variance error agree within a factor 1.25 (|ln ratio| ≤ ln 1.25). */
    public static final double PREDICTION_TOLERANCE = Math.log(1.25);

    @Override public String name() { return "small-batch"; }

    @Override public String title() { return "C19: the error of BN's batch mean and variance vs batch size, and loss spikes / divergence, BN vs LN"; }

    public static int seeds(Scale scale) { return scale.pick(2, 5, 8); }

    @Override
    public List<String> design() {
        return List.of(
                "Estimates are measured on the real BN layers of a network in training (BN at batch 32, at its tuned rate), not on synthetic data: "
                        + "at a few log points, batches of 2 ... 128 drawn with replacement from held-out images pass in training mode, and each BN "
                        + "layer's batch mean and unbiased variance are compared with the same layer's input over all those images at the same weights.",
                "The variance's relative MSE against 2/(n - 1) + kurtosis/n is exact for iid values, which the first BN layer of an MLP has "
                        + "(its input is a linear map of one image); deeper layers see inputs already normalized with the batch's own statistics, so "
                        + "only the slope claim covers them. An MLP keeps n = batch size (per-feature BN), so the anchor is not blurred by H x W.",
                "Instability compares BN with LN, which has no batch dependence, at the same batch sizes, each (norm, batch) arm at its own "
                        + "tuned rate, so that an arm is not unstable merely because one shared rate suits it less. Each logged training loss is a "
                        + "mean over the same number of images at every batch size, so the noise of a log point does not depend on the batch.",
                "A spike is a log point above 1.5x the median of the five before it (robust to the falling trend); a diverged run counts as 1, "
                        + "the worst share, as the divergence policy gives a metric its worst value; divergence shares per arm are a table with "
                        + "Clopper-Pearson intervals. The interaction claim (batch 2 vs 32, BN vs LN) separates 'BN is noisier' from 'small "
                        + "batches are noisier for everyone'.");
    }

    public static List<Integer> batchSizes(Scale scale) { return scale.pick(List.of(2, 8, 32), List.of(2, 4, 8, 16, 32, 128), List.of(2, 4, 8, 16, 32, 128)); }

    public static int trainSize(Scale scale) { return scale.pick(1024, 10_000, 30_000); }

    public static int epochs(Scale scale) { return scale.pick(1, 2, 3); }

    /** Images per log point: each logged training loss is the mean over this many images (at least one batch). */
    public static int examplesPerLog(Scale scale) { return scale.pick(64, 256, 512); }

    @Override
    public String learningRate(Scale scale) {
        return tuning(scale).describe() + "; the arms are (norm, batch size); the estimate runs (BN, batch " + REFERENCE + ") take that arm's rate";
    }

    public static LearningRateTuning tuning(Scale scale) {
        return new LearningRateTuning(scale.pick(List.of(0.01, 0.1), LearningRateTuning.logGrid(0.003, 1, 6), LearningRateTuning.logGrid(0.001, 1, 7)),
                scale.pick(1, 1, 2), scale.pick(256, 2_000, 5_000));
    }

    private static RunSpec base(Scale scale) {
        return RunSpec.mlp(List.of(128, 128, 128), Activation.Kind.RELU).withMomentum(0.9).withSampling(DataSpec.Sampling.PER_SEED)
                .withTrainSize(trainSize(scale)).withTestSize(scale.pick(500, 2_000, 5_000)).withEpochs(epochs(scale));
    }

    /** The batch size with a log interval that makes every logged loss a mean over {@link #examplesPerLog} images. */
    public static Axis<RunSpec, Integer> batchAxis(Scale scale) {
        int perLog = examplesPerLog(scale);
        return Axes.BATCH_SIZE.and(Axes.LOG_EVERY, b -> Math.max(1, perLog / b));
    }

    /** BN and LN at every batch size: the instability runs. */
    public static Sweep<RunSpec> sweep(Scale scale) {
        return Sweep.of("small-batch-" + scale, base(scale)).vary(Axes.NORM, NORMS).vary(batchAxis(scale), batchSizes(scale)).seeds(seeds(scale));
    }

    /** BN at batch {@value #REFERENCE}, measuring batch estimates at a few log points against the evaluation split. */
    public static Sweep<RunSpec> estimateSweep(Scale scale) {
        RunSpec b = base(scale);
        int steps = b.trainSize() / REFERENCE * b.epochs();
        return Sweep.of("small-batch-estimates-" + scale, b.withNorm(Norm.BN).withBatchSize(REFERENCE).withLogEvery(Math.max(1, steps / 4))
                .withBatchEstimates(b.testSize())).seeds(seeds(scale));
    }

    @Override
    public List<Verdict.Criterion> criteria(Scale scale) {
        String spike = String.format(Locale.ROOT, "share of log points (from the %dth) whose training loss (mean over %d images) exceeds %.1f× the median of the "
                + "%d before it; a diverged run counts as 1", SPIKE_WINDOW + 1, examplesPerLog(scale), SPIKE_FACTOR, SPIKE_WINDOW);
        return Stream.of(
                Verdict.Criterion.below("C19 (variance estimate error falls with the batch)",
                        "least-squares slope of ln(relative MSE of the batch variance, unbiased) on ln(n − 1) over batches 2 … 128, mean over BN layers "
                                + "and log points, per seed (BN at batch " + REFERENCE + "; 2/(n − 1) scaling: −1)", 0),
                Verdict.Criterion.above("C19 (BN spikes more than LN at batch 2)", "loss-spike share BN(b=2) − LN(b=2), paired by seed; spike " + spike, 0),
                Verdict.Criterion.above("C19 (small batch raises BN's spikes more than LN's)",
                        "[spike share BN(b=2) − BN(b=32)] − [LN(b=2) − LN(b=32)], paired by seed; spike " + spike, 0),
                Verdict.Criterion.below("C19 (first BN layer follows 2/(n − 1) + κ/n)",
                        "mean over log points and batch sizes of |ln(measured / predicted relative MSE of the variance)|, first BN layer, per seed", PREDICTION_TOLERANCE)
                        .check()).map(c -> c.changedAfterResults(Revisions.FINAL_RUNS_PER_SEED)).toList();
    }

    /**
     * The share of log points i ≥ {@value #SPIKE_WINDOW} (from 0) whose training loss exceeds {@value #SPIKE_FACTOR} ×
     * the median of the {@value #SPIKE_WINDOW} before it; 1 for a diverged or failed run (the worst value, its chance
     * value under the divergence policy); NaN when fewer than {@value #SPIKE_WINDOW} + 1 points were logged.
     */
    public static double spikeShare(RunLog log) {
        if (log.diverged() || log.failed()) return 1;
        double[] loss = log.points().stream().filter(p -> p.metric().equals(Trainer.TRAIN_LOSS)).mapToDouble(RunLog.Point::value).toArray();
        if (loss.length <= SPIKE_WINDOW) return Double.NaN;
        int spikes = 0;
        for (int i = SPIKE_WINDOW; i < loss.length; i++) {
            double[] before = Arrays.copyOfRange(loss, i - SPIKE_WINDOW, i);
            Arrays.sort(before);
            if (loss[i] > SPIKE_FACTOR * before[SPIKE_WINDOW / 2]) spikes++;
        }
        return (double) spikes / (loss.length - SPIKE_WINDOW);
    }

    /**
     * Per log point and BN layer, the least-squares slope of ln(var_rel_mse) on ln(n − 1) over the logged batch sizes,
     * averaged; NaN when nothing was logged (a diverged run: no chance value, its seed is excluded and counted).
     */
    public static double varianceErrorSlope(RunLog log) {
        if (log.diverged() || log.failed()) return Double.NaN;
        double sum = 0;
        int count = 0;
        for (int k = 1; ; k++) {
            List<RunLog.Point> first = series(log, BatchEstimates.metric(k, BatchEstimates.BATCH_SIZES.get(0), BatchEstimates.VAR_REL_MSE));
            if (first.isEmpty()) break;
            for (int t = 0; t < first.size(); t++) {
                double[] x = new double[BatchEstimates.BATCH_SIZES.size()], y = new double[x.length];
                for (int j = 0; j < x.length; j++) {
                    int b = BatchEstimates.BATCH_SIZES.get(j);
                    x[j] = Math.log(b - 1);
                    y[j] = Math.log(series(log, BatchEstimates.metric(k, b, BatchEstimates.VAR_REL_MSE)).get(t).value());
                }
                sum += slope(x, y);
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Mean over log points and batch sizes of |ln(measured / predicted)| for BN layer {@code k}; NaN when not logged. */
    public static double predictionError(RunLog log, int k) {
        if (log.diverged() || log.failed()) return Double.NaN;
        double sum = 0;
        int count = 0;
        for (int b : BatchEstimates.BATCH_SIZES) {
            List<RunLog.Point> measured = series(log, BatchEstimates.metric(k, b, BatchEstimates.VAR_REL_MSE)),
                    predicted = series(log, BatchEstimates.metric(k, b, BatchEstimates.VAR_REL_MSE_PREDICTED));
            for (int t = 0; t < measured.size(); t++) {
                sum += Math.abs(Math.log(measured.get(t).value() / predicted.get(t).value()));
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    static double slope(double[] x, double[] y) {
        double mx = 0, my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / y.length;
        }
        double sxy = 0, sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }

    private static List<RunLog.Point> series(RunLog log, String metric) {
        return log.points().stream().filter(p -> p.metric().equals(metric)).toList();
    }

    private static boolean at(RunSpec c, Norm norm, int batch) { return c.norm().equals(norm) && c.batchSize() == batch; }

    @Override
    public Plan plan(Scale scale) {
        LearningRateTuning t = tuning(scale);
        List<Sweep<?>> sweeps = new ArrayList<>(t.planned(sweep(scale)));
        sweeps.add(estimateSweep(scale).perArm(spec -> spec, "lr: the rate tuned for the arm (BN, batch " + REFERENCE + ") above (the lr shown is replaced)"));
        return Plan.of(name(), scale, sweeps.toArray(Sweep<?>[]::new));
    }

    @Override
    public Report run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, Engine engine) {
        LearningRateTuning t = tuning(scale);
        LearningRateTuning.Tuned tuned = t.tuneAndRun(sweep(scale), train, test, store, progress, engine);
        SweepResult<RunSpec> runs = tuned.runs();
        double referenceLr = runs.where(x -> at(x, Norm.BN, REFERENCE)).get(0).spec().lr();
        SweepResult<RunSpec> estimates = estimateSweep(scale).perArm(spec -> spec.withLr(referenceLr),
                "lr: the rate tuned for the arm (BN, batch " + REFERENCE + ")").run(train, test, store, progress, engine);
        List<Verdict.Criterion> c = declaredCriteria(scale);
        Findings.Builder parts = Findings.builder(name(), scale);
        Verdict falls = parts.verdict(c.get(0).judge(estimates.summarize(x -> true, r -> varianceErrorSlope(r.log()))));
        Verdict spikes = parts.verdict(c.get(1).judge(runs.pairedDifference(x -> at(x, Norm.BN, SMALL), x -> at(x, Norm.LN, SMALL), r -> spikeShare(r.log()))));
        Verdict raises = parts.verdict(c.get(2).judge(runs.pairedInteraction(x -> at(x, Norm.BN, SMALL), x -> at(x, Norm.BN, REFERENCE),
                x -> at(x, Norm.LN, SMALL), x -> at(x, Norm.LN, REFERENCE), r -> spikeShare(r.log()))));
        Verdict predicted = parts.verdict(c.get(3).judge(estimates.summarize(x -> true, r -> predictionError(r.log(), 1))));

        Table lr = parts.table("lr-tuning", tuned.tuning().table());
        SweepResult<RunSpec> byArm = SweepResult.of(runs.name(), runs.runs(), Axes.NORM, Axes.BATCH_SIZE);
        Table spikeTable = parts.table("spikes", byArm.summary("loss-spike share", r -> spikeShare(r.log())));
        Table divergence = parts.table("divergence", divergenceTable(runs));
        Table finals = parts.table("final", byArm.finalSummary(Trainer.TEST_ACC));
        Table errors = parts.table("estimate-errors", estimateTable(estimates));
        XYChart varianceError = parts.figure("variance-error", logLog(Charts.versus(errors, "batch", "batch size n (log scale)", true, "series",
                BatchEstimates.VAR_REL_MSE, "relative MSE of the batch variance vs n, per BN layer (mean over seeds and log points)")));
        XYChart meanError = parts.figure("mean-error", logLog(Charts.versus(errors.where(errors.stringColumn("series").endsWith("measured")
                        .or(errors.stringColumn("series").isEqualTo("1/(n − 1)")).or(errors.stringColumn("series").isEqualTo("2/(n − 1) (Gaussian)"))),
                "batch", "batch size n (log scale)", true, "series", MEAN_ERROR,
                "(batch mean − population mean)² / σ² vs n, per BN layer (iid: 1/n)")));
        Table perRun = runsTable(runs);
        XYChart spikeFigure = parts.figure("spikes", Charts.versus(perRun, "batchSize", "batch size (log scale); lr tuned per arm", true, "norm",
                "loss-spike share", "loss-spike share vs batch size, BN vs LN"));
        XYChart curves = parts.figure("curves", SweepResult.of(runs.name(), runs.where(x -> x.batchSize() == SMALL), Axes.NORM)
                .curves(Trainer.TRAIN_LOSS, "training loss at batch " + SMALL + " (mean over " + examplesPerLog(scale) + " images per point)"));
        List<Results.Run<RunSpec>> all = new ArrayList<>(runs.runs());
        all.addAll(estimates.runs());
        return new Report(parts.build(SweepResult.of(name(), all, Axes.NORM, Axes.BATCH_SIZE)), errors, varianceError, meanError, spikeTable, spikeFigure,
                divergence, curves, finals, lr, falls, spikes, raises, predicted);
    }

    /** The mean-error column of {@link #estimateTable}. */
    public static final String MEAN_ERROR = BatchEstimates.MEAN_SQ_ERR;

    private static XYChart logLog(XYChart chart) {
        chart.getStyler().setYAxisLogarithmic(true);
        return chart;
    }

    /**
     * Per BN layer and batch size n: the measured relative MSE of the variance and the mean's squared error (means over
     * runs and log points, series "bn<k> measured"), the prediction 2/(n − 1) + κ/n ("bn<k> predicted"), and the
     * reference lines 2/(n − 1) and 1/(n − 1).
     */
    static Table estimateTable(SweepResult<RunSpec> estimates) {
        StringColumn series = StringColumn.create("series");
        IntColumn batch = IntColumn.create("batch");
        DoubleColumn var = DoubleColumn.create(BatchEstimates.VAR_REL_MSE), mean = DoubleColumn.create(MEAN_ERROR);
        for (int k = 1; ; k++) {
            boolean any = false;
            for (int b : BatchEstimates.BATCH_SIZES) {
                double[] m = meanOf(estimates, BatchEstimates.metric(k, b, BatchEstimates.VAR_REL_MSE)),
                        p = meanOf(estimates, BatchEstimates.metric(k, b, BatchEstimates.VAR_REL_MSE_PREDICTED)),
                        e = meanOf(estimates, BatchEstimates.metric(k, b, BatchEstimates.MEAN_SQ_ERR));
                if (m[1] == 0) continue;
                any = true;
                series.append("bn" + k + " measured");
                batch.append(b);
                var.append(m[0]);
                mean.append(e[0]);
                series.append("bn" + k + " predicted");
                batch.append(b);
                var.append(p[0]);
                mean.append(Double.NaN);
            }
            if (!any) break;
        }
        for (int b : BatchEstimates.BATCH_SIZES) {
            series.append("2/(n − 1) (Gaussian)");
            batch.append(b);
            var.append(2.0 / (b - 1));
            mean.append(Double.NaN);
            series.append("1/(n − 1)");
            batch.append(b);
            var.append(Double.NaN);
            mean.append(1.0 / (b - 1));
        }
        return Table.create("error of batch estimates against the held-out population, BN at batch " + REFERENCE, series, batch, var, mean);
    }

    /** {mean, count} of a metric over every logged point of every run. */
    private static double[] meanOf(SweepResult<RunSpec> s, String metric) {
        double sum = 0;
        int n = 0;
        for (Results.Run<RunSpec> r : s.runs()) {
            for (RunLog.Point p : r.log().points()) {
                if (p.metric().equals(metric)) {
                    sum += p.value();
                    n++;
                }
            }
        }
        return new double[] {n == 0 ? Double.NaN : sum / n, n};
    }

    /** Per (norm, batch): runs, diverged or failed, the share and its exact (Clopper–Pearson) 95% interval. */
    static Table divergenceTable(SweepResult<RunSpec> runs) {
        StringColumn norm = StringColumn.create("norm");
        IntColumn batch = IntColumn.create("batchSize"), count = IntColumn.create("runs"), bad = IntColumn.create("diverged or failed");
        DoubleColumn share = DoubleColumn.create("share"), lo = DoubleColumn.create("ci95_lo"), hi = DoubleColumn.create("ci95_hi");
        for (var g : SweepResult.of(runs.name(), runs.runs(), Axes.NORM, Axes.BATCH_SIZE).groups().entrySet()) {
            List<Results.Run<RunSpec>> rs = g.getValue();
            int k = (int) rs.stream().filter(r -> r.log().diverged() || r.log().failed()).count();
            Interval ci = Proportions.clopperPearson(k, rs.size(), 0.95);
            norm.append(rs.get(0).spec().norm().label());
            batch.append(rs.get(0).spec().batchSize());
            count.append(rs.size());
            bad.append(k);
            share.append((double) k / rs.size());
            lo.append(ci.lower());
            hi.append(ci.upper());
        }
        return Table.create(runs.name() + ": share of diverged runs per norm and batch size (Clopper–Pearson 95%)", norm, batch, count, bad, share, lo, hi);
    }

    /** One row per run: norm, batch size, seed, spike share (for the figure). */
    private static Table runsTable(SweepResult<RunSpec> runs) {
        StringColumn norm = StringColumn.create("norm");
        IntColumn batch = IntColumn.create("batchSize");
        LongColumn seed = LongColumn.create("seed");
        DoubleColumn share = DoubleColumn.create("loss-spike share");
        for (Results.Run<RunSpec> r : runs.runs()) {
            norm.append(r.spec().norm().label());
            batch.append(r.spec().batchSize());
            seed.append(r.spec().seed());
            share.append(spikeShare(r.log()));
        }
        return Table.create("loss-spike share per run", norm, batch, seed, share);
    }

    /**
     * What the study found: the estimate errors per layer and batch size (table, variance and mean figures), the
     * spike share and divergence per norm and batch size, training curves at batch 2, final test accuracy, the tuned
     * rates and the four verdicts.
     */
    public record Report(Findings findings, Table estimateErrors, XYChart varianceError, XYChart meanError, Table spikes, XYChart spikeFigure,
                         Table divergence, XYChart curves, Table finals, Table lrTuning, Verdict c19Falls, Verdict c19Spikes, Verdict c19Raises,
                         Verdict c19Predicted) implements StudyReport {}
}
