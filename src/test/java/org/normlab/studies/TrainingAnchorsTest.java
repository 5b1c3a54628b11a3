package org.normlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.experiment.Anchor;
import org.normlab.experiment.Axes;
import org.normlab.experiment.Experiment;
import org.normlab.experiment.Results;
import org.normlab.experiment.RunSpec;
import org.normlab.experiment.SweepResult;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The published anchors of C2, C5, C7 and C9, judged on hand-made logs whose shape is known. */
class TrainingAnchorsTest {
    /** A run logging the given metrics at steps 10, 20, …, one value per step for each metric. */
    private static Results.Run<RunSpec> run(RunSpec spec, Map<String, double[]> metrics) {
        List<RunLog.Point> points = new ArrayList<>();
        for (var m : metrics.entrySet()) {
            for (int i = 0; i < m.getValue().length; i++) points.add(new RunLog.Point(10 * (i + 1), i, m.getKey(), m.getValue()[i]));
        }
        return new Results.Run<>(spec, RunLog.restore(points, -1, null, null, 0));
    }

    private static Results.Run<RunSpec> accRun(Norm norm, long seed, double... trainAcc) {
        return run(RunSpec.mlp(List.of(8), Activation.Kind.RELU).withNorm(norm).withSeed(seed), Map.of(Trainer.TRAIN_ACC, trainAcc));
    }

    private static List<Boolean> holds(Anchor a) { return a.features().stream().map(Anchor.Feature::holds).toList(); }

    @Test
    void c2IoffeAnchorComparesStepsToTargetWithNeverCountedAsTheBudget() {
        // MLP: none never reaches 0.8 within 40 steps (a lower bound of 40), BN at step 10 → ≥ 4×. LeNet: 0.7 at
        // step 30 (none) and 20 (BN) → 1.5×, under the 2× of the feature.
        SweepResult<RunSpec> mlp = SweepResult.of("mlp", List.of(accRun(Norm.NONE, 0, 0.3, 0.5, 0.6, 0.7), accRun(Norm.BN, 0, 0.85, 0.9, 0.9, 0.9)), Axes.NORM);
        SweepResult<RunSpec> lenet = SweepResult.of("lenet", List.of(accRun(Norm.NONE, 0, 0.2, 0.5, 0.75), accRun(Norm.BN, 0, 0.5, 0.72, 0.8)), Axes.NORM);
        Anchor a = ConvergenceStudy.ioffeAnchor(mlp, lenet);
        assertEquals(List.of(true, false, true), holds(a));
        assertEquals(Anchor.Shape.PARTLY, a.shape());
        assertTrue(a.features().get(0).ours().endsWith("none / BN ≥ 4.0×"), a.features().get(0).ours());
        assertTrue(a.features().get(1).ours().endsWith("none / BN 1.5×"), a.features().get(1).ours());
        // Where BN never gets there either, both are censored at the budget: the ratio is not known and cannot hold.
        SweepResult<RunSpec> slow = SweepResult.of("mlp", List.of(accRun(Norm.NONE, 0, 0.3, 0.5), accRun(Norm.BN, 0, 0.5, 0.6)), Axes.NORM);
        Anchor b = ConvergenceStudy.ioffeAnchor(slow, lenet);
        assertEquals(List.of(false, false, false), holds(b));
        assertTrue(b.features().get(0).ours().endsWith("none / BN not known (BN censored too)"), b.features().get(0).ours());
    }

    @Test
    void c2D2lAnchorReadsLeNetBnsFinalLossAndAccuracies() {
        RunSpec bn = RunSpec.lenet(Activation.Kind.SIGMOID).withNorm(Norm.BN).withLr(0.9).withBatchSize(256);
        Results.Run<RunSpec> close = run(bn, Map.of(Trainer.TRAIN_LOSS, new double[] {0.5, 0.27}, Trainer.TRAIN_ACC, new double[] {0.8, 0.9},
                Trainer.TEST_ACC, new double[] {0.8, 0.86}));
        assertEquals(Anchor.Shape.YES, ConvergenceStudy.d2lAnchor(SweepResult.of("lenet", List.of(close), Axes.NORM)).shape());
        Results.Run<RunSpec> undertrained = run(bn, Map.of(Trainer.TRAIN_LOSS, new double[] {0.9, 0.6}, Trainer.TRAIN_ACC, new double[] {0.6, 0.78},
                Trainer.TEST_ACC, new double[] {0.6, 0.75}));
        assertEquals(List.of(false, false, true), holds(ConvergenceStudy.d2lAnchor(SweepResult.of("lenet", List.of(undertrained), Axes.NORM))));
    }

    private static Table stable(double bn, double none) {
        return Table.create("t", StringColumn.create("norm", "none", "BN"), DoubleColumn.create("largest stable lr", none, bn));
    }

