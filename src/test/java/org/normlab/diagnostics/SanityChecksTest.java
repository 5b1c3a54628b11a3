package org.normlab.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.data.Dataset;
import org.normlab.model.Models;
import org.normlab.model.Placement;
import org.normlab.nn.Activation;
import org.normlab.nn.Flatten;
import org.normlab.nn.Init;
import org.normlab.nn.Linear;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.nn.Sequential;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.Norm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import tech.tablesaw.api.Table;
import org.junit.jupiter.api.Assertions;

/** The checklist passes correct models and catches each teaching fault, by the check meant to catch it. */
class SanityChecksTest {
    private static Dataset images(long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.randn(rng, 1f, 80, 1, 28, 28);
        for (int i = 0; i < x.size(); i++) x.data()[i] = 0.3f + 0.3f * x.data()[i];
        int[] labels = new int[80];
        for (int i = 0; i < 80; i++) labels[i] = rng.nextInt(10);
        return new Dataset("noise images", x, labels, 10);
    }

    private static Sequential mlpBn(long seed) {
        return Models.mlp(new int[] {784, 64, 32, 10}, Activation.Kind.RELU, Norm.BN, Placement.BEFORE, Init.he(), new Rng(seed));
    }

    private static List<String> failed(Table t) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) if (!t.booleanColumn("passed").get(i)) out.add(t.stringColumn("check").get(i));
        return out;
    }

    @Test
    void correctModelsPassEveryCheck() {
        for (Sequential m : List.of(mlpBn(1), Models.lenet(Norm.BN, Activation.Kind.SIGMOID, Init.xavier(), new Rng(2)),
                Models.mlp(new int[] {784, 32, 10}, Activation.Kind.TANH, Norm.LN, Placement.BEFORE, Init.xavier(), new Rng(3)))) {
            Table t = SanityChecks.run(m, images(5));
            assertEquals(List.of(), failed(t), m.describe() + "\n" + t.printAll());
        }
    }

    @Test
    void aModelWithTwoBatchNormsGetsFourRowsPerBatchNorm() {
        assertEquals(4 + 2 * 4, SanityChecks.run(mlpBn(1), images(5)).rowCount());
        assertEquals(4, SanityChecks.run(Models.mlp(new int[] {784, 16, 10}, Activation.Kind.RELU, Norm.NONE, Placement.BEFORE, Init.he(),
                new Rng(1)), images(5)).rowCount());
    }

    @Test
    void forgottenEvalModeFailsTheSwitchChecks() {
        List<String> f = failed(SanityChecks.run(Faults.forgetsEvalMode(mlpBn(1)), images(5)));
        assertTrue(f.stream().anyMatch(s -> s.contains("in EVAL an example's output does not depend")), f.toString());
        assertTrue(f.stream().anyMatch(s -> s.startsWith("EVAL leaves running")), f.toString());
        assertFalse(f.stream().anyMatch(s -> s.startsWith("gradient")), f.toString());
    }

    @Test
    void statisticsTreatedAsConstantsFailTheGradientCheckOnly() {
        List<String> f = failed(SanityChecks.run(Faults.statisticsAsConstantsInBackward(mlpBn(1)), images(5)));
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.get(0).startsWith("gradient"), f.toString());
    }

    @Test
    void kerasMomentumFailsTheRunningStatisticsRule() {
        Table t = SanityChecks.run(Faults.kerasMomentum(mlpBn(1)), images(5));
        List<String> f = failed(t);
        assertEquals(4, f.size(), "mean and var rule, for each of the two BNs: " + f);
        assertTrue(f.stream().allMatch(s -> s.startsWith("running")), f.toString());
    }

    @Test
    void theModelIsLeftAsItWas() {
        Sequential m = mlpBn(4);
        m.forward(images(6).head(32).inputs(), Mode.TRAIN);
        List<float[]> before = new ArrayList<>();
        for (Param p : m.params()) { before.add(p.value().data().clone()); before.add(p.grad().data().clone()); }
        List<BatchNorm> bns = PreciseBn.batchNorms(m);
        List<float[]> stats = new ArrayList<>();
        for (BatchNorm bn : bns) { stats.add(bn.runningMean().data().clone()); stats.add(bn.runningVar().data().clone()); }
        SanityChecks.run(m, images(5));
        int k = 0;
        for (Param p : m.params()) { assertArrayEquals(before.get(k++), p.value().data()); assertArrayEquals(before.get(k++), p.grad().data()); }
        k = 0;
        for (BatchNorm bn : bns) { assertArrayEquals(stats.get(k++), bn.runningMean().data()); assertArrayEquals(stats.get(k++), bn.runningVar().data()); }
    }

    @Test
    void kerasMomentumStoresTheComplementaryAverage() {
        BatchNorm bn = new BatchNorm(1);
        Sequential broken = Faults.kerasMomentum(new Sequential(bn));
        Tensor x = Tensor.of(new float[] {1, 3}, 2, 1); // batch mean 2, unbiased var 2
        broken.forward(x, Mode.TRAIN);
        assertEquals(0.1 * 0 + 0.9 * 2, bn.runningMean().data()[0], 1e-6);
        assertEquals(0.1 * 1 + 0.9 * 2, bn.runningVar().data()[0], 1e-6);
    }

    @Test
    void aModelWithoutBatchNormCannotBeBroken() {
        var e = Assertions.assertThrows(IllegalArgumentException.class,
                () -> Faults.forgetsEvalMode(new Sequential(new Flatten(), new Linear(784, 10, true))));
        assertTrue(e.getMessage().contains("no top-level BatchNorm"), e.getMessage());
    }
}
