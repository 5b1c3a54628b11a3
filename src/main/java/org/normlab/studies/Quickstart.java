package org.normlab.studies;

import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.normlab.data.Dataset;
import org.normlab.experiment.DataSpec;
import org.normlab.experiment.Engine;
import org.normlab.experiment.Axes;
import org.normlab.experiment.Findings;
import org.normlab.experiment.Plan;
import org.normlab.experiment.Progress;
import org.normlab.experiment.ResultStore;
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
import org.normlab.plot.Charts;
import org.normlab.train.Trainer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * The first look: the same sigmoid MLP on Fashion-MNIST trained with and without BatchNorm, a few seeds each.
 *
 * <p>Budget per scale: smoke = 2 048 images, 1 epoch, 2 seeds (CI); default = all 60 000 images, 2 epochs,
 * 3 seeds; full = 10 epochs, 5 seeds. Its verdict is only a first hint at claim C2 (one learning rate, one net).
 */
public final class Quickstart implements Study<Quickstart.Report> {
    /** The train accuracy whose first crossing counts as "converged" in the summary. */
    public static final double TARGET_TRAIN_ACC = 0.80;
    public static final List<Norm> NORMS = List.of(Norm.NONE, Norm.BN);

    @Override public String name() { return "quickstart"; }

    @Override public String title() { return "a sigmoid MLP on Fashion-MNIST with and without BatchNorm"; }

    /** The config of seed 0 without normalization at this scale; the study varies norm and seed. */
    public static RunSpec baseConfig(Scale scale) {
        return RunSpec.mlp(scale.pick(List.of(128, 128), List.of(256, 256, 256), List.of(256, 256, 256)), Activation.Kind.SIGMOID)
                .withEpochs(scale.pick(1, 2, 10))
                .withSampling(DataSpec.Sampling.PER_SEED).withTrainSize(scale.pick(2048, 60_000, 60_000))
                .withTestSize(scale.pick(1000, 10_000, 10_000))
                .withLogEvery(scale.pick(4, 47, 94));
    }

    public static int seeds(Scale scale) { return scale.pick(2, 3, 5); }

    public static Sweep<RunSpec> sweep(Scale scale) {
        return Sweep.of("quickstart-" + scale, baseConfig(scale)).vary(Axes.NORM, NORMS).seeds(seeds(scale));
    }

    @Override
    public String learningRate(Scale scale) {
        return "not tuned: one shared rate for both arms, on purpose: the quickstart is a first look (one net, one rate) and its verdict only "
                + "a first hint at C2; C2's own study (convergence-speed) tunes the rate per arm on a validation split";
    }

    @Override
    public List<Verdict.Criterion> criteria(Scale scale) {
        return List.of(Verdict.Criterion.above("C2 (first hint)", "final train loss (none) − final train loss (BN), paired by seed", 0).changedAfterResults(Revisions.PER_SEED_SUBSETS));
    }

    @Override
    public Plan plan(Scale scale) { return Plan.of(name(), scale, sweep(scale)); }

    /** Runs at the current scale (see {@link Scale#current()}). */
    public static Report compare() { return new Quickstart().run(Scale.current()); }

    /** Runs on the given data without storing results (tests). */
    public static Report compare(Scale scale, Dataset train, Dataset test, Progress progress) {
        return new Quickstart().run(scale, train, test, ResultStore.none(), progress, Runtime.getRuntime().availableProcessors());
    }

