package org.normlab.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.data.FashionMnist;
import org.normlab.experiment.Experiment;
import org.normlab.experiment.Results;
import org.normlab.experiment.RunSpec;
import org.normlab.experiment.Tables;
import org.normlab.nn.Activation;
import org.normlab.nn.Linear;
import org.normlab.nn.Sequential;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.Norm;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;
import tech.tablesaw.api.Table;

class BnLayerTraceTest {
    /** Linear(3→2, no bias) → BN(2) with known weights, γ, β and running statistics. */
    @Test
    void logsTheAffineMapTheSigmaAndTheEffectiveRateOfEachBatchNorm() {
        Linear linear = new Linear(3, 2, false);
        float[] w = linear.weight().value().data();
        System.arraycopy(new float[] {1, 2, 2, 0, 3, 4}, 0, w, 0, 6);  // ‖w_0‖² = 9, ‖w_1‖² = 25
        BatchNorm bn = new BatchNorm(2);
        System.arraycopy(new float[] {0.5f, 3f}, 0, bn.gamma().value().data(), 0, 2);
        System.arraycopy(new float[] {0.25f, -0.75f}, 0, bn.beta().value().data(), 0, 2);
        System.arraycopy(new float[] {4f, 0.25f}, 0, bn.runningVar().data(), 0, 2);
        System.arraycopy(new float[] {1f, 2f}, 0, bn.runningMean().data(), 0, 2);
        BatchNorm alone = new BatchNorm(3, 1e-5, 0.1, false, true);  // no weights before it, no affine
        RunLog log = new RunLog();
        log.add(7, 0.5, Trainer.LR, 0.2);
        BnLayerTrace.record(7, 0.5, new Sequential(linear, bn, alone), log);
        double s0 = Math.sqrt(4 + 1e-5), s1 = Math.sqrt(0.25 + 1e-5);
        assertEquals(1.75, log.last("bn1/gamma"), 1e-7);
        assertEquals(-0.25, log.last("bn1/beta"), 1e-7);
        assertEquals((s0 + s1) / 2, log.last("bn1/sigma"), 1e-7);
        assertEquals(1.5, log.last("bn1/mu"), 1e-7);
        assertEquals((0.5 / s0 + 3 / s1) / 2, log.last("bn1/gamma_over_sigma"), 1e-6, "median of two channels: their mean");
        assertEquals(Math.sqrt((9 + 25) / 2.0), log.last("bn1/weight_norm"), 1e-9);
        assertEquals(0.2 / 17, log.last("bn1/effective_lr"), 1e-9);
        assertEquals(1, log.last("bn2/gamma"), 0, "without affine γ is 1");
        assertEquals(1 / Math.sqrt(1 + 1e-5), log.last("bn2/gamma_over_sigma"), 1e-7);
        assertTrue(Double.isNaN(log.last("bn2/weight_norm")), "a BN not right after a Linear or Conv2d has no weight norm");
    }

    /** A real run that measures its BN layers logs them at every log point, and the trace averages them over runs. */
    @Test
    void aRunMeasuringBnLayersLogsThemAtEveryLogPointAndTheTraceAveragesThem() {
        RunSpec spec = RunSpec.mlp(List.of(16, 16), Activation.Kind.SIGMOID).withNorm(Norm.BN).withTrainSize(256).withTestSize(64)
                .withBatchSize(32).withLogEvery(4).withLr(0.5).withBnLayers(true);
        RunLog a = Experiment.run(spec, FashionMnist.train(), FashionMnist.test(), null);
        RunLog b = Experiment.run(spec.withSeed(1), FashionMnist.train(), FashionMnist.test(), null);
        long logs = a.points().stream().filter(p -> p.metric().equals(Trainer.TRAIN_LOSS)).count();
        assertEquals(logs, a.points().stream().filter(p -> p.metric().equals("bn2/effective_lr")).count());
        assertTrue(a.last("bn1/weight_norm") > a.points().stream().filter(p -> p.metric().equals("bn1/weight_norm")).findFirst().orElseThrow().value(),
                "no weight decay: the norm before BN grows");
        Table t = Tables.bnLayerTrace("t", List.of(new Results.Run<>(spec, a), new Results.Run<>(spec.withSeed(1), b)));
        assertEquals(2 * logs, t.rowCount(), "one row per layer and step");
        assertEquals((a.last("bn1/gamma") + b.last("bn1/gamma")) / 2, t.doubleColumn("gamma").get((int) logs - 1), 1e-12);
        assertEquals(2, t.intColumn("runs").get(0));
        RunLog none = Experiment.run(spec.withNorm(Norm.NONE), FashionMnist.train(), FashionMnist.test(), null);
        assertTrue(none.points().stream().noneMatch(p -> p.metric().startsWith("bn")), "no BN layers: nothing to log");
    }
}
