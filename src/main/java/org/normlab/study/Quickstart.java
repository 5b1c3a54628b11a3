package org.normlab.study;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.norm.Placement;
import org.normlab.plot.Charts;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The first look: the same sigmoid MLP on Fashion-MNIST trained with and without BatchNorm, a few seeds each.
 *
 * <p>Budget per scale: smoke = 2 048 images, 1 epoch, 2 seeds (CI); default = all 60 000 images, 2 epochs,
 * 3 seeds; full = 10 epochs, 5 seeds.
 */
public final class Quickstart {
    /** The train accuracy whose first crossing counts as "converged" in the summary. */
    public static final double TARGET_TRAIN_ACC = 0.80;
    public static final List<Norm> NORMS = List.of(Norm.NONE, Norm.BN);

    private Quickstart() {}

    /** The config of seed 0 without normalization at this scale; the study varies norm and seed. */
    public static RunConfig baseConfig(Scale scale) {
        return new RunConfig(Norm.NONE, Placement.BEFORE, Activation.Kind.SIGMOID, scale.pick(List.of(128, 128), List.of(256, 256, 256), List.of(256, 256, 256)),
                0.1, 0.0, 64, scale.pick(1, 2, 10), 0, scale.pick(2048, 60_000, 60_000), scale.pick(4, 47, 94), 0);
    }

    public static int seeds(Scale scale) { return scale.pick(2, 3, 5); }

    /** Runs the study at the scale this JVM was asked for ({@link Scale#current()}). */
    public static Result run() { return run(Scale.current()); }

    public static Result run(Scale scale) {
        Dataset train = FashionMnist.train();
        Dataset test = scale == Scale.SMOKE ? FashionMnist.test().head(1000) : FashionMnist.test();
        return run(scale, train, test, System.out);
    }

    /** Runs every norm × seed on the given data, printing one line per finished run to {@code out} (may be null). */
    public static Result run(Scale scale, Dataset train, Dataset test, PrintStream out) {
        RunConfig base = baseConfig(scale);
        List<Results.Run> runs = new ArrayList<>();
        int total = NORMS.size() * seeds(scale), done = 0;
        for (Norm norm : NORMS) {
            for (int seed = 0; seed < seeds(scale); seed++) {
                RunConfig config = base.withNorm(norm).withSeed(seed);
                RunLog log = Experiment.run(config, train, test, null);
                runs.add(new Results.Run(config, log));
                done++;
                if (out != null) {
                    // One println per line: the kernel sends each write as its own output message.
                    out.println(String.format(Locale.ROOT, "[%d/%d] %-4s seed %d: train acc %.3f, test acc %.3f%s (%.1f s)", done, total, norm.label(), seed,
                            log.last(Trainer.TRAIN_ACC), log.last(Trainer.TEST_ACC),
                            log.diverged() ? ", DIVERGED at step " + log.divergedAtStep() : "", log.wallSeconds()));
                }
            }
        }
        return new Result(scale, base, Results.tidy("quickstart (" + scale + ")", runs), Results.runs("runs", runs));
    }

    /**
     * What the quickstart measured.
     *
     * @param table tidy: norm, lr, batch, seed, step, epoch, metric, value
     * @param runs  one row per run (diverged?, wall time)
     */
    public record Result(Scale scale, RunConfig base, Table table, Table runs) {

        /** Learning curves of {@code metric} (train_loss, train_acc, test_loss, test_acc) per norm. */
        public XYChart curves(String metric) {
            return Charts.learningCurves(table, metric, "norm",
                    metric + " — sigmoid MLP " + base.hidden() + ", Fashion-MNIST, lr " + base.lr() + ", batch " + base.batchSize());
        }

        /**
         * Per norm, means over seeds: final train loss and accuracy, final test accuracy, and the first logged step at
         * which train accuracy reached {@link #TARGET_TRAIN_ACC} (missing when a seed never did).
         */
        public Table summary() {
            StringColumn norm = StringColumn.create("norm");
            IntColumn seeds = IntColumn.create("seeds");
            DoubleColumn trainLoss = DoubleColumn.create("final train loss"), trainAcc = DoubleColumn.create("final train acc"),
                    testAcc = DoubleColumn.create("final test acc"), toTarget = DoubleColumn.create("steps to train acc " + TARGET_TRAIN_ACC);
            for (String label : table.stringColumn("norm").unique().asList()) {
                Table mine = table.where(table.stringColumn("norm").isEqualTo(label));
                List<Long> seedList = mine.longColumn("seed").unique().asList();
                double tl = 0, ta = 0, te = 0, steps = 0;
                boolean allReached = true;
                for (long seed : seedList) {
                    Table run = mine.where(mine.longColumn("seed").isEqualTo(seed));
                    tl += last(run, Trainer.TRAIN_LOSS);
                    ta += last(run, Trainer.TRAIN_ACC);
                    te += last(run, Trainer.TEST_ACC);
                    int reached = firstStepAtLeast(run, Trainer.TRAIN_ACC, TARGET_TRAIN_ACC);
                    if (reached < 0) allReached = false; else steps += reached;
                }
                int k = seedList.size();
                norm.append(label);
                seeds.append(k);
                trainLoss.append(round(tl / k));
                trainAcc.append(round(ta / k));
                testAcc.append(round(te / k));
                if (allReached) toTarget.append(steps / k); else toTarget.appendMissing();
            }
            return Table.create("quickstart summary (" + scale + ")", norm, seeds, trainLoss, trainAcc, testAcc, toTarget);
        }

        /** One sentence comparing the norms' final numbers, written from {@link #summary()}. */
        public String headline() {
            Table s = summary();
            StringBuilder sb = new StringBuilder("After " + base.epochs() + " epoch(s) at " + scale + " scale (mean of "
                    + s.intColumn("seeds").get(0) + " seeds): ");
            for (int i = 0; i < s.rowCount(); i++) {
                sb.append(i == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s — train loss %.3f, train acc %.3f, test acc %.3f",
                        s.stringColumn("norm").get(i), s.doubleColumn(2).get(i), s.doubleColumn(3).get(i), s.doubleColumn(4).get(i)));
            }
            int best = 0;
            for (int i = 1; i < s.rowCount(); i++) if (s.doubleColumn(2).get(i) < s.doubleColumn(2).get(best)) best = i;
            return sb.append(". Lowest final train loss: ").append(s.stringColumn("norm").get(best)).append('.').toString();
        }

        private static double last(Table run, String metric) {
            Table m = run.where(run.stringColumn("metric").isEqualTo(metric));
            return m.rowCount() == 0 ? Double.NaN : m.doubleColumn("value").get(m.rowCount() - 1);
        }

        private static int firstStepAtLeast(Table run, String metric, double target) {
            Table m = run.where(run.stringColumn("metric").isEqualTo(metric));
            for (int i = 0; i < m.rowCount(); i++) if (m.doubleColumn("value").get(i) >= target) return m.intColumn("step").get(i);
            return -1;
        }

        private static double round(double v) { return Math.round(v * 10_000) / 10_000.0; }
    }
}
