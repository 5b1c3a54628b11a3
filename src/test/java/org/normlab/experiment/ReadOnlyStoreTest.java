package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.testing.StoreFiles;

/** `make report` over the atlas: a read-only store gives back what was stored and never computes a run. */
class ReadOnlyStoreTest {
    private static final Dataset DATA = FashionMnist.fromEnvironment().load(FashionMnist.Split.TEST);
    private static final Dataset TRAIN = DATA.head(300), TEST = DATA.head(400).select(IntStream.range(300, 400).toArray());

    private static Sweep<RunSpec> sweep(Norm... norms) {
        RunSpec base = RunSpec.mlp(List.of(16), Activation.Kind.RELU).withTrainSize(300).withTestSize(100).withLogEvery(5);
        return Sweep.of("atlas", base).vary(Axes.NORM, norms).seeds(2);
    }

    @Test
    void aFinishedSweepReadsBackIdenticallyAndNothingIsWritten(@TempDir Path tmp) {
        SweepResult<RunSpec> computed = sweep(Norm.NONE, Norm.BN).run(TRAIN, TEST, ResultStore.at(tmp), Progress.none(), 2);
        List<Path> before = StoreFiles.named(tmp, "");
        SweepResult<RunSpec> read = sweep(Norm.NONE, Norm.BN).run(TRAIN, TEST, ResultStore.at(tmp).readOnly(), Progress.none(), 2);
        assertEquals(computed.table().printAll(), read.table().printAll());
        assertEquals(before, StoreFiles.named(tmp, ""), "no file added, not even a claim");
    }

    @Test
    void aMissingRunFailsNamingTheSweepAndTheCountInsteadOfBeingComputed(@TempDir Path tmp) {
        sweep(Norm.NONE).run(TRAIN, TEST, ResultStore.at(tmp), Progress.none(), 1);
        ResultStore.NotStored e = assertThrows(ResultStore.NotStored.class,
                () -> sweep(Norm.NONE, Norm.LN).run(TRAIN, TEST, ResultStore.at(tmp).readOnly(), Progress.none(), 1));
        assertTrue(e.getMessage().startsWith("Sweep atlas: 2 of 4 runs are not in the read-only store " + tmp), e.getMessage());
        assertTrue(e.getMessage().contains("norm=LN"), e.getMessage());
        assertEquals(2, StoreFiles.named(tmp, ".run.csv").size(), "nothing was computed");
    }

    @Test
    void theSettingIsAYesOrNoAndAnythingElseIsAOneLineError() {
        assertTrue(ResultStore.readOnlySetting("1"));
        assertTrue(ResultStore.readOnlySetting(" TRUE "));
        assertFalse(ResultStore.readOnlySetting(null));
        assertFalse(ResultStore.readOnlySetting("0"));
        assertFalse(ResultStore.readOnlySetting(""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultStore.readOnlySetting("sometimes"));
        assertEquals("NORMLAB_RESULTS_READONLY (or -Dnormlab.resultsReadOnly) must be 1 or 0 (true/false), got 'sometimes'", e.getMessage());
    }
}
