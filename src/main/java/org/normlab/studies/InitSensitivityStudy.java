package org.normlab.studies;

import java.awt.BasicStroke;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.HeatMapChart;
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
        Anchor anchor = parts.anchor(anchor(sweep));
        return new Report(parts.build(sweep), summary, shares, heatmapNone, heatmapBn, scales, scalesChart, c7, anchor);
    }

    /** How far above a norm's best mean final loss at a depth an init scale may be and still count as "as good". */
    public static final double BAND_NATS = 0.1;

    /**
     * The width, in decades of init scale, of the band around {@code norm}'s best init scale at {@code depth}: the
     * contiguous run of grid scales whose mean final loss (diverged = ln 10) trains (≤ {@link #TRAINS_BELOW}) and
     * lies within {@link #BAND_NATS} of the best; 0 for a single scale, −∞ when no scale trains.
     */
    static double bandDecades(SweepResult<RunSpec> s, Norm norm, int depth) {
        List<Double> scales = s.runs().stream().map(r -> r.spec().initScale()).distinct().sorted().toList();
        double[] loss = new double[scales.size()];
        int best = 0;
        for (int i = 0; i < loss.length; i++) {
            double x = scales.get(i);
            loss[i] = s.summarize(c -> c.norm().equals(norm) && c.hidden().size() == depth && c.initScale() == x, InitSensitivityStudy::finalLossOrChance).mean();
            if (loss[i] < loss[best]) best = i;
        }
        double limit = Math.min(loss[best] + BAND_NATS, TRAINS_BELOW);
        if (!(loss[best] <= limit)) return Double.NEGATIVE_INFINITY;
        int lo = best, hi = best;
        while (lo > 0 && loss[lo - 1] <= limit) lo--;
        while (hi < loss.length - 1 && loss[hi + 1] <= limit) hi++;
        return Math.log10(scales.get(hi) / scales.get(lo));
    }

    /**
     * The published shape of C7 beside ours, in words (no figure gives numbers for it): with BN the final loss barely
     * depends on the initial weight scale over decades (Ioffe &amp; Szegedy: BN(aW·u) = BN(W·u), the weights' scale
     * leaves the forward pass unchanged), without BN only a narrow band of scales trains. Judged per depth on the band
     * of {@link #bandDecades}.
     */
    static Anchor anchor(SweepResult<RunSpec> s) {
        List<Integer> depths = s.runs().stream().map(r -> r.spec().hidden().size()).distinct().sorted().toList();
        double span = Math.log10(s.runs().stream().mapToDouble(r -> r.spec().initScale()).max().orElse(1)
                / s.runs().stream().mapToDouble(r -> r.spec().initScale()).min().orElse(1));
        List<String> bnText = new ArrayList<>(), noneText = new ArrayList<>();
        boolean bnWide = !depths.isEmpty(), noneNarrow = !depths.isEmpty();
        int wider = 0;
        for (int d : depths) {
            double bn = bandDecades(s, Norm.BN, d), none = bandDecades(s, Norm.NONE, d);
            bnText.add("depth " + d + " " + decades(bn));
            noneText.add("depth " + d + " " + decades(none));
            // Widths are logs of decimal grid ratios, not exact in binary: compared up to rounding.
            bnWide &= bn >= 2 - 1e-9;
            noneNarrow &= none <= 1 + 1e-9;
            if (bn > none + 1e-9) wider++;
        }
        String band = "the band of init scales whose mean final loss trains (≤ " + TRAINS_BELOW + ") and is within " + BAND_NATS + " nats of the best";
        return Anchor.of("C7", "Ioffe & Szegedy 2015; Santurkar et al. 2018 (the shape in words)",
                        "no numbers: with BN the final loss is nearly independent of the initial weight scale over decades; without BN only a narrow band of scales trains",
                "ReLU MLPs of width 128 and depth 3, 10 and 20 on Fashion-MNIST, He initialization scaled by factors spanning decades, with and without BN, the same budget; the band of scales whose final loss trains and is within 0.1 nats of the arm's best, in decades")
                .feature("with BN, " + band + " spans ≥ 2 decades at every depth",
                        String.format(Locale.ROOT, "BN: %s (grid spans %.0f decades)", String.join(", ", bnText), span), bnWide,
                        "the published shape is stated in words for deep nets trained to convergence; within a short budget a BN net started from very small or very large weights has not caught up, because BN removes the scale from the forward pass but not from the step: the effective learning rate goes as 1/‖w‖²")
                .feature("without BN, that band spans ≤ 1 decade at every depth (where no scale trains, there is no band: narrow too)", "none: " + String.join(", ", noneText), noneNarrow,
                        "He scaling puts a plain ReLU net at a good scale at factor 1, and neighbouring factors can train too, more so in shallow nets, so the band without BN can exceed a decade")
                .feature("at every depth BN's band is wider than none's", "BN's wider at " + wider + " of " + depths.size() + " depths",
                        !depths.isEmpty() && wider == depths.size(),
                        "where neither arm has a scale within 0.1 nats of its best that trains, both bands are empty and neither is wider; the deepest nets may need more steps than the budget for BN to reach its best from the far scales")
                .build();
    }

    private static String decades(double width) {
        return width == Double.NEGATIVE_INFINITY ? "no scale trains" : String.format(Locale.ROOT, "%.1f decades", width);
    }

    /** One norm's mean final loss over the init scale × depth grid. */
    private static HeatMapChart heatmap(Table summary, String norm, String title, Scale scale) {
        Table mine = summary.where(summary.stringColumn("norm").isEqualTo(norm));
        return Charts.heatmap(mine, "initScale", "depth", "final train loss (diverged = ln 10)", title + ": final training loss, mean of " + seeds(scale) + " seeds (trains: ≤ " + TRAINS_BELOW + ")");
    }

    /**
     * What the study found: the final loss per norm, depth and init scale (table and one heatmap per norm), the share
     * of the grid that trains per seed, the activation scales at initialization, the C7 verdict, and C7's published
     * shape beside ours.
     */
    public record Report(Findings findings, Table finalLoss, Table shareThatTrains, HeatMapChart heatmapNone, HeatMapChart heatmapBn,
                         Table activationScales, XYChart activationScalesChart, Verdict c7, Anchor anchor) implements StudyReport {}

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
