package org.normlab.studies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.normlab.data.Dataset;
import org.normlab.experiment.Axes;
import org.normlab.model.Placement;
import org.normlab.experiment.Axis;
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
import org.normlab.experiment.Verdict;
import org.normlab.nn.Activation;
import org.normlab.nn.Init;
import org.normlab.norm.Norm;
import org.normlab.plot.Charts;
import org.normlab.train.Trainer;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Claim C14 (where BN goes relative to the nonlinearity is debated): the same BatchNorm networks with BN placed
 * before the activation (linear → BN → act, Ioffe &amp; Szegedy's choice) or after it (linear → act → BN), with ReLU
 * and with sigmoid, on an MLP and on LeNet. Everything else — initialization, data order, learning rate, budget — is
 * the same for both placements of a seed. The statistic is the final test accuracy with BN before minus after,
 * paired by seed, per network and activation.
 */
public final class PlacementStudy implements Study {
    public static final List<Activation.Kind> ACTIVATIONS = List.of(Activation.Kind.RELU, Activation.Kind.SIGMOID);
    public static final List<Placement> PLACEMENTS = List.of(Placement.BEFORE, Placement.AFTER);

    @Override public String name() { return "placement"; }

    @Override public String title() { return "C14: BN before vs after the activation (ReLU, sigmoid) on an MLP and LeNet"; }

    public static int seeds(Scale scale) { return scale.pick(2, 5, 8); }

    /**
     * Both activations × both placements of one network. ReLU nets start from He initialization, sigmoid nets from
     * Xavier's (the initialization follows the activation, as {@link RunSpec#mlp} chooses it).
     */
    public static Sweep<RunSpec> sweep(String model, Scale scale) {
        RunSpec base = (model.equals("mlp") ? RunSpec.mlp(List.of(256, 256, 256), Activation.Kind.RELU) : RunSpec.lenet(Activation.Kind.RELU))
                .withNorm(Norm.BN).withLr(0.05).withMomentum(0.9).withBatchSize(64)
                .withTrainSize(scale.pick(1024, 10_000, 60_000)).withTestSize(scale.pick(500, 2_000, 10_000))
                .withEpochs(scale.pick(1, 2, 5)).withLogEvery(scale.pick(4, 40, 200));
        Axis<RunSpec, Activation.Kind> activation = Axes.ACTIVATION.and(Axes.INIT, a -> a == Activation.Kind.RELU ? Init.Kind.HE : Init.Kind.XAVIER);
        return Sweep.of("placement-" + model + "-" + scale, base).vary(activation, ACTIVATIONS).vary(Axes.PLACEMENT, PLACEMENTS).seeds(seeds(scale));
    }

    @Override
    public List<Verdict.Criterion> criteria(Scale scale) {
        List<Verdict.Criterion> c = new ArrayList<>();
        for (String model : List.of("MLP", "LeNet")) {
            for (Activation.Kind a : ACTIVATIONS) {
                c.add(Verdict.Criterion.above("C14 (" + model + ", " + a.name().toLowerCase(Locale.ROOT) + ")",
                        "final test accuracy (BN before the activation) − (BN after it), paired by seed", 0));
            }
        }
        return c;
    }

    /** Per seed, final test accuracy with BN before minus after the activation, for one activation. */
    public static Summary beforeMinusAfter(SweepResult<RunSpec> s, Activation.Kind activation) {
        return s.pairedDifference(c -> c.activation() == activation && c.placement() == Placement.BEFORE,
                c -> c.activation() == activation && c.placement() == Placement.AFTER, r -> SweepResult.finalValue(r, Trainer.TEST_ACC));
    }

    @Override
    public StudyReport run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, int threads) {
        SweepResult<RunSpec> mlp = sweep("mlp", scale).run(train, test, store, progress, threads);
        SweepResult<RunSpec> lenet = sweep("lenet", scale).run(train, test, store, progress, threads);
        List<Verdict.Criterion> c = criteria(scale);
        List<Verdict> verdicts = new ArrayList<>();
        int i = 0;
        for (SweepResult<RunSpec> s : List.of(mlp, lenet)) for (Activation.Kind a : ACTIVATIONS) verdicts.add(c.get(i++).judge(beforeMinusAfter(s, a)));

        Map<String, Table> tables = new LinkedHashMap<>();
        Map<String, Chart<?, ?>> figures = new LinkedHashMap<>();
        for (SweepResult<RunSpec> s : List.of(mlp, lenet)) {
            String model = s == mlp ? "mlp" : "lenet", title = s == mlp ? "MLP 3×256 + BN" : "LeNet + BN";
            SweepResult<RunSpec> grouped = SweepResult.of(s.name(), s.runs(), Axes.ACTIVATION, Axes.PLACEMENT);
            Table acc = grouped.finalSummary(Trainer.TEST_ACC);
            tables.put(model + "-final", acc);
            Table bars = acc.copy();
            StringColumn placement = StringColumn.create("BN placement");
            for (String p : bars.stringColumn("placement")) placement.append("BN " + p + " activation");
            bars.addColumns(placement);
            figures.put(model + "-test-acc", Charts.bars(bars, "activation", "BN placement", "final " + Trainer.TEST_ACC, "ci95_lo", "ci95_hi",
                    title + ": final test accuracy, BN before vs after the activation"));
            XYChart curves = grouped.curves(Trainer.TEST_ACC);
            curves.setTitle(title + ": test accuracy during training");
            figures.put(model + "-curves", curves);
        }
        List<Results.Run<RunSpec>> all = new ArrayList<>(mlp.runs());
        all.addAll(lenet.runs());
        return new StudyReport(name(), scale, SweepResult.of(name(), all, Axes.MODEL, Axes.ACTIVATION, Axes.PLACEMENT), tables, figures, verdicts);
    }
}
