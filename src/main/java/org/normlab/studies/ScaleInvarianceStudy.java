package org.normlab.studies;

import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.normlab.data.Dataset;
import org.normlab.diagnostics.BnLayerTrace;
import org.normlab.diagnostics.ScaleInvariance;
import org.normlab.experiment.Axes;
import org.normlab.experiment.Experiment;
import org.normlab.experiment.DataSpec;
import org.normlab.experiment.Engine;
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
import org.normlab.experiment.Tables;
import org.normlab.experiment.Verdict;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.plot.Charts;
import org.normlab.tensor.Rng;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Claim C22 (why BN works is debated; the scale-invariance account of van Laarhoven 2017 and Arora, Li &amp; Lyu
 * 2018): with BN right after a bias-free layer the loss does not depend on the scale of that layer's weights, the
 * gradient is orthogonal to them, so SGD only lengthens them and the effective learning rate lr/‖w‖² falls; weight
 * decay shrinks them, and the two settle at an equilibrium ({@link ScaleInvariance}). On a ReLU MLP 3×256 with BN
 * before the activation, SGD with momentum 0.9 at one fixed rate, with and without weight decay (on the weights, not on
 * γ/β), every run logs the weight norm before each BN and the effective rate ({@link BnLayerTrace}). The rate is not
 * tuned: the claim is about what a given rate does to ‖w‖, and a rate tuned per arm would change the very quantity
 * compared.
 */
public final class ScaleInvarianceStudy implements Study<ScaleInvarianceStudy.Report> {
    /** The weight decay of the decay arm: large enough that the equilibrium is reached within the budget. */
    public static final double WEIGHT_DECAY = 5e-3;
    public static final double LR = 0.1, MOMENTUM = 0.9;
    public static final List<Double> DECAYS = List.of(0.0, WEIGHT_DECAY);
    /** The equivalence margin of "the norm settles": ±0.1 in ln ‖w‖² over the second half (about ±5% in ‖w‖). */
    public static final double SETTLED_MARGIN = 0.1;
    /** The scale factor and the relative loss change below which the invariance check passes. */
    public static final double CHECK_FACTOR = 4, CHECK_TOLERANCE = 1e-3;
    /** Training images the invariance check evaluates the loss on. */
    public static final int CHECK_BATCH = 256;

    @Override public String name() { return "scale-invariance"; }

    @Override public String title() { return "C22: weight norms before BN and the effective learning rate lr/‖w‖², with and without weight decay"; }

    public static int seeds(Scale scale) { return scale.pick(2, 5, 8); }

    @Override
    public String learningRate(Scale scale) {
        return "not tuned: one shared rate (" + LR + ", momentum " + MOMENTUM + ") for both arms, because the claim is about the "
                + "effective rate lr/‖w‖² that follows from it; a rate tuned per arm would change the quantity compared";
    }

    public static Sweep<RunSpec> sweep(Scale scale) {
        RunSpec base = RunSpec.mlp(List.of(256, 256, 256), Activation.Kind.RELU).withNorm(Norm.BN).withLr(LR).withMomentum(MOMENTUM)
                .withDecayNormParams(false).withBatchSize(64)
                .withSampling(DataSpec.Sampling.PER_SEED).withTrainSize(scale.pick(1024, 10_000, 60_000)).withTestSize(scale.pick(500, 2_000, 10_000))
                .withEpochs(scale.pick(2, 4, 5)).withLogEvery(scale.pick(4, 20, 100)).withBnLayers(true);
        return Sweep.of("scale-invariance-" + scale, base).vary(Axes.WEIGHT_DECAY, DECAYS).seeds(seeds(scale));
    }

    @Override
    public List<Verdict.Criterion> criteria(Scale scale) {
        return List.of(
                Verdict.Criterion.above("C22 (norm grows without weight decay)",
                        "ln(‖w‖²_last / ‖w‖²_first) without weight decay, mean over the 3 layers before BN, per seed (first: the first log point; "
                                + "at a constant lr this is −ln of the effective rate's ratio)", 0).changedAfterResults(Revisions.PER_SEED_SUBSETS),
                Verdict.Criterion.within("C22 (norm settles with weight decay)",
                        "ln(‖w‖²_last / ‖w‖²_mid) with weight decay " + WEIGHT_DECAY + ", mean over the 3 layers before BN, per seed "
                                + "(mid: the log point nearest half the steps, the earlier on a tie)", 0, SETTLED_MARGIN).changedAfterResults(Revisions.PER_SEED_SUBSETS),
                Verdict.Criterion.below("C22 (loss invariant to the weight scale)",
                        String.format(Locale.ROOT, "|L(%.0f·W) − L(W)| / L(W) in training mode on %d training images, every W before a BN scaled, "
                                + "per seed at initialization", CHECK_FACTOR, CHECK_BATCH), CHECK_TOLERANCE).check());
    }

    /**
     * ln of ‖w‖² at the last log point over ‖w‖² at the first log point (or, {@code fromMiddle}, the log point nearest
     * half the last step, the earlier on a tie), averaged over the BN layers; NaN when no layer was logged.
     */
    static double logGrowth(RunLog log, boolean fromMiddle) {
        List<RunLog.Point> all = log.points();
        int layers = 0;
        double sum = 0;
        for (int k = 1; ; k++) {
            String metric = BnLayerTrace.metric(k, BnLayerTrace.WEIGHT_NORM);
            List<RunLog.Point> p = all.stream().filter(x -> x.metric().equals(metric)).toList();
            if (p.isEmpty()) break;
            RunLog.Point last = p.get(p.size() - 1), from = p.get(0);
            if (fromMiddle) {
                double half = last.step() / 2.0;
                for (RunLog.Point x : p) if (Math.abs(x.step() - half) < Math.abs(from.step() - half)) from = x;
            }
            sum += 2 * Math.log(last.value() / from.value());
            layers++;
        }
        return layers == 0 ? Double.NaN : sum / layers;
    }

