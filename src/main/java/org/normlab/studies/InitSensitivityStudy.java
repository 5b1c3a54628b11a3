package org.normlab.studies;

import java.awt.BasicStroke;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.normlab.data.Dataset;
import org.normlab.experiment.DataSpec;
import org.normlab.experiment.Engine;
import org.normlab.experiment.Axes;
import org.normlab.experiment.Findings;
import org.normlab.experiment.Plan;
import org.normlab.experiment.Experiment;
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
import org.normlab.nn.Sequential;
import org.normlab.norm.Norm;
import org.normlab.plot.Charts;
import org.normlab.tensor.Rng;
import org.normlab.diagnostics.Diagnostics;
import org.normlab.train.Trainer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Claim C7 (BN makes training less sensitive to initialization): ReLU MLPs of width 128 and depth 3, 10, 20,
 * with He initialization scaled by 0.01 … 10, with and without BN, same budget. Sensitivity of one seed is the
 * standard deviation of its final training loss over the (scale × depth) grid (a diverged run counts as chance
 * loss, ln 10); the statistic is that spread without BN minus with BN, paired by seed.
 */
public final class InitSensitivityStudy implements Study<InitSensitivityStudy.Report> {
    public static final List<Double> SCALES = List.of(0.01, 0.1, 1.0, 10.0);
    public static final List<Integer> DEPTHS = List.of(3, 10, 20);
    public static final double TRAINS_BELOW = 1.0;

    @Override public String name() { return "initialization-sensitivity"; }

    @Override public String title() { return "C7: init scale ×0.01…×10 × depth 3/10/20 × {none, BN}; heatmaps of final loss"; }

    public static int seeds(Scale scale) { return scale.pick(2, 3, 5); }

    static List<Integer> hidden(int depth) {
        List<Integer> h = new ArrayList<>();
        for (int i = 0; i < depth; i++) h.add(128);
        return h;
    }

    public static Sweep<RunSpec> sweep(Scale scale) {
        RunSpec base = RunSpec.mlp(hidden(3), Activation.Kind.RELU).withLr(0.05).withBatchSize(64).withSampling(DataSpec.Sampling.PER_SEED)
                .withTrainSize(scale.pick(640, 6_400, 60_000)).withTestSize(scale.pick(500, 2_000, 10_000))
                .withEpochs(1).withLogEvery(scale.pick(5, 25, 100));
        List<List<Integer>> depths = (scale == Scale.SMOKE ? List.of(3, 10) : DEPTHS).stream().map(InitSensitivityStudy::hidden).toList();
        return Sweep.of("init-sensitivity-" + scale, base).vary(Axes.NORM, Norm.NONE, Norm.BN).vary(Axes.HIDDEN, depths)
                .vary(Axes.INIT_SCALE, scale == Scale.SMOKE ? List.of(0.1, 1.0, 10.0) : SCALES).seeds(seeds(scale));
    }

    @Override
    public String learningRate(Scale scale) {
        return "not tuned: one shared rate (0.05) over the whole init-scale × depth grid, on purpose: the statistic is how much the final "
                + "loss varies over that grid at a fixed rate; a rate tuned per arm or per grid cell would absorb part of the sensitivity measured";
    }

    @Override
    public List<Verdict.Criterion> criteria(Scale scale) {
        return List.of(Verdict.Criterion.above("C7", "share of init scale × depth cells that train (BN) − (none), paired by seed", 0).changedAfterResults(Revisions.PER_SEED_SUBSETS));
    }

    static double finalLossOrChance(Results.Run<RunSpec> r) {
        double v = SweepResult.finalValue(r, Trainer.TRAIN_LOSS);
        return Double.isNaN(v) ? Math.log(10) : v;
    }

    @Override
    public Plan plan(Scale scale) {
        return Plan.of(name(), scale, sweep(scale)).note("activation scales at initialization of one untrained MLP per norm and He scale ×0.1, ×1, ×10 "
                + "(depth " + (scale == Scale.SMOKE ? 10 : 20) + ", 256 training images)");
    }

