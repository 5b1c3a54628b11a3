package org.normlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.diagnostics.VarianceShift;
import org.normlab.experiment.Engine;
import org.normlab.experiment.Progress;
import org.normlab.experiment.ResultStore;
import org.normlab.experiment.RunSpec;
import org.normlab.experiment.Scale;
import org.normlab.model.DropoutPlacement;
import org.normlab.nn.Activation;
import org.normlab.nn.Dropout;
import org.normlab.nn.Layer;
import org.normlab.nn.Linear;
import org.normlab.norm.BatchNorm;
import org.normlab.experiment.Experiment;
import org.normlab.tensor.Rng;
import org.normlab.train.RunLog;

/** The arms, the network each builds, the statistic on hand-made logs, and the whole study at smoke scale. */
class BnDropoutStudyTest {
    private static List<String> kinds(RunSpec spec) {
        List<String> k = new ArrayList<>();
        for (Layer l : Experiment.model(spec, new Rng(0)).layers()) {
            if (l instanceof Linear) k.add("L");
            if (l instanceof BatchNorm) k.add("BN");
            if (l instanceof Dropout) k.add("D");
        }
        return k;
    }

    @Test
    void eachArmBuildsItsDropoutAndBnOrderAndIsReadBack() {
        RunSpec base = BnDropoutStudy.sweep(Scale.SMOKE).base();
        for (BnDropoutStudy.Arm a : BnDropoutStudy.ARMS) assertEquals(a, BnDropoutStudy.Arm.of(BnDropoutStudy.ARM.apply(base, a)), a.name());
        assertEquals(List.of("L", "BN", "D", "L", "BN", "D", "L", "BN", "D", "L"), kinds(BnDropoutStudy.ARM.apply(base, BnDropoutStudy.Arm.DROPOUT_BEFORE_BN)));
        assertEquals(List.of("L", "BN", "L", "BN", "L", "BN", "D", "L"), kinds(BnDropoutStudy.ARM.apply(base, BnDropoutStudy.Arm.DROPOUT_AFTER_BN)));
        assertEquals(List.of("L", "D", "L", "D", "L", "D", "L"), kinds(BnDropoutStudy.ARM.apply(base, BnDropoutStudy.Arm.DROPOUT)));
        assertEquals(List.of("L", "BN", "L", "BN", "L", "BN", "L"), kinds(BnDropoutStudy.ARM.apply(base, BnDropoutStudy.Arm.BN)));
        // The default placement is left out of the canonical text, so no existing run's key changes.
        RunSpec mlp = RunSpec.mlp(List.of(8), Activation.Kind.RELU).withDropout(0.5);
        assertEquals(mlp.canonical(), mlp.withDropoutPlacement(DropoutPlacement.EVERY_BLOCK).canonical());
        assertTrue(mlp.withDropoutPlacement(DropoutPlacement.BEFORE_OUTPUT).canonical().contains("dropoutPlacement=before-output"));
    }

    @Test
    void theShiftStatisticAveragesBnLayersFromTheSecondAtTheLastLogPoint() {
        List<RunLog.Point> p = new ArrayList<>();
        p.add(new RunLog.Point(10, 0, VarianceShift.metric(1, VarianceShift.LOG_SHIFT), -5));
        p.add(new RunLog.Point(10, 0, VarianceShift.metric(2, VarianceShift.LOG_SHIFT), -9));
        p.add(new RunLog.Point(20, 0, VarianceShift.metric(1, VarianceShift.LOG_SHIFT), -5));
        p.add(new RunLog.Point(20, 0, VarianceShift.metric(2, VarianceShift.LOG_SHIFT), -0.4));
        p.add(new RunLog.Point(20, 0, VarianceShift.metric(3, VarianceShift.LOG_SHIFT), -0.2));
        assertEquals(-0.3, BnDropoutStudy.lastLayerMean(RunLog.restore(p, -1, null, null, 0), VarianceShift.LOG_SHIFT), 1e-12);
        assertTrue(Double.isNaN(BnDropoutStudy.lastLayerMean(RunLog.restore(p, 15, "nan", null, 0), VarianceShift.LOG_SHIFT)), "diverged: excluded");
    }

    @Test
    void theStudyRunsAtSmokeScaleAndMeasuresAShiftWithDropoutBeforeBn() {
        Dataset train = FashionMnist.fromEnvironment().load(FashionMnist.Split.TRAIN), test = FashionMnist.fromEnvironment().load(FashionMnist.Split.TEST);
        BnDropoutStudy.Report r = new BnDropoutStudy().run(Scale.SMOKE, train, test, ResultStore.none(), Progress.none(), Engine.local(2));
        assertEquals(3, r.findings().verdicts().size());
        assertTrue(r.c20Shift().statistic().mean() < 0, r.c20Shift().toString());
        assertEquals(BnDropoutStudy.ARMS.size(), r.finals().rowCount());
    }
}
