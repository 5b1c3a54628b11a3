package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.data.CsvData;
import org.normlab.data.Dataset;
import org.normlab.model.ModelSpec;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.tensor.Rng;
import org.normlab.train.Trainer;

/** An MLP sized for a data set of one's own (the CSV example), run through a Sweep. */
class OwnDataTest {
    private static final Dataset.Split DATA = CsvData.read(Path.of("docs/examples/three-blobs.csv"), "label").split(0.8, new Rng(0));

    @Test
    void theDefaultMlpKeepsItsKeyAndAnOwnSizeIsInTheKey() {
        RunSpec mlp = RunSpec.mlp(List.of(16), Activation.Kind.RELU);
        assertEquals(mlp.canonical(), mlp.withInputs(784).withClasses(10).canonical(), "784 inputs and 10 classes are the defaults");
        assertEquals("v1;run;hidden=[16]", mlp.canonical());
        RunSpec own = mlp.sizedFor(DATA.train());
        assertEquals("v1;run;hidden=[16];inputs=4;classes=3", own.canonical());
        assertNotEquals(mlp.key(), own.key());
        assertEquals(own, own.withHidden(List.of(16)).withActivation(Activation.Kind.RELU).withDropout(0), "withers keep the MLP's size");
        assertEquals(List.of(4, 16, 3), Arrays.stream(((ModelSpec.Mlp) own.model()).widths()).boxed().toList());
        assertTrue(own.describe().contains("MLP 4-16-3"), own.describe());
    }

    @Test
    void aSizeThatIsNotTheDataIsRefusedBeforeTheFirstRun() {
        Sweep<RunSpec> sweep = Sweep.of("own", RunSpec.mlp(List.of(16), Activation.Kind.RELU)).vary(Axes.NORM, Norm.NONE, Norm.BN);
        String msg = assertThrows(IllegalArgumentException.class,
                () -> sweep.run(DATA.train(), DATA.test(), ResultStore.none(), Progress.none(), 1)).getMessage();
        assertEquals("RunSpec: the MLP takes 784 inputs and 10 classes, but dataset three-blobs.csv has 4 values per example and 3 classes; "
                + "size it with withInputs/withClasses or sizedFor(data)", msg);
        assertThrows(IllegalArgumentException.class, () -> RunSpec.DEFAULT.withClasses(1));
        assertThrows(IllegalArgumentException.class, () -> RunSpec.DEFAULT.withInputs(0));
        assertThrows(IllegalArgumentException.class, () -> RunSpec.lenet(Activation.Kind.RELU).withInputs(4));
    }

    @Test
    void anOwnMlpTrainsOnOwnDataWithAndWithoutBn(@TempDir Path tmp) {
        RunSpec base = RunSpec.mlp(List.of(16), Activation.Kind.RELU).sizedFor(DATA.train()).withBatchSize(16).withEpochs(5).withLogEvery(5);
        Sweep<RunSpec> sweep = Sweep.of("own", base).vary(Axes.NORM, Norm.NONE, Norm.BN).seeds(2);
        SweepResult<RunSpec> r = sweep.run(DATA.train(), DATA.test(), ResultStore.at(tmp), Progress.none(), 2);
        for (Results.Run<RunSpec> run : r.runs()) {
            assertTrue(!run.log().failed() && !run.log().diverged(), run.toString());
            assertTrue(run.log().last(Trainer.TEST_ACC) > 0.6, "3 separable blobs, chance 1/3: " + run.log().last(Trainer.TEST_ACC));
        }
        SweepResult<RunSpec> again = sweep.run(DATA.train(), DATA.test(), ResultStore.at(tmp), Progress.none(), 2);
        assertEquals(r.table().toString(), again.table().toString(), "stored runs are reused");
    }
}
