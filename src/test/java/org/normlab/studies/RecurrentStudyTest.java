package org.normlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.experiment.Anchor;
import org.normlab.experiment.Axes;
import org.normlab.experiment.Results;
import org.normlab.experiment.RunSpec;
import org.normlab.experiment.Scale;
import org.normlab.experiment.Summary;
import org.normlab.experiment.SweepResult;
import org.normlab.experiment.Verdict;
import org.normlab.model.ModelSpec;
import org.normlab.norm.Norm;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;
import java.util.function.ToDoubleFunction;

/** The recurrent study pairs variants by norm and γ₀; its statistic is the final training loss. */
class RecurrentStudyTest {
    private static Results.Run<RunSpec> run(Norm norm, double gamma0, long seed, double finalLoss) {
        List<RunLog.Point> points = new ArrayList<>(List.of(new RunLog.Point(10, 0, Trainer.TRAIN_LOSS, 2.3),
                new RunLog.Point(20, 0, Trainer.TRAIN_LOSS, finalLoss)));
        RunSpec c = RecurrentStudy.base(Scale.SMOKE).withNorm(norm).withGamma0(gamma0).withSeed(seed);
        return new Results.Run<>(c, RunLog.restore(points, -1, null, null, 0));
    }

    @Test
    void variantsAreToldApartByNormAndGammaAndPairedBySeed() {
        SweepResult<RunSpec> s = SweepResult.of("t", List.of(
                run(Norm.BN, 1, 0, 0.9), run(Norm.BN, 0.1, 0, 0.6), run(Norm.LN, 1, 0, 1.0),
                run(Norm.BN, 1, 1, 0.8), run(Norm.BN, 0.1, 1, 0.7), run(Norm.LN, 1, 1, 1.4)), Axes.NORM, Axes.GAMMA0);
        var finalLoss = (ToDoubleFunction<Results.Run<RunSpec>>) r -> SweepResult.finalValue(r, Trainer.TRAIN_LOSS);
        // γ₀: seed 0: 0.9 − 0.6 = 0.3, seed 1: 0.8 − 0.7 = 0.1 → mean 0.2
        Summary gamma = s.pairedDifference(RecurrentStudy.variant(Norm.BN, 1), RecurrentStudy.variant(Norm.BN, 0.1), finalLoss);
        assertEquals(2, gamma.n());
        assertEquals(0.2, gamma.mean(), 1e-12);
        // BN(γ₀=1) − LN: −0.1 and −0.6 → mean −0.35
        assertEquals(-0.35, s.pairedDifference(RecurrentStudy.variant(Norm.BN, 1), RecurrentStudy.variant(Norm.LN, 1), finalLoss).mean(), 1e-12);
        assertEquals(6, new RecurrentStudy().criteria(Scale.SMOKE).size());
    }

    @Test
    void theGruArmsMirrorTheLstmArmsAndKeepTheirOwnBudget() {
        RunSpec lstm = RecurrentStudy.base(Scale.SMOKE), gru = RecurrentStudy.base(Scale.SMOKE, ModelSpec.Recurrent.Cell.GRU);
        assertEquals(lstm.withModel(new ModelSpec.Recurrent(ModelSpec.Recurrent.Cell.GRU, 32)), gru, "only the cell differs");
        assertEquals(List.of(Norm.NONE, Norm.LN, Norm.BN), RecurrentStudy.gruNormSweep(Scale.SMOKE).specs().stream()
                .filter(c -> c.seed() == 0).map(RunSpec::norm).toList());
        List<Verdict.Criterion> c = new RecurrentStudy().declaredCriteria(Scale.SMOKE);
        // Each cell's budget: its tuning runs and final runs, none of the other cell's.
        assertTrue(c.get(0).budget().contains("recurrent-smoke: 3 × 2 seeds") && !c.get(0).budget().contains("gru"), c.get(0).budget());
        assertTrue(c.get(3).budget().contains("recurrent-gru-smoke: 3 × 2 seeds") && c.get(3).budget().contains("recurrent-gru-smoke-lr-tuning")
                && !c.get(3).budget().contains("recurrent-smoke"), c.get(3).budget());
        for (Verdict.Criterion k : c) assertTrue(k.registration().contains("2026-12-03 (issue #13)"), k.claim() + ": " + k.registration());
    }

    @Test
    void theAnchorJudgesLnAgainstNoneAndTheSmallGammaFromTheTrainingLoss() {
        // Every run logs 2.3 first: the mean over the logged points follows the final loss.
        List<Results.Run<RunSpec>> runs = List.of(run(Norm.NONE, 1, 0, 1.5), run(Norm.LN, 1, 0, 1.0), run(Norm.BN, 1, 0, 0.9), run(Norm.BN, 0.1, 0, 0.6));
        assertEquals((2.3 + 1.5) / 2, RecurrentStudy.meanTrainLoss(runs.get(0)), 1e-12);
        assertEquals(Anchor.Shape.YES, RecurrentStudy.anchor(SweepResult.of("t", runs, Axes.NORM, Axes.GAMMA0)).shape());
        List<Results.Run<RunSpec>> lnWorse = List.of(run(Norm.NONE, 1, 0, 1.0), run(Norm.LN, 1, 0, 1.5), run(Norm.BN, 1, 0, 0.9), run(Norm.BN, 0.1, 0, 0.6));
        Anchor partly = RecurrentStudy.anchor(SweepResult.of("t", lnWorse, Axes.NORM, Axes.GAMMA0));
        assertEquals(Anchor.Shape.PARTLY, partly.shape());
        assertEquals(List.of(false, false, true), partly.features().stream().map(Anchor.Feature::holds).toList());
    }
}
