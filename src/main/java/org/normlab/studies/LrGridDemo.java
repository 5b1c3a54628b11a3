package org.normlab.studies;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.internal.chartpart.Chart;
import org.normlab.data.Dataset;
import org.normlab.experiment.Axes;
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
public final class LrGridDemo implements Study {
    public static final List<Double> LEARNING_RATES = List.of(0.03, 0.3, 3.0);

    @Override public String name() { return "lr-grid-demo"; }

    @Override public String title() { return "engine demo: {none, BN} × 3 learning rates × 3 seeds on a small MLP"; }

    public static Sweep<RunSpec> sweep(Scale scale) {
        RunSpec base = RunSpec.mlp(List.of(128, 128), Activation.Kind.RELU)
                .withTrainSize(scale.pick(1024, 10_000, 60_000))
                .withTestSize(scale.pick(500, 10_000, 10_000))
                .withEpochs(scale.pick(1, 1, 3))
                .withLogEvery(scale.pick(4, 20, 50));
        return Sweep.of("lr-grid-demo-" + scale, base).vary(Axes.NORM, Norm.NONE, Norm.BN).vary(Axes.LR, LEARNING_RATES).seeds(3);
    }

    @Override
    public List<Verdict.Criterion> criteria(Scale scale) {
        return List.of(Verdict.Criterion.above("C5 (demo)", "final train loss (none) − final train loss (BN) at lr 3, paired by seed", 0));
    }

    @Override
    public StudyReport run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, int threads) {
        SweepResult<RunSpec> sweep = sweep(scale).run(train, test, store, progress, threads);
        // A diverged run has no final loss; for this comparison it counts as the chance-level loss it failed to beat.
        double chance = Math.log(10);
        Summary gap = sweep.pairedDifference(c -> c.norm() == Norm.NONE && c.lr() == 3.0, c -> c.norm() == Norm.BN && c.lr() == 3.0,
                r -> { double v = SweepResult.finalValue(r, Trainer.TRAIN_LOSS); return Double.isNaN(v) ? chance : v; });
        Map<String, Table> tables = new LinkedHashMap<>();
        tables.put("final-train-loss", sweep.finalSummary(Trainer.TRAIN_LOSS));
        tables.put("largest-stable-lr", sweep.largestStableLr(Axes.NORM, Axes.LR, Trainer.TRAIN_LOSS, chance));
        Map<String, Chart<?, ?>> figures = new LinkedHashMap<>();
        figures.put("train-loss-vs-lr", sweep.versusLearningRate(Axes.NORM, Trainer.TRAIN_LOSS));
        figures.put("curves", sweep.curves(Trainer.TRAIN_LOSS));
        return new StudyReport(name(), scale, sweep, tables, figures, List.of(criteria(scale).get(0).judge(gap)));
    }
}
