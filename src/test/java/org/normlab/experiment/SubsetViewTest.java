package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.tensor.Rng;
import org.normlab.train.RunLog;

/** Training subsets are index views of the loaded data; a run on a view must be the run on a copy, bit for bit. */
class SubsetViewTest {
    private static final Dataset DATA = FashionMnist.fromEnvironment().load(FashionMnist.Split.TEST).head(1500);

    private static Dataset copyOf(Dataset d) {
        return new Dataset(d.name(), d.inputs().copy(), d.labels().clone(), d.classes());
    }

    @Test
    void aRunOnAViewEqualsTheRunOnACopy() {
        Dataset view = DATA.sample(600, new Rng(5)), test = DATA.select(IntStream.range(1200, 1500).toArray());
        Dataset copy = copyOf(view), testCopy = copyOf(test);
        RunSpec spec = RunSpec.mlp(List.of(32), Activation.Kind.RELU).withNorm(Norm.BN).withLr(0.1).withBatchSize(32)
                .withEpochs(2).withTrainSize(600).withTestSize(300).withLogEvery(5).withSeed(2);
        RunLog onView = Experiment.run(spec, view, test, null), onCopy = Experiment.run(spec, copy, testCopy, null);
        assertFalse(onView.points().isEmpty());
        assertEquals(onCopy.points(), onView.points(), "every logged number, bit for bit");
    }

    @Test
    void aViewHasTheFingerprintOfItsCopy() {
        Dataset view = DATA.sample(700, new Rng(9));
        assertEquals(DataFingerprint.of(copyOf(view)), DataFingerprint.of(view));
        assertEquals(DataFingerprint.of(copyOf(DATA.head(300))), DataFingerprint.of(DATA.head(300)));
        assertFalse(DataFingerprint.of(view).equals(DataFingerprint.of(DATA.sample(700, new Rng(10)))));
    }
}
