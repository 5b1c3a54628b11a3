package org.normlab.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.data.Dataset;
import org.normlab.nn.Dropout;
import org.normlab.nn.Linear;
import org.normlab.nn.Mode;
import org.normlab.nn.Sequential;
import org.normlab.norm.BatchNorm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.train.RunLog;

/** BnInputs, BatchEstimates and VarianceShift against known moments and the laws they measure. */
class BnInputStatisticsTest {
    private static Dataset gaussian(int n, int c, float std, long seed) {
        return new Dataset("gaussian", Tensor.randn(new Rng(seed), std, n, c), new int[n], 2);
    }

    @Test
    void momentsOfAFeatureMapAreThoseOfEachChannelOverBatchAndPositions() {
        Tensor x = Tensor.randn(new Rng(1), 2f, 3, 2, 2, 2);
        BnInputs.Moments m = BnInputs.moments(x);
        assertEquals(12, m.valuesPerChannel());
        for (int c = 0; c < 2; c++) {
            double sum = 0, sq = 0, q = 0;
            for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) sum += x.data()[(i * 2 + c) * 4 + j];
            double mu = sum / 12;
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    double e = x.data()[(i * 2 + c) * 4 + j] - mu;
                    sq += e * e;
                    q += e * e * e * e;
                }
            }
            assertEquals(mu, m.mean()[c], 1e-12);
            assertEquals(sq / 12, m.var()[c], 1e-12);
            assertEquals(q / 12, m.m4()[c], 1e-12);
        }
    }

    @Test
    void measuringLeavesRunningStatisticsAndTheDropoutStreamAlone() {
        Sequential a = new Sequential(new Linear(4, 3, false), new Dropout(0.5, new Rng(7)), new BatchNorm(3));
        Sequential b = new Sequential(new Linear(4, 3, false), new Dropout(0.5, new Rng(7)), new BatchNorm(3));
        System.arraycopy(((Linear) a.layers().get(0)).weight().value().data(), 0, ((Linear) b.layers().get(0)).weight().value().data(), 0, 12);
        Tensor x = Tensor.randn(new Rng(2), 1f, 8, 4);
        float[] running = ((BatchNorm) a.layers().get(2)).runningVar().data().clone();
        BnInputs.of(a, x, Mode.TRAIN, new Rng(99));
        assertArrayEquals(running, ((BatchNorm) a.layers().get(2)).runningVar().data(), "running statistics put back");
        assertArrayEquals(b.forward(x, Mode.TRAIN).data(), a.forward(x, Mode.TRAIN).data(), "the model draws the masks it would have drawn");
        assertThrows(IllegalArgumentException.class, () -> BnInputs.of(a, x, Mode.TRAIN, null), "dropout in TRAIN needs a mask stream");
    }

    @Test
    void dropoutDirectlyBeforeBnShiftsTheVarianceByOneMinusP() {
        // Zero-mean inputs: Var_train = σ²/(1 − p), Var_eval = σ², so ln(Var_eval/Var_train) = ln(1 − p) = ln 0.5.
        Dataset sample = gaussian(20_000, 4, 1f, 3);
        RunLog log = new RunLog();
        VarianceShift.record(1, 0, new Sequential(new Dropout(0.5, new Rng(1)), new BatchNorm(4)), log, sample, new Rng(5));
        assertEquals(Math.log(0.5), log.last(VarianceShift.metric(1, VarianceShift.LOG_SHIFT)), 0.03);
        // The fresh BN's running variance is 1 = σ²: it matches what inference feeds it.
        assertEquals(0, log.last(VarianceShift.metric(1, VarianceShift.LOG_RUNNING_OVER_EVAL)), 0.03);
        RunLog none = new RunLog();
        VarianceShift.record(1, 0, new Sequential(new BatchNorm(4)), none, sample, new Rng(5));
        assertEquals(0, none.last(VarianceShift.metric(1, VarianceShift.LOG_SHIFT)), 0, "without dropout both modes feed BN the same input");
    }

    @Test
    void varianceErrorOfGaussianBatchesFollowsTwoOverNMinusOne() {
        // iid N(0, 4) values: the unbiased variance's relative MSE is 2/(n − 1) (κ ≈ 0), the mean's squared error 1/n.
        Dataset sample = gaussian(4_000, 64, 2f, 4);
        RunLog log = new RunLog();
        List<Integer> sizes = List.of(2, 8, 32);
        BatchEstimates.record(1, 0, new Sequential(new BatchNorm(64)), log, sample, sizes, new Rng(6));
        for (int n : sizes) {
            double measured = log.last(BatchEstimates.metric(1, n, BatchEstimates.VAR_REL_MSE));
            double predicted = log.last(BatchEstimates.metric(1, n, BatchEstimates.VAR_REL_MSE_PREDICTED));
            assertEquals(2.0 / (n - 1), predicted, 0.1 * 2.0 / (n - 1), "prediction at n=" + n);
            assertEquals(1, measured / predicted, 0.25, "measured vs predicted at n=" + n);
            assertEquals(1, log.last(BatchEstimates.metric(1, n, BatchEstimates.MEAN_SQ_ERR)) * n, 0.25, "mean error at n=" + n);
        }
        assertTrue(log.last(BatchEstimates.metric(1, 2, BatchEstimates.VAR_REL_MSE)) > log.last(BatchEstimates.metric(1, 32, BatchEstimates.VAR_REL_MSE)));
        assertThrows(IllegalArgumentException.class, () -> BatchEstimates.hook(sample, List.of(1, 8)));
    }
}
