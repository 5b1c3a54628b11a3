package org.normlab.studies;

import java.util.List;
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
import org.normlab.train.Trainer;
import tech.tablesaw.api.Table;

/**
 * The experiment engine end to end on a small grid: a ReLU MLP on Fashion-MNIST, {none, BN} × lr {0.03, 0.3, 3}
 * × 3 seeds. It exists to show (and test) sweeps, storage, summaries, figures and verdicts on something small;
 * the learning-rate study proper is notebook 02.
 */
public final class LrGridDemo implements Study<LrGridDemo.Report> {
    public static final List<Double> LEARNING_RATES = List.of(0.03, 0.3, 3.0);

    @Override public String name() { return "lr-grid-demo"; }

    @Override public String title() { return "engine demo: {none, BN} × 3 learning rates × 3 seeds on a small MLP"; }

    public static Sweep<RunSpec> sweep(Scale scale) {
        RunSpec base = RunSpec.mlp(List.of(128, 128), Activation.Kind.RELU).withSampling(DataSpec.Sampling.PER_SEED)
                .withTrainSize(scale.pick(1024, 10_000, 60_000))
                .withTestSize(scale.pick(500, 10_000, 10_000))
                .withEpochs(scale.pick(1, 1, 3))
                .withLogEvery(scale.pick(4, 20, 50));
        return Sweep.of("lr-grid-demo-" + scale, base).vary(Axes.NORM, Norm.NONE, Norm.BN).vary(Axes.LR, LEARNING_RATES).seeds(3);
    }

    @Override
    public String learningRate(Scale scale) {
        return "not tuned: a demo of the engine that sweeps the learning rate itself ({0.03, 0.3, 3}); outside the claims family";
    }

    @Override
    public List<Verdict.Criterion> criteria(Scale scale) {
        return List.of(Verdict.Criterion.above("C5 (demo)", "final train loss (none) − final train loss (BN) at lr 3, paired by seed", 0).demo().changedAfterResults(Revisions.PER_SEED_SUBSETS));
    }

    @Override
    public Plan plan(Scale scale) { return Plan.of(name(), scale, sweep(scale)); }

    @Override
    public Report run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, Engine engine) {
        SweepResult<RunSpec> sweep = sweep(scale).run(train, test, store, progress, engine);
        // A diverged run has no final loss; for this comparison it counts as the chance-level loss it failed to beat.
        double chance = Math.log(10);
        Summary gap = sweep.pairedDifference(c -> c.norm() == Norm.NONE && c.lr() == 3.0, c -> c.norm() == Norm.BN && c.lr() == 3.0,
                r -> { double v = SweepResult.finalValue(r, Trainer.TRAIN_LOSS); return Double.isNaN(v) ? chance : v; });
        Findings.Builder parts = Findings.builder(name(), scale);
        Table finalTrainLoss = parts.table("final-train-loss", sweep.finalSummary(Trainer.TRAIN_LOSS));
        Table largestStableLr = parts.table("largest-stable-lr", sweep.largestStableLr(Axes.NORM, Axes.LR, Trainer.TRAIN_LOSS, chance));
        XYChart lossVsLr = parts.figure("train-loss-vs-lr", sweep.versusLearningRate(Axes.NORM, Trainer.TRAIN_LOSS));
        XYChart curves = parts.figure("curves", sweep.curves(Trainer.TRAIN_LOSS));
        Verdict c5 = parts.verdict(declaredCriteria(scale).get(0).judge(gap));
        return new Report(parts.build(sweep), finalTrainLoss, largestStableLr, lossVsLr, curves, c5);
    }

    /**
     * What the demo found: final training loss per grid point, the largest stable learning rate per norm, the final
     * loss against the learning rate, the learning curves, and the C5 (demo) verdict.
     */
    public record Report(Findings findings, Table finalTrainLoss, Table largestStableLr, XYChart trainLossVsLr, XYChart curves, Verdict c5)
            implements StudyReport {}
}
