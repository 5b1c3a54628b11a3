package org.normlab.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.model.MbConvNet;
import org.normlab.nn.Activation;
import org.normlab.nn.Init;
import org.normlab.nn.Mode;
import org.normlab.nn.Residual;
import org.normlab.nn.Sequential;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.GhostBatchNorm;
import org.normlab.norm.Norm;
import org.normlab.experiment.Experiment;
import org.normlab.experiment.RunSpec;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.train.RunLog;

class PreciseBnTest {
    @Test
    void findsEveryBatchNormInsideBlocksAndWrappers() {
        // MbConvNet: the stem's BN, then 2 + 3 + 3 inside the MBConv blocks (expansion, depthwise, projection).
        var mbconv = MbConvNet.build(Norm.BN, Init.he(), new Rng(1));
        assertEquals(9, PreciseBn.batchNorms(mbconv).size());
        assertEquals(0, PreciseBn.batchNorms(MbConvNet.build(Norm.LN, Init.he(), new Rng(1))).size());
        var ghost = new Sequential(new Residual(new GhostBatchNorm(4, 2)));
        assertEquals(1, PreciseBn.batchNorms(ghost).size());
    }

    @Test
    void recomputedStatisticsAreTheEqualWeightAverageOfBatchStatistics() {
        BatchNorm bn = new BatchNorm(2);
        Sequential model = new Sequential(bn);
        Tensor x = Tensor.randn(new Rng(1), 3f, 12, 2);
        for (int i = 0; i < 5; i++) bn.forward(Tensor.randn(new Rng(10 + i), 1f, 4, 2), Mode.TRAIN);  // some EMA history
        PreciseBn.recompute(model, new Dataset("x", x, new int[12], 1), 3, 4);
        for (int c = 0; c < 2; c++) {
            double meanOfMeans = 0, meanOfVars = 0;
            for (int b = 0; b < 3; b++) {
                double m = 0, v = 0;
                for (int n = 0; n < 4; n++) m += x.get(4 * b + n, c) / 4.0;
                for (int n = 0; n < 4; n++) v += Math.pow(x.get(4 * b + n, c) - m, 2) / 3.0;  // unbiased
                meanOfMeans += m / 3;
                meanOfVars += v / 3;
            }
            assertEquals(meanOfMeans, bn.runningMean().get(c), 1e-5);
            assertEquals(meanOfVars, bn.runningVar().get(c), 1e-4);
        }
        assertEquals(0.1, bn.momentum(), "momentum is restored");
    }

    @Test
    void thePreciseBnMetricLeavesTheRunItselfUntouched() {
        Dataset test = FashionMnist.fromEnvironment().load(FashionMnist.Split.TEST);
        Dataset train = test.head(1000), held = test.head(1200).select(IntStream.range(1000, 1200).toArray());
        RunSpec c = RunSpec.mlp(List.of(32), Activation.Kind.SIGMOID).withNorm(Norm.BN).withTrainSize(1000).withLogEvery(5);
        RunLog plain = Experiment.run(c, train, held, null);
        RunLog precise = Experiment.run(c.withPreciseBnBatches(4), train, held, null);
        List<RunLog.Point> withoutExtra = precise.points().stream().filter(p -> !p.metric().endsWith("precise_bn")).toList();
        assertEquals(plain.points(), withoutExtra);
        assertTrue(precise.last(Experiment.TEST_ACC_PRECISE) > 0.3);
    }
}