    @Test
    void c5AnchorIsTheRatioOfLargestStableRatesWithLowerBoundsAtTheGridsEnds() {
        List<Double> grid = List.of(0.01, 0.1, 1.0, 10.0);
        // MLP 3 / 0.1 = 30×; LeNet: none stable at no rate → BN 1 / lowest 0.01 ≥ 100×.
        Anchor a = LrToleranceStudy.anchor(stable(3, 0.1), grid, stable(1, Double.NaN), grid);
        assertEquals(Anchor.Shape.YES, a.shape());
        assertTrue(a.features().get(1).ours().endsWith("BN / none ≥ 100×"), a.features().get(1).ours());
        // 0.3 / 0.1 = 3× and BN stable at no rate: nothing holds.
        Anchor b = LrToleranceStudy.anchor(stable(0.3, 0.1), grid, stable(Double.NaN, 0.1), grid);
        assertEquals(Anchor.Shape.NO, b.shape());
        assertTrue(b.features().get(1).ours().endsWith("BN / none n/a"), b.features().get(1).ours());
    }

    private static Results.Run<RunSpec> initRun(Norm norm, int depth, double scale, double finalLoss) {
        RunSpec c = RunSpec.mlp(InitSensitivityStudy.hidden(depth), Activation.Kind.RELU).withNorm(norm).withInitScale(scale);
        return run(c, Map.of(Trainer.TRAIN_LOSS, new double[] {2.3, finalLoss}));
    }

    @Test
    void c7BandIsTheContiguousRunOfScalesThatTrainNearTheBest() {
        List<Double> scales = List.of(0.01, 0.1, 1.0, 10.0);
        double[] bnLoss = {0.50, 0.45, 0.52, 2.0}, noneLoss = {2.3, 0.9, 0.6, 2.3}, deadLoss = {2.3, 2.3, 2.3, 2.3};
        List<Results.Run<RunSpec>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(initRun(Norm.BN, 3, scales.get(i), bnLoss[i]));
            runs.add(initRun(Norm.NONE, 3, scales.get(i), noneLoss[i]));
            runs.add(initRun(Norm.BN, 10, scales.get(i), bnLoss[i]));
            runs.add(initRun(Norm.NONE, 10, scales.get(i), deadLoss[i]));
        }
        SweepResult<RunSpec> s = SweepResult.of("init", runs, Axes.NORM, Axes.HIDDEN, Axes.INIT_SCALE);
        assertEquals(2, InitSensitivityStudy.bandDecades(s, Norm.BN, 3), 1e-12, "0.01 … 1 within 0.1 nats of 0.45");
        assertEquals(0, InitSensitivityStudy.bandDecades(s, Norm.NONE, 3), 1e-12, "0.1 trains but is 0.3 nats above the best");
        assertEquals(Double.NEGATIVE_INFINITY, InitSensitivityStudy.bandDecades(s, Norm.NONE, 10), "no scale trains");
        Anchor a = InitSensitivityStudy.anchor(s);
        assertEquals(Anchor.Shape.YES, a.shape());
        assertTrue(a.features().get(1).ours().contains("depth 10 no scale trains"), a.features().get(1).ours());
    }

    private static Results.Run<RunSpec> d2lRun(long seed, double[] trainAcc, double[] testAcc, double[] preciseAcc) {
        RunSpec c = RunSpec.lenet(Activation.Kind.SIGMOID).withNorm(Norm.BN).withBnMomentum(TrainVsInferenceStudy.D2L_MOMENTUM).withSeed(seed);
        return run(c, Map.of(Trainer.TRAIN_ACC, trainAcc, Trainer.TEST_ACC, testAcc, Experiment.TEST_ACC_PRECISE, preciseAcc));
    }

    @Test
    void c9AnchorSetsTheSpreadOfTestAccuracyAgainstThatOfTrainAccuracy() {
        // Final test accuracy 0.60 and 0.88 (range 0.28) against train 0.90 and 0.905 (range 0.005); the EMA test
        // accuracy swings over the second half while train accuracy barely moves.
        List<Results.Run<RunSpec>> runs = List.of(
                d2lRun(0, new double[] {0.80, 0.89, 0.90, 0.90}, new double[] {0.7, 0.85, 0.75, 0.60}, new double[] {0.7, 0.86, 0.87, 0.87}),
                d2lRun(1, new double[] {0.80, 0.89, 0.90, 0.905}, new double[] {0.7, 0.85, 0.65, 0.88}, new double[] {0.7, 0.86, 0.87, 0.88}));
        Anchor a = TrainVsInferenceStudy.anchor(SweepResult.of("bn", runs, Axes.BN_MOMENTUM));
        assertEquals(Anchor.Shape.YES, a.shape(), a.toString());
        // The same runs at another momentum are not d2l's arm: no values, nothing holds.
        List<Results.Run<RunSpec>> other = runs.stream().map(r -> new Results.Run<>(r.spec().withBnMomentum(0.5), r.log())).toList();
        assertFalse(TrainVsInferenceStudy.anchor(SweepResult.of("bn", other, Axes.BN_MOMENTUM)).features().stream().anyMatch(Anchor.Feature::holds));
    }
}
