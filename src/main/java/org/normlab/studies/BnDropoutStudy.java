package org.normlab.studies;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.normlab.data.Dataset;
import org.normlab.diagnostics.VarianceShift;
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
import org.normlab.experiment.Summary;
import org.normlab.experiment.Sweep;
import org.normlab.experiment.SweepResult;
import org.normlab.experiment.Tables;
import org.normlab.experiment.Verdict;
import org.normlab.model.DropoutPlacement;
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
 * Claim C20 (BN is commonly used in tandem with dropout), through the disharmony Li et al. (2019) describe: dropout
 * before BN gives BN's input one variance in training and another at inference ({@link VarianceShift}), and BN's
 * running variance, learned in training, is then wrong at inference. A ReLU MLP 3×256 (BN before the activation, SGD
 * with momentum 0.9, batch 64) in four arms: BN alone; dropout alone (p = {@value #P} closing every block, no norm);
 * dropout before BN (BN, and dropout closing every block, so BN layers 2 and 3 see dropped-out values through one
 * Linear); dropout after BN (BN, and one dropout before the output layer, after every BN: Li et al.'s remedy). The
 * dropout position is a typed option of the network ({@link DropoutPlacement}). Each arm's rate is tuned on a
 * validation split. Every run logs each BN layer's input variance in training and inference mode and its running
 * variance on held-out images.
 */
public final class BnDropoutStudy implements Study<BnDropoutStudy.Report> {
    /** The dropout probability of every dropout arm (Srivastava et al.'s hidden-unit default). */
    public static final double P = 0.5;
    /** BN layers that see dropped-out values in the dropout-before-BN arm: every BN after the first block. */
    public static final int FIRST_LAYER_AFTER_DROPOUT = 2;

    /** The four arms, shown as bn, dropout, dropout_before_bn, dropout_after_bn. */
    public enum Arm {
        /** BN, no dropout. */
        BN,
        /** Dropout closing every block, no norm. */
        DROPOUT,
        /** BN and dropout closing every block: every later BN sees dropped-out values. */
        DROPOUT_BEFORE_BN,
        /** BN and one dropout before the output layer, after every BN. */
        DROPOUT_AFTER_BN;

        /** The arm of a run: its norm, dropout and dropout placement. */
        public static Arm of(RunSpec spec) {
            if (spec.norm().equals(Norm.NONE)) return DROPOUT;
            if (spec.dropout() == 0) return BN;
            return spec.dropoutPlacement() == DropoutPlacement.EVERY_BLOCK ? DROPOUT_BEFORE_BN : DROPOUT_AFTER_BN;
        }

        RunSpec apply(RunSpec spec) {
            return switch (this) {
                case BN -> spec.withNorm(Norm.BN).withDropout(0).withDropoutPlacement(DropoutPlacement.EVERY_BLOCK);
                case DROPOUT -> spec.withNorm(Norm.NONE).withDropout(P).withDropoutPlacement(DropoutPlacement.EVERY_BLOCK);
                case DROPOUT_BEFORE_BN -> spec.withNorm(Norm.BN).withDropout(P).withDropoutPlacement(DropoutPlacement.EVERY_BLOCK);
                case DROPOUT_AFTER_BN -> spec.withNorm(Norm.BN).withDropout(P).withDropoutPlacement(DropoutPlacement.BEFORE_OUTPUT);
            };
        }
    }

    /** The arm as one axis, shown in the "arm" column: it sets the norm, the dropout and where the dropout sits. */
    public static final Axis<RunSpec, Arm> ARM = Axis.of("arm", Arm::of, (spec, arm) -> arm.apply(spec));
    public static final List<Arm> ARMS = List.of(Arm.BN, Arm.DROPOUT, Arm.DROPOUT_BEFORE_BN, Arm.DROPOUT_AFTER_BN);

    @Override public String name() { return "bn-dropout"; }

    @Override public String title() { return "C20: dropout before vs after BN — the variance shift at inference and test accuracy"; }

    public static int seeds(Scale scale) { return scale.pick(2, 5, 8); }

    @Override
    public List<String> design() {
        return List.of(
                "Li et al. 2019 explain the disharmony by a variance shift at BN's input between training (dropout on) and inference (off); the "
                        + "study measures exactly that on the layers of each trained network, on held-out images: Var_eval / Var_train of every BN "
                        + "input, and the running variance BN uses at inference against Var_eval.",
                "Where dropout sits is a typed option of the network (DropoutPlacement): closing every block puts it before BN layers 2 and 3 "
                        + "(through one Linear, as in the conv nets Li et al. study); once before the output puts it after every BN, their remedy.",
                "The shift is compared with BN alone, paired by seed, because even without dropout BN's input differs between modes (earlier BN "
                        + "layers normalize with batch statistics in training and running ones at inference); the difference isolates dropout.",
                "Test accuracy compares dropout after vs before BN, each at a rate tuned on a validation split; dropout alone and BN alone are "
                        + "shown for context. A diverged run gives no variance (its seed is excluded and counted) and accuracy 0.1.");
    }

    @Override
    public String learningRate(Scale scale) { return tuning(scale).describe(); }

    public static LearningRateTuning tuning(Scale scale) {
        return new LearningRateTuning(scale.pick(List.of(0.01, 0.1), LearningRateTuning.logGrid(0.003, 0.3, 5), LearningRateTuning.logGrid(0.001, 0.3, 6)),
                scale.pick(1, 1, 2), scale.pick(256, 2_000, 5_000), scale.pick(0, 0, 55_000));
    }

    public static Sweep<RunSpec> sweep(Scale scale) {
        int test = scale.pick(500, 2_000, 10_000);
        RunSpec base = RunSpec.mlp(List.of(256, 256, 256), Activation.Kind.RELU).withNorm(Norm.BN).withMomentum(0.9).withBatchSize(64)
                .withSampling(DataSpec.Sampling.PER_SEED)
                .withTrainSize(scale.pick(1024, 10_000, 60_000)).withTestSize(test).withEpochs(scale.pick(2, 3, 5))
                .withLogEvery(scale.pick(8, 50, 200)).withVarianceShift(Math.min(test, 2_000));
        return Sweep.of("bn-dropout-" + scale, base).vary(ARM, ARMS).seeds(seeds(scale));
    }

    @Override
    public List<Verdict.Criterion> criteria(Scale scale) {
        String layers = "mean over BN layers " + FIRST_LAYER_AFTER_DROPOUT + "–3 (those after a dropout in the before arm) at the last log point, "
                + "on held-out images";
        return Stream.of(
                Verdict.Criterion.below("C20 (dropout before BN shifts BN's input variance)",
                        "ln(Var_eval / Var_train) of BN's input, " + layers + ": dropout-before-BN minus BN alone, paired by seed", 0),
                Verdict.Criterion.above("C20 (running variance overstates the inference variance)",
                        "ln(running_var / Var_eval) of BN's input, " + layers + ": dropout-before-BN minus BN alone, paired by seed", 0),
                Verdict.Criterion.above("C20 (dropout after BN beats dropout before BN)",
                        "final test accuracy (dropout after BN) − (dropout before BN), paired by seed, each arm at its tuned lr", 0))
                .map(c -> c.changedAfterResults(Revisions.FINAL_RUNS_PER_SEED)).toList();
    }

    /**
     * The mean of {@code bn<k>/<name>} over BN layers k ≥ {@value #FIRST_LAYER_AFTER_DROPOUT} at the last log point;
     * NaN for a diverged or failed run (the metric has no chance value: its seed is excluded and counted) or when
     * nothing was logged.
     */
    public static double lastLayerMean(RunLog log, String name) {
        if (log.diverged() || log.failed()) return Double.NaN;
        double sum = 0;
        int n = 0;
        for (int k = FIRST_LAYER_AFTER_DROPOUT; ; k++) {
            double v = log.last(VarianceShift.metric(k, name));
            if (Double.isNaN(v)) break;
            sum += v;
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Per seed, {@code name} of the dropout-before-BN arm minus BN alone. */
    public static Summary shiftDifference(SweepResult<RunSpec> s, String name) {
        return s.pairedDifference(c -> Arm.of(c) == Arm.DROPOUT_BEFORE_BN, c -> Arm.of(c) == Arm.BN, r -> lastLayerMean(r.log(), name));
    }

    /** Per seed, final test accuracy of arm {@code a} minus arm {@code b} (a diverged run at chance, 0.1). */
    public static Summary accuracyDifference(SweepResult<RunSpec> s, Arm a, Arm b) {
        return s.pairedDifference(c -> Arm.of(c) == a, c -> Arm.of(c) == b, r -> SweepResult.finalOrChance(r, Trainer.TEST_ACC));
    }

    @Override
    public Plan plan(Scale scale) {
        return Plan.of(name(), scale, tuning(scale).planned(sweep(scale)).toArray(Sweep<?>[]::new));
    }

    @Override
    public Report run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, Engine engine) {
        LearningRateTuning.Tuned tuned = tuning(scale).tuneAndRun(sweep(scale), train, test, store, progress, engine);
        SweepResult<RunSpec> runs = SweepResult.of(tuned.runs().name(), tuned.runs().runs(), ARM);
        List<Verdict.Criterion> c = declaredCriteria(scale);
        Findings.Builder parts = Findings.builder(name(), scale);
        Verdict shift = parts.verdict(c.get(0).judge(shiftDifference(runs, VarianceShift.LOG_SHIFT)));
        Verdict running = parts.verdict(c.get(1).judge(shiftDifference(runs, VarianceShift.LOG_RUNNING_OVER_EVAL)));
        Verdict accuracy = parts.verdict(c.get(2).judge(accuracyDifference(runs, Arm.DROPOUT_AFTER_BN, Arm.DROPOUT_BEFORE_BN)));
        Table lr = parts.table("lr-tuning", tuned.tuning().table());
        Table finals = parts.table("final", runs.finalSummary(Trainer.TEST_ACC));
        CategoryChart testAcc = parts.figure("test-acc", Charts.bars(Tables.withLabel(finals, "arm", "network", n -> "ReLU MLP 3×256"), "network", "arm",
                "final " + Trainer.TEST_ACC, "ci95_lo", "ci95_hi", "final test accuracy per arm (each at its tuned lr)"));
        Table layerShift = parts.table("layer-shift", runs.summary("ln(Var_eval / Var_train), BN layers ≥ " + FIRST_LAYER_AFTER_DROPOUT,
                r -> lastLayerMean(r.log(), VarianceShift.LOG_SHIFT)));
        Table trace = parts.table("shift-trace", trace(runs));
        XYChart shiftFigure = parts.figure("variance-shift", Charts.layerCurves(trace, "arm", "layer", VarianceShift.LOG_SHIFT, "ln(Var_eval / Var_train)",
                "variance shift of each BN layer's input over training, mean over seeds (0: none; ln 0.5 = −0.69)"));
        XYChart runningFigure = parts.figure("running-vs-eval", Charts.layerCurves(trace, "arm", "layer", VarianceShift.LOG_RUNNING_OVER_EVAL,
                "ln(running_var / Var_eval)", "running variance against the variance BN's input has at inference, mean over seeds"));
        XYChart curves = parts.figure("curves", runs.curves(Trainer.TEST_ACC, "test accuracy during training per arm"));
        return new Report(parts.build(runs), finals, testAcc, layerShift, trace, shiftFigure, runningFigure, curves, lr, shift, running, accuracy);
    }

    /** Per arm with BN, layer and log step: the mean over seeds of the variance-shift metrics. */
    static Table trace(SweepResult<RunSpec> runs) {
        StringColumn arm = StringColumn.create("arm"), layer = StringColumn.create("layer");
        IntColumn step = IntColumn.create("step");
        List<String> names = List.of(VarianceShift.VAR_TRAIN, VarianceShift.VAR_EVAL, VarianceShift.LOG_SHIFT, VarianceShift.LOG_RUNNING_OVER_EVAL);
        Map<String, DoubleColumn> values = new LinkedHashMap<>();
        for (String n : names) values.put(n, DoubleColumn.create(n));
        for (Arm a : ARMS) {
            List<Results.Run<RunSpec>> rs = runs.where(c -> Arm.of(c) == a);
            Map<Integer, TreeMap<Integer, Map<String, double[]>>> sums = new TreeMap<>();  // layer → step → metric → {sum, count}
            for (Results.Run<RunSpec> r : rs) {
                for (RunLog.Point p : r.log().points()) {
                    for (int k = 1; k <= 3; k++) {
                        for (String n : names) {
                            if (!p.metric().equals(VarianceShift.metric(k, n))) continue;
                            double[] acc = sums.computeIfAbsent(k, x -> new TreeMap<>()).computeIfAbsent(p.step(), x -> new LinkedHashMap<>())
                                    .computeIfAbsent(n, x -> new double[2]);
                            acc[0] += p.value();
                            acc[1]++;
                        }
                    }
                }
            }
            sums.forEach((k, steps) -> steps.forEach((st, metrics) -> {
                arm.append(a.name().toLowerCase(Locale.ROOT));
                layer.append("BN " + k);
                step.append(st);
                values.forEach((n, column) -> {
                    double[] acc = metrics.get(n);
                    column.append(acc == null ? Double.NaN : acc[0] / acc[1]);
                });
            }));
        }
        Table t = Table.create("BN input variance in training vs inference mode, per arm, layer and step, mean over seeds", arm, layer, step);
        values.values().forEach(t::addColumns);
        return t;
    }

    /**
     * What the study found: final test accuracy per arm (table and bars), the shift per run summarized per arm, the
     * shift trace per arm and layer (table and two figures), test-accuracy curves, the tuned rates and the verdicts.
     */
    public record Report(Findings findings, Table finals, CategoryChart testAcc, Table layerShift, Table shiftTrace, XYChart varianceShift,
                         XYChart runningVsEval, XYChart curves, Table lrTuning, Verdict c20Shift, Verdict c20Running, Verdict c20Accuracy)
            implements StudyReport {}
}
