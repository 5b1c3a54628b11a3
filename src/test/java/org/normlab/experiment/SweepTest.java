package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.model.Placement;
import org.normlab.train.Trainer;

class SweepTest {
    private static final Dataset DATA = FashionMnist.fromEnvironment().load(FashionMnist.Split.TEST);
    private static final Dataset TRAIN = DATA.head(600), TEST = DATA.head(800).select(IntStream.range(600, 800).toArray());

    private static Sweep<RunSpec> sweep() {
        RunSpec base = RunSpec.mlp(List.of(32), Activation.Kind.RELU).withTrainSize(600).withTestSize(200).withLogEvery(5);
        return Sweep.of("t", base).vary(Axes.NORM, Norm.NONE, Norm.BN).vary(Axes.LR, 0.05, 0.5, 1e5).seeds(2);
    }

    @Test
    void gridOrderAndConfigs() {
        List<RunSpec> configs = sweep().specs();
        assertEquals(12, configs.size());
        assertEquals(Norm.NONE, configs.get(0).norm());
        assertEquals(0.05, configs.get(0).lr());
        assertEquals(1, configs.get(1).seed());
        assertEquals(0.5, configs.get(2).lr());
        assertEquals(Norm.BN, configs.get(6).norm());
        assertEquals(12, configs.stream().map(RunSpec::key).distinct().count(), "every run has its own key");
    }

    @Test
    void resultsDoNotDependOnThreadsOrOrderAndDivergenceIsRecorded() {
        SweepResult<RunSpec> one = sweep().run(TRAIN, TEST, ResultStore.none(), Progress.none(), 1);
        SweepResult<RunSpec> two = sweep().run(TRAIN, TEST, ResultStore.none(), Progress.none(), 2);
        assertEquals(one.table().printAll(), two.table().printAll());
        var runs = one.runsTable();
        // lr 1e5 diverges for every run without BN; it is recorded with its step, not thrown.
        for (int i = 0; i < runs.rowCount(); i++) {
            if (runs.doubleColumn("lr").get(i) == 1e5 && runs.stringColumn("norm").get(i).equals("none")) {
                assertTrue(runs.booleanColumn("diverged").get(i));
                assertTrue(runs.intColumn("diverged_at_step").get(i) >= 1);
            }
        }
        Summary s = one.summarize(c -> c.norm() == Norm.BN && c.lr() == 0.05, r -> SweepResult.finalValue(r, Trainer.TEST_ACC));
        assertEquals(2, s.n());
        assertTrue(s.mean() > 0.3, "BN at lr 0.05 learns something: " + s);
        var stable = one.largestStableLr(Axes.NORM, Axes.LR, Trainer.TRAIN_LOSS, Math.log(10));
        assertEquals(List.of("none", "BN"), stable.stringColumn("norm").asList());
        assertTrue(stable.doubleColumn("largest stable lr").get(0) < 1e5);
    }

    @Test
    void anInterruptedSweepResumesFromTheStoreAndEndsWithTheSameTable(@TempDir Path tmp) throws Exception {
        ResultStore store = ResultStore.at(tmp);
        Sweep<RunSpec> full = sweep();
        SweepResult<RunSpec> uninterrupted = full.run(TRAIN, TEST, ResultStore.none(), Progress.none(), 2);
        // "Interrupt" after the first grid point: store only the runs of norm=none, lr=0.05.
        Sweep<RunSpec> part = Sweep.of("t", full.base()).vary(Axes.NORM, Norm.NONE).vary(Axes.LR, 0.05).seeds(2);
        part.run(TRAIN, TEST, store, Progress.none(), 1);
        List<Path> stored = runFiles(tmp);
        assertEquals(2, stored.size());
        long before = Files.getLastModifiedTime(stored.get(0)).toMillis();
        Thread.sleep(20);
        SweepResult<RunSpec> resumed = full.run(TRAIN, TEST, store, Progress.none(), 2);
        assertEquals(before, Files.getLastModifiedTime(stored.get(0)).toMillis(), "a stored run is not recomputed");
        assertEquals(12, runFiles(tmp).size());
        assertEquals(uninterrupted.table().printAll(), resumed.table().printAll());
        assertEquals(uninterrupted.runsTable().column("diverged_at_step").asList(), resumed.runsTable().column("diverged_at_step").asList());
    }

