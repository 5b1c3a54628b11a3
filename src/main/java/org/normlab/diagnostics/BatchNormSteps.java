package org.normlab.diagnostics;

import java.util.ArrayList;
import java.util.List;
import org.normlab.nn.Mode;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.LayerNorm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * One BatchNorm (one channel, PyTorch's momentum 0.1) through a few training batches, step by step, then one
 * evaluation batch, with a LayerNorm beside it. Every batch is (B, 1, 4, 4) with values drawn from N(μ, σ²), so the
 * running statistics have a known target. The two momentum conventions, written with each library's own m:
 * <pre>
 *   PyTorch (m = 0.1):   running ← (1 − m)·running + m·batch      running_var uses the unbiased σ²_B·M/(M − 1)
 *   Keras   (m = 0.99):  running ← m·running + (1 − m)·batch      moving_variance uses the biased σ²_B
 * </pre>
 * (M = B·16 values per batch.) PyTorch's m weighs the new batch, Keras' m the old average: PyTorch 0.1 is Keras 0.9,
 * and Keras' default 0.99 is PyTorch 0.01, ten times slower. The PyTorch columns are read from the layer; the Keras
 * columns are that rule computed here from the same batch statistics (no Keras layer runs).
 */
public final class BatchNormSteps {
    public static final double KERAS_MOMENTUM = 0.99;
    private static final int H = 4, W = 4;

    /**
     * One training step.
     *
     * @param batchMean    μ_B of the batch
     * @param batchVar     the biased σ²_B (what normalizes the batch)
     * @param unbiasedVar  σ²_B·M/(M − 1) (what PyTorch puts into running_var)
     * @param runningMean  the layer's running mean after this step; likewise runningVar
     * @param kerasMean    Keras' moving mean after this step (its rule, m = 0.99); likewise kerasVar
     */
    public record Step(int step, double batchMean, double batchVar, double unbiasedVar, double runningMean, double runningVar,
                       double kerasMean, double kerasVar) {}

    private final double mean, std;
    private final int batchSize;
    private final double momentum;
    private final List<Step> steps;
    private final Table modes;

    private BatchNormSteps(double mean, double std, int batchSize, double momentum, List<Step> steps, Table modes) {
        this.mean = mean;
        this.std = std;
        this.batchSize = batchSize;
        this.momentum = momentum;
        this.steps = steps;
        this.modes = modes;
    }

    /**
     * Runs {@code steps} TRAIN batches of {@code batchSize} through a fresh {@code BatchNorm(1)} (and LayerNorm([1, 4, 4])),
     * then one more batch from the same distribution in EVAL and TRAIN mode.
     */
    public static BatchNormSteps run(int steps, int batchSize, double mean, double std, long seed) {
        if (steps < 1) throw new IllegalArgumentException("BatchNormSteps: steps must be at least 1, got " + steps);
        if (batchSize < 1) throw new IllegalArgumentException("BatchNormSteps: batch size must be at least 1, got " + batchSize);
        Rng rng = new Rng(seed);
        BatchNorm bn = new BatchNorm(1);
        LayerNorm ln = new LayerNorm(1, H, W);
        double keras = 0, kerasVar = 1;  // Keras starts where PyTorch does: moving mean 0, moving variance 1
        List<Step> rows = new ArrayList<>();
        rows.add(new Step(0, Double.NaN, Double.NaN, Double.NaN, bn.runningMean().data()[0], bn.runningVar().data()[0], keras, kerasVar));
        for (int s = 1; s <= steps; s++) {
            Tensor x = batch(rng, batchSize, mean, std);
            double[] moments = moments(x);
            int m = x.size();
            bn.forward(x, Mode.TRAIN);
            ln.forward(x, Mode.TRAIN);
            keras = KERAS_MOMENTUM * keras + (1 - KERAS_MOMENTUM) * moments[0];
            kerasVar = KERAS_MOMENTUM * kerasVar + (1 - KERAS_MOMENTUM) * moments[1];
            rows.add(new Step(s, moments[0], moments[1], m > 1 ? moments[1] * m / (m - 1) : Double.NaN,
                    bn.runningMean().data()[0], bn.runningVar().data()[0], keras, kerasVar));
        }
        Tensor test = batch(rng, batchSize, mean, std);
        float[] bnEval = bn.forward(test, Mode.EVAL).data().clone();  // EVAL first: the TRAIN forward would update the running statistics
        float[] bnTrain = bn.forward(test, Mode.TRAIN).data().clone();
        float[] lnEval = ln.forward(test, Mode.EVAL).data().clone();
        float[] lnTrain = ln.forward(test, Mode.TRAIN).data().clone();
        StringColumn layer = StringColumn.create("layer"), mode = StringColumn.create("mode"), stats = StringColumn.create("statistics used");
        DoubleColumn outMean = DoubleColumn.create("output mean"), outStd = DoubleColumn.create("output std"),
                diff = DoubleColumn.create("max |y − y(TRAIN)|");
        Object[][] cases = {{"BN", "TRAIN", bnTrain, bnTrain, "this batch's μ_B, σ²_B"}, {"BN", "EVAL", bnEval, bnTrain, "running mean and variance"},
                {"LN", "TRAIN", lnTrain, lnTrain, "each sample's own μ, σ²"}, {"LN", "EVAL", lnEval, lnTrain, "each sample's own μ, σ²"}};
        for (Object[] c : cases) {
            float[] y = (float[]) c[2], reference = (float[]) c[3];
            double[] ym = moments(Tensor.of(y, test.shape()));
            layer.append((String) c[0]);
            mode.append((String) c[1]);
            outMean.append(ym[0]);
            outStd.append(Math.sqrt(ym[1]));
            diff.append(maxAbsDifference(y, reference));
            stats.append((String) c[4]);
        }
        Table modes = Table.create("evaluation batch after " + steps + " steps", layer, mode, stats, outMean, outStd, diff);
        return new BatchNormSteps(mean, std, batchSize, bn.momentum(), rows, modes);
    }

    public List<Step> steps() { return steps; }
    /** The mean and standard deviation the batches are drawn from. */
    public double trueMean() { return mean; }
    public double trueStd() { return std; }
    public int batchSize() { return batchSize; }
    /** The BatchNorm's (PyTorch) momentum. */
    public double momentum() { return momentum; }

    /** The steps as a table; step 0 holds the initial running statistics (no batch yet). */
    public Table table() {
        IntColumn step = IntColumn.create("step");
        DoubleColumn[] cols = {DoubleColumn.create("batch mean μ_B"), DoubleColumn.create("batch var σ²_B"), DoubleColumn.create("unbiased σ²_B·M/(M−1)"),
                DoubleColumn.create("running mean (PyTorch m=" + momentum + ")"), DoubleColumn.create("running var (PyTorch m=" + momentum + ")"),
                DoubleColumn.create("moving mean (Keras m=" + KERAS_MOMENTUM + ")"), DoubleColumn.create("moving var (Keras m=" + KERAS_MOMENTUM + ")")};
        for (Step s : steps) {
            step.append(s.step());
            double[] v = {s.batchMean(), s.batchVar(), s.unbiasedVar(), s.runningMean(), s.runningVar(), s.kerasMean(), s.kerasVar()};
            for (int i = 0; i < cols.length; i++) cols[i].append(v[i]);
        }
        return Table.create("BatchNorm(C=1), batches of " + batchSize + "×1×" + H + "×" + W + " from N(" + mean + ", " + std + "²)", step).addColumns(cols);
    }

    /**
     * The evaluation batch in both modes: BN's TRAIN output uses that batch's statistics, its EVAL output the running
     * ones (so they differ while the running statistics lag); LN's two modes compute the same thing.
     */
    public Table modes() { return modes; }

    private static Tensor batch(Rng rng, int batchSize, double mean, double std) {
        Tensor x = Tensor.randn(rng, (float) std, batchSize, 1, H, W);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) d[i] += (float) mean;
        return x;
    }

    /** {mean, biased variance} of every value of x, in double. */
    private static double[] moments(Tensor x) {
        double sum = 0, squares = 0;
        for (float v : x.data()) sum += v;
        double mu = sum / x.size();
        for (float v : x.data()) squares += (v - mu) * (v - mu);
        return new double[] {mu, squares / x.size()};
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs((double) a[i] - b[i]));
        return max;
    }
}
