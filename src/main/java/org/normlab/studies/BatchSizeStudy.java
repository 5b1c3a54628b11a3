package org.normlab.studies;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.normlab.data.Dataset;
import org.normlab.experiment.Anchor;
import org.normlab.experiment.DataSpec;
import org.normlab.experiment.Engine;
import org.normlab.experiment.Axes;
import org.normlab.experiment.Findings;
import org.normlab.experiment.Plan;
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
import org.normlab.nn.Mode;
import org.normlab.norm.GroupNorm;
import org.normlab.norm.InstanceNorm;
import org.normlab.norm.LayerNorm;
import org.normlab.norm.Norm;
import org.normlab.plot.Charts;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.train.Trainer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Claims C8 (BN depends on the batch size, LN/GN do not; GN is best at small batches) and C11 (GN normalizes channel
 * groups: G = 1 is LN, G = C is IN). LeNet (ReLU, SGD with momentum 0.9) on a Fashion-MNIST subset, with BN, GN(2),
 * LN, IN, Batch Renorm and GN+WS(2), for batch sizes 2 … 128 with the learning rate scaled linearly with the batch
 * ({@code lr = LR_PER_32 · b / 32}, Goyal et al.'s rule). Every run sees the same number of images (fixed training
 * subset and epochs), so a small batch takes many more, smaller steps.
 *
 * <p>The statistic for C8 is the test error, 1 − final test accuracy, paired by seed. The group count is read from
 * the same runs (LN is built as GroupNorm(1, C); IN is the per-channel end, without affine and after the
 * convolutions only), and C11's equalities are checked on the layers themselves: the largest absolute difference of
 * outputs on random inputs.
 */
public final class BatchSizeStudy implements Study<BatchSizeStudy.Report> {
    public static final List<Norm> NORMS = List.of(Norm.BN, Norm.GN(2), Norm.LN, Norm.IN, Norm.BRN, Norm.GN_WS(2));
    public static final double LR_PER_32 = 0.05;
    public static final int SMALL = 2, REFERENCE = 32;
    /** Above this largest difference two layers count as different (float32 rounding of unit-scale outputs is ~1e-7). */
    public static final double SAME_OUTPUT = 1e-5;

    @Override public String name() { return "batch-size"; }

    @Override public String title() { return "C8/C11: BN vs GN vs LN vs IN (+BRN, GN+WS) on LeNet for batch 2…128, lr scaled with batch; group count"; }

    public static int seeds(Scale scale) { return scale.pick(2, 3, 5); }

    public static List<Integer> batchSizes(Scale scale) { return scale.pick(List.of(SMALL, REFERENCE), List.of(2, 4, 8, 16, 32, 128), List.of(2, 4, 8, 16, 32, 128)); }

    public static int trainSize(Scale scale) { return scale.pick(512, 4_000, 20_000); }

    public static int epochs(Scale scale) { return scale.pick(1, 2, 5); }

    /** The learning rate for batch size b: linear scaling from {@link #LR_PER_32} at batch 32. */
    public static double lr(int batchSize) { return LR_PER_32 * batchSize / REFERENCE; }

    public static Sweep<RunSpec> sweep(Scale scale) {
        int n = trainSize(scale);
        RunSpec base = RunSpec.lenet(Activation.Kind.RELU).withMomentum(0.9)
                .withSampling(DataSpec.Sampling.PER_SEED).withTrainSize(n).withTestSize(scale.pick(500, 2_000, 10_000)).withEpochs(epochs(scale));
        // Batch size, its learning rate and a log interval giving two logs per epoch move together on one axis.
        Axis<RunSpec, Integer> batch = Axes.BATCH_SIZE.and(Axes.LR, BatchSizeStudy::lr).and(Axes.LOG_EVERY, b -> Math.max(1, n / b / 2));
        return Sweep.of("batch-size-" + scale, base).vary(Axes.NORM, NORMS).vary(batch, batchSizes(scale)).seeds(seeds(scale));
    }

    @Override
    public String learningRate(Scale scale) {
        return "not tuned: the GN paper's design, the rate scaled linearly with the batch (lr = " + LR_PER_32 + " · b / 32, Goyal et al.'s rule) "
                + "for every norm; the claim is how each norm degrades as the batch shrinks under that rule, and a rate tuned per norm and "
                + "batch size would remove part of the effect measured (re-tuning with BN is a claim of its own, C21)";
    }