    private static List<Path> runFiles(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".run.csv")).sorted().toList();
        }
    }

    @Test
    void aRunThatThrowsIsRecordedAsFailedAndTheSweepGoesOn() {
        // Batch size 1 with BN: "expected more than 1 value per channel when training".
        RunSpec base = RunSpec.mlp(List.of(8), Activation.Kind.RELU).withTrainSize(20).withTestSize(10).withBatchSize(1);
        SweepResult<RunSpec> r = Sweep.of("f", base).vary(Axes.NORM, Norm.NONE, Norm.BN).run(TRAIN, TEST, ResultStore.none(), Progress.none(), 2);
        assertFalse(r.runs().get(0).log().failed());
        assertTrue(r.runs().get(1).log().error().contains("expected more than 1 value per channel when training"), r.runs().get(1).log().error());
        assertEquals(1, r.finalSummary(Trainer.TRAIN_LOSS).intColumn("failed").get(1));
    }

    @Test
    void badSweepsFailBeforeRunning() {
        RunSpec base = RunSpec.mlp(List.of(8), Activation.Kind.RELU);
        assertEquals("Sgd: lr must be positive, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> Sweep.of("x", base).vary(Axes.LR, 0.1, -1.0)).getMessage());
        assertEquals("RunSpec: placement is a setting of model mlp or lenet, got model mbconv",
                assertThrows(IllegalArgumentException.class, () -> Sweep.of("x", RunSpec.mbconv()).vary(Axes.PLACEMENT, Placement.AFTER)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sweep.of("a/b", base));
        assertNotEquals(base.key(), base.withLr(0.2).key());
        assertEquals(base.key(), RunSpec.mlp(List.of(8), Activation.Kind.RELU).key(), "the key is a pure function of the spec");
    }

    @Test
    void settingsVariedTogetherMoveAsOneAxis() {
        RunSpec base = RunSpec.mlp(List.of(8), Activation.Kind.RELU);
        Sweep<RunSpec> s = Sweep.of("pairs", base).vary(Axes.NORM, Norm.NONE, Norm.BN)
                .vary(Axes.BATCH_SIZE.and(Axes.LR, b -> b * 0.005), 2, 32, 128).seeds(2);
        List<RunSpec> configs = s.specs();
        assertEquals(2 * 3 * 2, configs.size(), "3 (batch, lr) pairs, not 3 × 3 combinations");
        assertEquals(List.of("norm", "batchSize", "lr"), s.fields().stream().map(Field::name).toList());
        for (RunSpec c : configs) assertEquals(c.batchSize() * 0.005, c.lr(), 1e-12, "each batch size keeps its own lr");
        assertEquals(List.of(2, 2, 32, 32, 128, 128), configs.subList(0, 6).stream().map(RunSpec::batchSize).toList());
        assertEquals(List.of(0.01, 0.01, 0.16, 0.16, 0.64, 0.64), configs.subList(0, 6).stream().map(RunSpec::lr).toList());
        assertEquals(Norm.BN, configs.get(6).norm());
        assertEquals(12, configs.stream().map(RunSpec::key).distinct().count());
    }

    @Test
    void badTogetherAxesFailBeforeRunning() {
        RunSpec base = RunSpec.mlp(List.of(8), Activation.Kind.RELU);
        assertEquals("Sweep x: lr is varied twice",
                assertThrows(IllegalArgumentException.class, () -> Sweep.of("x", base).vary(Axes.LR, 0.1).vary(Axes.BATCH_SIZE.and(Axes.LR, b -> 0.1), 2)).getMessage());
        assertEquals("Sgd: lr must be positive, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> Sweep.of("x", base).vary(Axes.BATCH_SIZE.and(Axes.LR, b -> b == 4 ? -1.0 : 0.1), 2, 4)).getMessage());
        assertEquals("Sweep x: no values for batchSize+lr",
                assertThrows(IllegalArgumentException.class, () -> Sweep.of("x", base).vary(Axes.BATCH_SIZE.and(Axes.LR, b -> 0.1), List.of())).getMessage());
    }

    @Test
    void evalTrainLogsTheTrainingSubsetInEvalModeAtEveryLog() {
        RunSpec c = RunSpec.mlp(List.of(16), Activation.Kind.RELU).withNorm(Norm.BN).withDropout(0.5).withTrainSize(300)
                .withTestSize(100).withLogEvery(2).withEpochs(2).withEvalTrain(true);
        Experiment.Trained t = Experiment.train(c, TRAIN, TEST, null);
        long logs = t.log().points().stream().filter(p -> p.metric().equals(Trainer.TEST_ACC)).count();
        assertEquals(logs, t.log().points().stream().filter(p -> p.metric().equals(Experiment.TRAIN_EVAL_ACC)).count());
        assertEquals(logs, t.log().points().stream().filter(p -> p.metric().equals(Experiment.TRAIN_EVAL_LOSS)).count());
        // The last value is the trained model evaluated on the same 300 images in EVAL mode (no dropout, running BN stats).
        Trainer.Evaluation e = Trainer.evaluate(t.model(), TRAIN.head(300), 1000);
        assertEquals(e.accuracy(), t.log().last(Experiment.TRAIN_EVAL_ACC), 1e-12);
        assertEquals(e.loss(), t.log().last(Experiment.TRAIN_EVAL_LOSS), 1e-9);
        assertFalse(Experiment.run(c.withEvalTrain(false), TRAIN, TEST, null).points().stream()
                .anyMatch(p -> p.metric().equals(Experiment.TRAIN_EVAL_ACC)), "off by default");
    }
}