    @Override
    public Report run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, Engine engine) {
        SweepResult<RunSpec> sweep = sweep(scale).run(train, test, store, progress, engine);
        Summary lossGap = sweep.pairedDifference(c -> c.norm() == Norm.NONE, c -> c.norm() == Norm.BN,
                r -> SweepResult.finalOrChance(r, Trainer.TRAIN_LOSS));
        Findings.Builder parts = Findings.builder(name(), scale);
        Table summary = parts.table("summary", summary(scale, sweep));
        RunSpec base = baseConfig(scale);
        String setup = " — sigmoid MLP " + base.hidden() + ", Fashion-MNIST, lr " + base.lr() + ", batch " + base.batchSize();
        XYChart trainLoss = parts.figure(Trainer.TRAIN_LOSS, sweep.curves(Trainer.TRAIN_LOSS, Charts.label(Trainer.TRAIN_LOSS) + setup));
        XYChart testAcc = parts.figure(Trainer.TEST_ACC, sweep.curves(Trainer.TEST_ACC, Charts.label(Trainer.TEST_ACC) + setup));
        Verdict c2 = parts.verdict(declaredCriteria(scale).get(0).judge(lossGap));
        return new Report(parts.build(sweep), summary, trainLoss, testAcc, c2);
    }

    /**
     * Per norm, means over seeds: final train loss and accuracy, final test accuracy, and the first logged step at
     * which train accuracy reached {@link #TARGET_TRAIN_ACC} (missing when a seed never did).
     */
    static Table summary(Scale scale, SweepResult<RunSpec> sweep) {
        Table t = Table.create("quickstart summary (" + scale + ")");
        Table loss = sweep.finalSummary(Trainer.TRAIN_LOSS), acc = sweep.finalSummary(Trainer.TRAIN_ACC),
                test = sweep.finalSummary(Trainer.TEST_ACC), steps = sweep.stepsToSummary(Trainer.TRAIN_ACC, TARGET_TRAIN_ACC);
        t.addColumns(loss.column("norm").copy(), loss.column("n").copy().setName("seeds"),
                round(loss.doubleColumn("final " + Trainer.TRAIN_LOSS).copy().setName("final train loss")),
                round(acc.doubleColumn("final " + Trainer.TRAIN_ACC).copy().setName("final train acc")),
                round(test.doubleColumn("final " + Trainer.TEST_ACC).copy().setName("final test acc")),
                steps.doubleColumn(steps.columnCount() - 3).copy().setName("steps to train acc " + TARGET_TRAIN_ACC));
        return t;
    }

    private static DoubleColumn round(DoubleColumn c) {
        return c.map(v -> Math.round(v * 10_000) / 10_000.0);
    }

    /**
     * What the quickstart found: the per-norm summary, the learning curves of training loss and test accuracy, and
     * the first hint at C2.
     */
    public record Report(Findings findings, Table summary, XYChart trainLoss, XYChart testAcc, Verdict c2) implements StudyReport {
        /** The spec of seed 0 without normalization. */
        public RunSpec base() { return baseConfig(scale()); }

        /** Tidy: key, norm, seed, step, epoch, metric, value. */
        public Table table() { return results(); }

        /** Learning curves of any logged {@code metric} (train_loss, train_acc, test_loss, test_acc) per norm. */
        public XYChart curves(String metric) { return findings.sweep().curves(metric); }

        /** One sentence comparing the norms' final numbers, written from {@link #summary()}. */
        public String headline() {
            Table s = summary();
            StringBuilder sb = new StringBuilder("After " + base().epochs() + " epoch(s) at " + scale() + " scale (mean of "
                    + s.intColumn("seeds").get(0) + " seeds): ");
            for (int i = 0; i < s.rowCount(); i++) {
                sb.append(i == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s — train loss %.3f, train acc %.3f, test acc %.3f",
                        s.stringColumn("norm").get(i), s.doubleColumn("final train loss").getDouble(i), s.doubleColumn("final train acc").getDouble(i),
                        s.doubleColumn("final test acc").getDouble(i)));
            }
            int best = 0;
            for (int i = 1; i < s.rowCount(); i++) if (s.doubleColumn("final train loss").getDouble(i) < s.doubleColumn("final train loss").getDouble(best)) best = i;
            return sb.append(". Lowest final train loss: ").append(s.stringColumn("norm").get(best)).append('.').toString();
        }
    }
}