    @Override
    public List<Verdict.Criterion> criteria(Scale scale) {
        return List.of(
                Verdict.Criterion.above("C8 (BN depends on batch size, GN does not)",
                        "[test error BN(b=2) − BN(b=32)] − [test error GN(2)(b=2) − GN(2)(b=32)], paired by seed", 0).changedAfterResults(Revisions.PER_SEED_SUBSETS),
                Verdict.Criterion.above("C8 (GN beats BN at batch 2)", "test error BN(b=2) − test error GN(2)(b=2), paired by seed", 0).changedAfterResults(Revisions.PER_SEED_SUBSETS),
                Verdict.Criterion.below("C11 (G = 1 is LN)", "max |GroupNorm(1, C)(x) − LayerNorm([C,H,W])(x)| per random input", SAME_OUTPUT).check(),
                Verdict.Criterion.below("C11 (G = C is IN)", "max |GroupNorm(C, C)(x) − InstanceNorm(C)(x)| per random input", SAME_OUTPUT).check());
    }

    /** 1 − final test accuracy; chance error 0.9 when the run diverged or failed (the divergence policy). */
    public static double testError(Results.Run<RunSpec> r) { return 1 - SweepResult.finalOrChance(r, Trainer.TEST_ACC); }

    /** Per seed, test error of {@code norm} at batch {@code small} minus at batch {@code reference}. */
    static Summary errorIncrease(SweepResult<RunSpec> s, Norm norm, int small, int reference) {
        return s.pairedDifference(c -> c.norm().equals(norm) && c.batchSize() == small, c -> c.norm().equals(norm) && c.batchSize() == reference,
                BatchSizeStudy::testError);
    }

    /** Per seed, [error increase of {@code a} from reference to small batch] − [the same for {@code b}]. */
    static Summary differenceOfIncreases(SweepResult<RunSpec> s, Norm a, Norm b, int small, int reference) {
        return s.pairedInteraction(c -> c.norm().equals(a) && c.batchSize() == small, c -> c.norm().equals(a) && c.batchSize() == reference,
                c -> c.norm().equals(b) && c.batchSize() == small, c -> c.norm().equals(b) && c.batchSize() == reference, BatchSizeStudy::testError);
    }