    /** Per seed of the arm with weight decay {@code decay}: the log growth of ‖w‖² from the first (or the middle) log point. */
    public static Summary growth(SweepResult<RunSpec> s, double decay, boolean fromMiddle) {
        return s.summarize(c -> c.weightDecay() == decay, r -> r.log().diverged() || r.log().failed() ? Double.NaN : logGrowth(r.log(), fromMiddle));
    }

    @Override
    public Plan plan(Scale scale) {
        return Plan.of(name(), scale, sweep(scale)).note(String.format(Locale.ROOT, "check: per seed, the model at initialization, loss on the "
                + "first %d training images with every weight tensor before a BN scaled by %.0f", CHECK_BATCH, CHECK_FACTOR));
    }

    @Override
    public Report run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, Engine engine) {
        SweepResult<RunSpec> runs = sweep(scale).run(train, test, store, progress, engine);
        Findings.Builder parts = Findings.builder(name(), scale);
        List<Verdict.Criterion> c = declaredCriteria(scale);
        Verdict grows = parts.verdict(c.get(0).judge(growth(runs, 0, false)));
        Verdict settles = parts.verdict(c.get(1).judge(growth(runs, WEIGHT_DECAY, true)));
        Table invariance = parts.table("invariance", invariance(sweep(scale), train, seeds(scale)));
        Verdict invariant = parts.verdict(c.get(2).judge(Summary.of(invariance.doubleColumn("relative loss change").asDoubleArray())));
        Table finals = parts.table("final", runs.finalSummary(Trainer.TEST_ACC));
        Table growthTable = parts.table("growth", growthTable(runs));
        Table trace = parts.table("bn-trace", trace(runs));
        XYChart norms = parts.figure("weight-norm", Charts.layerCurves(trace, "arm", "layer", BnLayerTrace.WEIGHT_NORM, "‖w‖ (RMS over units)",
                "‖w‖ of the weights before each BN, mean over seeds"));
        XYChart effective = parts.figure("effective-lr", Charts.layerCurves(trace, "arm", "layer", BnLayerTrace.EFFECTIVE_LR, "lr/‖w‖²",
                "effective learning rate lr/‖w‖², mean over seeds"));
        XYChart curves = parts.figure("curves", runs.curves(Trainer.TEST_ACC, "test accuracy during training, with and without weight decay"));
        return new Report(parts.build(runs), norms, effective, curves, trace, growthTable, invariance, finals, grows, settles, invariant);
    }

    /** The BN trace of each arm, with columns "arm" ("λ = 0.005") and weightDecay in front. */
    private static Table trace(SweepResult<RunSpec> runs) {
        Table all = null;
        for (double decay : DECAYS) {
            List<Results.Run<RunSpec>> arm = runs.where(c -> c.weightDecay() == decay);
            Table t = Tables.bnLayerTrace("", arm);
            StringColumn series = StringColumn.create("arm");
            DoubleColumn wd = DoubleColumn.create("weightDecay");
            for (int i = 0; i < t.rowCount(); i++) {
                series.append("λ = " + (decay == 0 ? "0" : Double.toString(decay)));
                wd.append(decay);
            }
            t.insertColumn(0, wd).insertColumn(0, series);
            all = all == null ? t : all.append(t);
        }
        return all.setName("weights before BN and effective rate, per arm and layer, mean over seeds");
    }

    /** Per run: weight decay, seed, the log growth of ‖w‖² from the first and from the middle log point. */
    private static Table growthTable(SweepResult<RunSpec> runs) {
        DoubleColumn wd = DoubleColumn.create("weightDecay"), whole = DoubleColumn.create("ln(‖w‖² last / first)"),
                second = DoubleColumn.create("ln(‖w‖² last / mid)");
        LongColumn seed = LongColumn.create("seed");
        for (Results.Run<RunSpec> r : runs.runs()) {
            wd.append(r.spec().weightDecay());
            seed.append(r.spec().seed());
            whole.append(logGrowth(r.log(), false));
            second.append(logGrowth(r.log(), true));
        }
        return Table.create("growth of ‖w‖² before BN per run (mean over layers)", wd, seed, whole, second);
    }

    /** Per seed: the relative loss change when the weights before BN of the initialized model are scaled. */
    private static Table invariance(Sweep<RunSpec> sweep, Dataset train, int seeds) {
        LongColumn seed = LongColumn.create("seed");
        DoubleColumn change = DoubleColumn.create("relative loss change");
        Dataset batch = train.head(CHECK_BATCH);
        RunSpec base = sweep.base();
        for (long s = 0; s < seeds; s++) {
            seed.append(s);
            change.append(ScaleInvariance.relativeLossChange(Experiment.model(base.withSeed(s), new Rng(s)), batch, CHECK_FACTOR));
        }
        return Table.create("loss change under scaling the weights before BN by " + (int) CHECK_FACTOR, seed, change);
    }

    /**
     * What the study found: the weight norm and the effective rate over training (figures and trace), the growth per
     * run, the invariance check per seed, final test accuracy, and the three verdicts.
     */
    public record Report(Findings findings, XYChart weightNorm, XYChart effectiveLr, XYChart curves, Table bnTrace, Table growth, Table invariance,
                         Table finals, Verdict c22Grows, Verdict c22Settles, Verdict c22Invariant) implements StudyReport {}
}
