package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.train.Trainer;
import tech.tablesaw.api.Table;

class LearningRateTuningTest {
    private static final Dataset DATA = FashionMnist.fromEnvironment().load(FashionMnist.Split.TEST).head(1000);

    private static Sweep<RunSpec> arms() {
        RunSpec base = RunSpec.mlp(List.of(16), Activation.Kind.RELU).withTrainSize(300).withTestSize(100).withLogEvery(4).withLr(0.1);
        return Sweep.of("arms", base).vary(Axes.NORM, Norm.NONE, Norm.BN).seeds(2);
    }

    @Test
    void logGridsAreEvenInLogAndIncludeTheirEnds() {
        List<Double> g = LearningRateTuning.logGrid(0.001, 10, 5);
        assertEquals(5, g.size());
        assertEquals(0.001, g.get(0), 1e-15);
        assertEquals(0.01, g.get(1), 1e-12);
        assertEquals(10, g.get(4), 0);
        assertThrows(IllegalArgumentException.class, () -> LearningRateTuning.logGrid(1, 0.1, 3));
    }

    @Test
    void everyArmGetsTheSameBudgetOnItsValidationSplitAndTheFinalSweepUsesTheChosenRate() {
        LearningRateTuning tuning = new LearningRateTuning(List.of(0.01, 0.3, 1e4), 1, 100);
        Sweep<RunSpec> tuningSweep = tuning.tuningSweep(arms());
        assertEquals(6, tuning.runs(arms()));
        assertEquals(6, tuningSweep.size(), "2 arms × 3 rates × 1 seed");
        assertTrue(tuningSweep.specs().stream().allMatch(s -> s.data().evaluate() == DataSpec.Evaluation.VALIDATION
                && s.data().validationSize() == 100 && s.data().sampling() == DataSpec.Sampling.PER_SEED));
        LearningRateTuning.Result tuned = tuning.tune(arms(), DATA, ResultStore.none(), Progress.none(), 2);
        // Each arm gets the rate with the best mean validation accuracy over its own runs; lr 1e4 diverges (chance, 0.1).
        for (RunSpec arm : List.of(arms().specs().get(0), arms().specs().get(2))) {
            double chosen = tuned.lr(arm);
            double best = tuning.rates().stream().mapToDouble(r -> tuned.runs().summarize(s -> s.norm().equals(arm.norm()) && s.lr() == r,
                    run -> SweepResult.finalOrChance(run, Trainer.TEST_ACC)).mean()).max().orElseThrow();
            double atChosen = tuned.runs().summarize(s -> s.norm().equals(arm.norm()) && s.lr() == chosen,
                    run -> SweepResult.finalOrChance(run, Trainer.TEST_ACC)).mean();
            assertEquals(best, atChosen, 0, tuned.table().printAll());
            assertTrue(chosen != 1e4, tuned.table().printAll());
        }
        assertEquals(List.of("norm=none", "norm=BN"), tuned.table().stringColumn("arm").asList());
        assertEquals(List.of(3, 3), tuned.table().intColumn("tuning runs").asList());
        Sweep<RunSpec> fin = LearningRateTuning.apply(arms(), tuned);
        assertTrue(fin.specs().stream().allMatch(s -> s.lr() == tuned.lr(s) && s.data().evaluate() == DataSpec.Evaluation.TEST));
        assertEquals(4, fin.size());
        assertTrue(fin.describe().contains("lr tuned per arm on the validation split (6 tuning runs)"), fin.describe());
        assertThrows(IllegalArgumentException.class, () -> tuning.tuningSweep(arms().derived("x", b -> b).vary(Axes.LR, 0.1, 1.0)));
    }

    @Test
    void tuneAndRunTrainsTheFinalSweepAtTheChosenRatesAndThePlanListsTheTuningFirst() {
        LearningRateTuning tuning = new LearningRateTuning(List.of(0.01, 0.3), 1, 100);
        List<Sweep<RunSpec>> planned = tuning.planned(arms());
        assertEquals(List.of("arms-lr-tuning", "arms"), planned.stream().map(Sweep::name).toList());
        assertTrue(planned.get(1).describe().contains(LearningRateTuning.PER_ARM_PLAN), planned.get(1).describe());
        assertEquals(arms().specs(), planned.get(1).specs(), "the plan's final sweep shows the untuned specs");
        LearningRateTuning.Tuned t = tuning.tuneAndRun(arms(), DATA, DATA.head(200), ResultStore.none(), Progress.none(), 2);
        assertEquals(4, t.runs().runs().size());
        assertTrue(t.runs().runs().stream().allMatch(r -> r.spec().lr() == t.tuning().lr(r.spec())));
        assertEquals(4, t.tuning().runs().runs().size());
        // Two rates: whichever an arm gets is an end of the grid, and the table says which.
        Table table = t.tuning().table();
        for (int i = 0; i < table.rowCount(); i++) {
            double chosen = table.doubleColumn("chosen lr").get(i);
            assertEquals(chosen == 0.01 ? "lowest" : "highest", table.stringColumn(LearningRateTuning.GRID_EDGE).get(i), table.printAll());
        }
    }

    @Test
    void aChosenRateAtAnEndOfTheGridIsFlagged() {
        List<Double> grid = List.of(0.3, 0.01, 0.1);
        assertEquals("lowest", LearningRateTuning.gridEdge(0.01, grid));
        assertEquals("highest", LearningRateTuning.gridEdge(0.3, grid));
        assertEquals("", LearningRateTuning.gridEdge(0.1, grid));
        assertEquals("", LearningRateTuning.gridEdge(0.1, List.of(0.1)), "one rate is no grid to widen");
    }

    @Test
    void theTablesOfSeveralTunedSweepsJoinWithTheirSweepNames() {
        LearningRateTuning tuning = new LearningRateTuning(List.of(0.01, 0.3), 1, 100);
        Sweep<RunSpec> other = Sweep.of("other", arms().base()).vary(Axes.DROPOUT, 0.0, 0.5).seeds(1);
        var a = tuning.tune(arms(), DATA, ResultStore.none(), Progress.none(), 2);
        var b = tuning.tune(other, DATA, ResultStore.none(), Progress.none(), 2);
        var joined = LearningRateTuning.table("both", List.of(a, b));
        assertEquals("both", joined.name());
        assertEquals(List.of("arms", "arms", "other", "other"), joined.stringColumn("sweep").asList());
        assertEquals(List.of("norm=none", "norm=BN", "dropout=0", "dropout=0.5"), joined.stringColumn("arm").asList());
        assertEquals(a.table().doubleColumn("chosen lr").get(1), joined.doubleColumn("chosen lr").get(1), 0);
        assertThrows(IllegalArgumentException.class, () -> LearningRateTuning.table("none", List.of()));
        assertTrue(tuning.describe().contains("rates [0.01, 0.3] × 1 tuning seed"), tuning.describe());
    }

    @Test
    void aSweepWithoutTuningIsUnchanged() {
        assertEquals(arms().specs(), arms().derived("arms", b -> b).specs());
        assertEquals(arms().describe(), arms().derived("arms", b -> b).describe());
    }
}
