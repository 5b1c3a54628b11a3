package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.normlab.data.Dataset;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

class DataSplitTest {
    /** 100 one-pixel images whose pixel is their index, so a subset shows which images it holds. */
    private static final Dataset TRAIN;

    static {
        float[] x = new float[100];
        int[] y = new int[100];
        for (int i = 0; i < 100; i++) {
            x[i] = i;
            y[i] = i % 10;
        }
        TRAIN = new Dataset("indexed", Tensor.of(x, 100, 1), y, 10);
    }

    private static Set<Float> images(Dataset d) {
        Set<Float> s = new HashSet<>();
        for (float v : d.inputs().data()) s.add(v);
        return s;
    }

    @Test
    void withoutSplitsTheTrainingSubsetIsTheFirstImagesAsBefore() {
        DataSpec.Split s = new DataSpec(DataSpec.Source.FASHION_MNIST, 30, 10).split(TRAIN, new Rng(1));
        assertArrayEquals(TRAIN.head(30).inputs().data(), s.train().inputs().data());
        assertNull(s.validation());
    }

    @Test
    void aFirstValidationSplitIsTheNextImagesHeldOutOfTraining() {
        DataSpec.Split s = new DataSpec(DataSpec.Source.FASHION_MNIST, 30, 10).withValidationSize(20).split(TRAIN, new Rng(1));
        assertArrayEquals(TRAIN.head(30).inputs().data(), s.train().inputs().data(), "the training subset is unchanged");
        Set<Float> next = new HashSet<>();
        for (int i = 30; i < 50; i++) next.add((float) i);
        assertEquals(next, images(s.validation()));
    }

    @Test
    void perSeedSubsetsAreDrawnFromTheSeedAndNeverOverlapTheirValidationSplit() {
        DataSpec spec = new DataSpec(DataSpec.Source.FASHION_MNIST, 40, 10).withValidationSize(20).withSampling(DataSpec.Sampling.PER_SEED);
        DataSpec.Split a = spec.split(TRAIN, new Rng(7)), again = spec.split(TRAIN, new Rng(7)), b = spec.split(TRAIN, new Rng(8));
        assertEquals(40, a.train().size());
        assertEquals(20, a.validation().size());
        Set<Float> overlap = images(a.train());
        overlap.retainAll(images(a.validation()));
        assertTrue(overlap.isEmpty(), "validation images are held out of training");
        assertArrayEquals(a.train().inputs().data(), again.train().inputs().data(), "same seed, same subset");
        assertFalse(Arrays.equals(a.train().inputs().data(), b.train().inputs().data()), "another seed, another subset");
        assertEquals(a.train().labels()[0], (int) a.train().inputs().data()[0] % 10, "labels travel with their images");
    }

    @Test
    void badSplitsAreOneLineErrors() {
        DataSpec spec = new DataSpec(DataSpec.Source.FASHION_MNIST, 90, 10).withValidationSize(20).withSampling(DataSpec.Sampling.PER_SEED);
        var e = assertThrows(IllegalArgumentException.class, () -> spec.split(TRAIN, new Rng(1)));
        assertEquals("DataSpec: validationSize + trainSize = 20 + 90 exceeds the 100 images of indexed", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataSpec.DEFAULT.withEvaluation(DataSpec.Evaluation.VALIDATION));
        assertThrows(IllegalArgumentException.class, () -> DataSpec.DEFAULT.withValidationSize(-1));
    }

    @Test
    void theCacheKeyOfASpecWithoutSplitsIsUnchanged() {
        RunSpec plain = RunSpec.DEFAULT.withTrainSize(512);
        assertFalse(plain.canonical().contains("validation") || plain.canonical().contains("sampling") || plain.canonical().contains("evaluate"));
        RunSpec tuned = plain.withValidationSize(100).withSampling(DataSpec.Sampling.PER_SEED).withEvaluation(DataSpec.Evaluation.VALIDATION);
        assertTrue(tuned.canonical().endsWith(";trainSize=512;validationSize=100;sampling=per-seed;evaluate=validation"), tuned.canonical());
    }
}