    /** The largest absolute difference between two tensors of the same shape. */
    public static double maxAbsDifference(Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("BatchSizeStudy: shapes differ: " + Arrays.toString(a.shape()) + " vs " + Arrays.toString(b.shape()));
        }
        double max = 0;
        for (int i = 0; i < a.data().length; i++) max = Math.max(max, Math.abs((double) a.data()[i] - b.data()[i]));
        return max;
    }

    /**
     * For {@code inputs} random (4, 6, 12, 12) inputs (seeds 0 …), the largest output difference between GroupNorm with
     * one group and LayerNorm over (C, H, W) ({@code groupsEqualChannels} false), or between GroupNorm with C groups
     * and InstanceNorm (true); freshly built layers, γ = 1 and β = 0.
     */
    public static Summary groupEquivalence(boolean groupsEqualChannels, int inputs) {
        int c = 6;
        double[] diffs = new double[inputs];
        for (int i = 0; i < inputs; i++) {
            Tensor x = Tensor.randn(new Rng(i), 3f, 4, c, 12, 12);
            Tensor gn = new GroupNorm(groupsEqualChannels ? c : 1, c).forward(x, Mode.TRAIN);
            Tensor other = groupsEqualChannels ? new InstanceNorm(c).forward(x, Mode.TRAIN) : new LayerNorm(c, 12, 12).forward(x, Mode.TRAIN);
            diffs[i] = maxAbsDifference(gn, other);
        }
        return Summary.of(diffs);
    }

    @Override
    public Plan plan(Scale scale) {
        int inputs = scale.pick(3, 5, 10);
        return Plan.of(name(), scale, sweep(scale)).note("C11: GroupNorm(1, C) vs LayerNorm and GroupNorm(C, C) vs InstanceNorm on " + inputs
                + " random (4, 6, 12, 12) inputs");
    }

    @Override
    public Report run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, Engine engine) {
        SweepResult<RunSpec> s = sweep(scale).run(train, test, store, progress, engine);
        int inputs = scale.pick(3, 5, 10);
        List<Verdict.Criterion> c = declaredCriteria(scale);
        Findings.Builder parts = Findings.builder(name(), scale);
        Verdict c8Dependence = parts.verdict(c.get(0).judge(differenceOfIncreases(s, Norm.BN, Norm.GN(2), SMALL, REFERENCE)));
        Verdict c8SmallBatch = parts.verdict(c.get(1).judge(s.pairedDifference(r -> r.norm().equals(Norm.BN) && r.batchSize() == SMALL,
                r -> r.norm().equals(Norm.GN(2)) && r.batchSize() == SMALL, BatchSizeStudy::testError)));
        Verdict c11Ln = parts.verdict(c.get(2).judge(groupEquivalence(false, inputs)));
        Verdict c11In = parts.verdict(c.get(3).judge(groupEquivalence(true, inputs)));
        Anchor anchor = parts.anchor(anchor(s));

        SweepResult<RunSpec> byNormAndBatch = SweepResult.of(s.name(), s.runs(), Axes.NORM, Axes.BATCH_SIZE);
        Table error = parts.table("test-error", byNormAndBatch.summary("test error", BatchSizeStudy::testError));
        Table increase = parts.table("error-increase", increaseTable(s));
        Table groupCount = parts.table("group-count", groupCountTable(error));

        Table finals = byNormAndBatch.finals(Trainer.TEST_ACC);
        DoubleColumn err = DoubleColumn.create("test error");
        for (double a : finals.doubleColumn("final " + Trainer.TEST_ACC)) err.append(1 - a);
        finals.addColumns(err);
        XYChart errorVsBatch = parts.figure("error-vs-batch", Charts.versus(finals, "batchSize", "batch size (log scale); lr = " + LR_PER_32 + " · batch / 32",
                true, "norm", "test error", "LeNet on Fashion-MNIST (" + trainSize(scale) + " images × " + epochs(scale) + " epochs): test error vs batch size"));
        CategoryChart groupCountChart = parts.figure("group-count", Charts.bars(groupCountTable(error), "batchSize", "groups", "test error", "ci95_lo", "ci95_hi",
                "Test error by group count: G = 1 (LN), 2, C (IN)"));
        return new Report(parts.build(s), error, increase, errorVsBatch, groupCount, groupCountChart, c8Dependence, c8SmallBatch, c11Ln, c11In, anchor);
    }

    /** Mean test error of {@code norm} at batch {@code b} over seeds. */
    static double meanError(SweepResult<RunSpec> s, Norm norm, int b) {
        return s.summarize(c -> c.norm().equals(norm) && c.batchSize() == b, BatchSizeStudy::testError).mean();
    }

    /**
     * Wu &amp; He's Fig. 1 beside ours. Their net is a ResNet-50 on ImageNet with GN of 32 groups, ours LeNet on
     * Fashion-MNIST with GN of 2 groups, so only the shape is compared: BN's error rises as the batch shrinks while
     * GN's barely moves, GN wins at batch 2, and at batch 32 the order is BN &lt; GN &lt; LN &lt; IN.
     */
    static Anchor anchor(SweepResult<RunSpec> s) {
        double bnSmall = meanError(s, Norm.BN, SMALL), bnRef = meanError(s, Norm.BN, REFERENCE);
        double gnSmall = meanError(s, Norm.GN(2), SMALL), gnRef = meanError(s, Norm.GN(2), REFERENCE);
        double lnRef = meanError(s, Norm.LN, REFERENCE), inRef = meanError(s, Norm.IN, REFERENCE);
        Summary bnRise = errorIncrease(s, Norm.BN, SMALL, REFERENCE), gnRise = errorIncrease(s, Norm.GN(2), SMALL, REFERENCE);
        return Anchor.of("C8", "Wu & He 2018, Fig. 1 (ResNet-50, ImageNet)",
                        "BN 23.6% error at batch 32 → 34.7% at batch 2; GN (G = 32) 24.1% and flat; at batch 32 BN 23.6, GN 24.1, LN 25.3, IN 28.4",
                "LeNet (6 and 16 channels, ReLU, SGD with momentum 0.9) on a Fashion-MNIST subset with BN, GN with 2 groups, LN and IN, batches 2 to 128 with the rate scaled linearly with the batch; every run sees the same images, so small batches take more, smaller steps")
                .feature("BN's error rises from batch " + REFERENCE + " to " + SMALL + " (95% interval of the paired rise above 0)",
                        String.format(Locale.ROOT, "BN %.1f%% → %.1f%% (rise %s)", 100 * bnRef, 100 * bnSmall, points(bnRise)), bnRise.lo() > 0,
                        "Wu & He keep ResNet-50's schedule and change only the per-GPU batch; our small batches take many small steps at a linearly scaled rate, so BN's error also reflects how that rate suits a short budget")
                .feature("GN's rise is under a third of BN's",
                        String.format(Locale.ROOT, "GN(2) %.1f%% → %.1f%% (rise %s)", 100 * gnRef, 100 * gnSmall, points(gnRise)),
                        bnRise.mean() > 0 && gnRise.mean() < bnRise.mean() / 3,
                        "LeNet's 6 channels allow only 2 groups of 3 channels, so each group's statistics come from few values, unlike GN(32) over 64–2048 channels; small groups make GN noisier at small batches than in the paper")
                .feature("at batch " + SMALL + " GN's error is below BN's",
                        String.format(Locale.ROOT, "at batch %d GN(2) %.1f%%, BN %.1f%%", SMALL, 100 * gnSmall, 100 * bnSmall), gnSmall < bnSmall,
                        "as for GN's rise: with groups of 3 channels GN's own statistics are noisy at batch 2, which narrows its edge over BN")
                .feature("at batch " + REFERENCE + " the order is BN < GN < LN < IN",
                        String.format(Locale.ROOT, "at batch %d BN %.1f, GN(2) %.1f, LN %.1f, IN %.1f", REFERENCE, 100 * bnRef, 100 * gnRef, 100 * lnRef, 100 * inRef),
                        bnRef < gnRef && gnRef < lnRef && lnRef < inRef,
                        "the batch-32 order on ImageNet reflects ResNet-50's wide layers; in LeNet, with 6 and 16 channels, LN and GN(2) normalize nearly the same values and IN is applied after the convolutions only, so their order can be within the seeds' spread")
                .build();
    }

    private static String points(Summary d) {
        return String.format(Locale.ROOT, "%+.1f points [%+.1f, %+.1f]", 100 * d.mean(), 100 * d.lo(), 100 * d.hi());
    }

    /**
     * What the study found: test error per norm and batch size (table and figure), its increase from batch 32 to
     * batch 2 per norm, the error by group count, and the verdicts on C8 and C11.
     */
    public record Report(Findings findings, Table testError, Table errorIncrease, XYChart errorVsBatch, Table groupCount, CategoryChart groupCountChart,
                         Verdict c8Dependence, Verdict c8SmallBatch, Verdict c11Ln, Verdict c11In, Anchor anchor) implements StudyReport {}

    /** Per norm: test error at batch 2 minus at batch 32, paired by seed. */
    static Table increaseTable(SweepResult<RunSpec> s) {
        StringColumn norm = StringColumn.create("norm");
        DoubleColumn mean = DoubleColumn.create("test error(b=" + SMALL + ") − test error(b=" + REFERENCE + ")"),
                lo = DoubleColumn.create("ci95_lo"), hi = DoubleColumn.create("ci95_hi");
        for (Norm n : NORMS) {
            Summary d = errorIncrease(s, n, SMALL, REFERENCE);
            norm.append(n.label());
            mean.append(d.mean());
            lo.append(d.lo());
            hi.append(d.hi());
        }
        return Table.create(s.name() + ": test-error increase from batch " + REFERENCE + " to batch " + SMALL + ", paired by seed", norm, mean, lo, hi);
    }

    /** The rows of LN, GN(2) and IN from the error table, labelled by their group count. */
    static Table groupCountTable(Table error) {
        Table t = error.where(error.stringColumn("norm").isEqualTo("LN"));  // in order of the group count: 1, 2, C
        t.append(error.where(error.stringColumn("norm").isEqualTo("GN(2)"))).append(error.where(error.stringColumn("norm").isEqualTo("IN")));
        StringColumn groups = StringColumn.create("groups");
        for (String n : t.stringColumn("norm")) groups.append(switch (n) { case "LN" -> "G=1 (LN)"; case "GN(2)" -> "G=2"; default -> "G=C (IN)"; });
        t.addColumns(groups);
        t.setName(error.name() + " by group count");
        return t;
    }
}