    @Override
    public Report run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, Engine engine) {
        SweepResult<RunSpec> sweep = sweep(scale).run(train, test, store, progress, engine);
        // Per seed and norm: the share of grid cells in which the network trained.
        Map<String, Map<Long, double[]>> cells = new LinkedHashMap<>();  // norm → seed → {trained, cells}
        for (Results.Run<RunSpec> r : sweep.runs()) {
            double[] count = cells.computeIfAbsent(r.spec().norm().label(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.spec().seed(), k -> new double[2]);
            double v = SweepResult.finalValue(r, Trainer.TRAIN_LOSS);
            if (!Double.isNaN(v) && v <= TRAINS_BELOW) count[0]++;
            count[1]++;
        }
        Map<Long, double[]> none = cells.get("none"), bn = cells.get("BN");
        Summary gap = Summary.of(none.keySet().stream().mapToDouble(s -> bn.get(s)[0] / bn.get(s)[1] - none.get(s)[0] / none.get(s)[1]).toArray());
        Findings.Builder parts = Findings.builder(name(), scale);
        Table summary = sweep.summary("final train loss (diverged = ln 10)", InitSensitivityStudy::finalLossOrChance);
        StringColumn depth = StringColumn.create("depth");
        for (int i = 0; i < summary.rowCount(); i++) depth.append(String.valueOf(summary.stringColumn("hidden").get(i).split(",").length));
        summary.replaceColumn("hidden", depth);
        parts.table("final-loss", summary);
        StringColumn norm = StringColumn.create("norm"), seed = StringColumn.create("seed");
        DoubleColumn share = DoubleColumn.create("share of cells that train");
        Table shares = Table.create("share of the init scale × depth grid that trains (final loss ≤ " + TRAINS_BELOW + "), per seed", norm, seed, share);
        cells.forEach((n, bySeed) -> bySeed.forEach((s, c) -> { norm.append(n); seed.append(String.valueOf(s)); share.append(c[0] / c[1]); }));
        parts.table("share-that-trains", shares);
        HeatMapChart heatmapNone = parts.figure("heatmap-none", heatmap(summary, "none", "without BN", scale));
        HeatMapChart heatmapBn = parts.figure("heatmap-BN", heatmap(summary, "BN", "with BN", scale));
        Charts.shareColourScale(TRAINS_BELOW, heatmapNone, heatmapBn);  // light grey where a cell starts to count as trained
        Table scales = parts.table("activation-scale-at-init", activationScalesAtInit(scale == Scale.SMOKE ? 10 : 20, train));
        XYChart scalesChart = parts.figure("activation-scale-at-init", activationFigure(scales));
        Verdict c7 = parts.verdict(declaredCriteria(scale).get(0).judge(gap));
        return new Report(parts.build(sweep), summary, shares, heatmapNone, heatmapBn, scales, scalesChart, c7);
    }

    /** One norm's mean final loss over the init scale × depth grid. */
    private static HeatMapChart heatmap(Table summary, String norm, String title, Scale scale) {
        Table mine = summary.where(summary.stringColumn("norm").isEqualTo(norm));
        return Charts.heatmap(mine, "initScale", "depth", "final train loss (diverged = ln 10)", title + ": final training loss, mean of " + seeds(scale) + " seeds (trains: ≤ " + TRAINS_BELOW + ")");
    }

    /**
     * What the study found: the final loss per norm, depth and init scale (table and one heatmap per norm), the share
     * of the grid that trains per seed, the activation scales at initialization, and the C7 verdict.
     */
    public record Report(Findings findings, Table finalLoss, Table shareThatTrains, HeatMapChart heatmapNone, HeatMapChart heatmapBn,
                         Table activationScales, XYChart activationScalesChart, Verdict c7) implements StudyReport {}

    /** Standard deviation of each hidden layer's output at initialization, for He scale ×0.1, ×1, ×10, none vs BN. */
    public static Table activationScalesAtInit(int depth, Dataset data) {
        Table all = null;
        for (Norm n : List.of(Norm.NONE, Norm.BN)) {
            for (double s : List.of(0.1, 1.0, 10.0)) {
                RunSpec c = RunSpec.mlp(hidden(depth), Activation.Kind.RELU).withNorm(n).withInitScale(s);
                Sequential model = Experiment.model(c, new Rng(0).split());
                Table t = Diagnostics.activationScales(model, data.head(256).inputs());
                t.addColumns(StringColumn.create("norm", Collections.nCopies(t.rowCount(), n.label())),
                        DoubleColumn.create("init scale", t.rowCount()).fillWith(s));
                all = all == null ? t : all.append(t);
            }
        }
        all.setName("std of each hidden layer's output at initialization (depth " + depth + ", 256 images)");
        return all;
    }

    static XYChart activationFigure(Table scales) {
        XYChart chart = Charts.xy("activation std by layer at initialization", "hidden layer", "std of ReLU output (log scale)");
        chart.getStyler().setYAxisLogarithmic(true);
        int index = 0;
        for (String n : List.of("none", "BN")) {
            for (double s : List.of(0.1, 1.0, 10.0)) {
                Table t = scales.where(scales.stringColumn("norm").isEqualTo(n).and(scales.doubleColumn("init scale").isEqualTo(s)));
                double[] y = t.doubleColumn("std").asDoubleArray();
                for (int i = 0; i < y.length; i++) y[i] = Math.max(y[i], 1e-30);  // a log axis cannot show 0
                var series = chart.addSeries(n + ", He ×" + s, t.intColumn("hidden layer").asDoubleArray(), y);
                series.setLineColor(Charts.colorOf(n, index));
                series.setLineStyle(s == 1.0 ? new BasicStroke(2.5f) : Charts.dashed(1.2f, s < 1 ? 2f : 8f));
                series.setMarker(SeriesMarkers.NONE);
            }
            index++;
        }
        return chart;
    }
}
