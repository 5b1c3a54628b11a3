package org.normlab.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.nn.Activation;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.experiment.Experiment;
import org.normlab.experiment.RunSpec;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.testing.GradCheck;
import org.normlab.testing.LayerProperties;

/** Santurkar et al.'s noisy BatchNorm: BN, then fresh non-zero-mean, non-unit-variance noise at every training step. */
class NoisyBatchNormTest {
    private static Tensor input(long seed, int... shape) {
        Tensor x = Tensor.randn(new Rng(seed), 2f, shape);
        for (int i = 0; i < x.size(); i++) x.data()[i] += 0.7f;
        return x;
    }

    @Test
    void trainOutputIsBnTimesScalePlusShiftWithNoiseThatChangesEveryStep() {
        Tensor x = input(1, 32, 4);
        NoisyBatchNorm noisy = new NoisyBatchNorm(4, 0.5, 0.5, new Rng(2));
        float[] y = noisy.forward(x, Mode.TRAIN).data();
        float[] z = new BatchNorm(4).forward(x, Mode.TRAIN).data();
        float[] s = noisy.lastScale(), t = noisy.lastShift();
        for (int i = 0; i < y.length; i++) assertEquals(s[i] * z[i] + t[i], y[i], 1e-6);
        noisy.forward(x, Mode.TRAIN);
        assertFalse(Arrays.equals(s, noisy.lastScale()), "new noise at the next step");
        // The noise is neither zero-mean around the BN output nor unit-scale: over many steps the per-step mean of the
        // shift wanders within ±0.5 and the scale's within 1 ± 0.5.
        double minShiftMean = 1, maxShiftMean = -1;
        for (int step = 0; step < 200; step++) {
            noisy.forward(x, Mode.TRAIN);
            double mean = 0;
            float[] shift = noisy.lastShift();
            for (int n = 0; n < 32; n++) mean += shift[n * 4] / 32.0;  // channel 0
            minShiftMean = Math.min(minShiftMean, mean);
            maxShiftMean = Math.max(maxShiftMean, mean);
        }
        assertTrue(minShiftMean < -0.3 && maxShiftMean > 0.3, minShiftMean + " … " + maxShiftMean);
    }

    @Test
    void withoutNoiseItIsBatchNormAndInEvalItUsesRunningStatisticsOnly() {
        Tensor x = input(3, 8, 3, 2, 2);
        assertArrayEquals(new BatchNorm(3).forward(x, Mode.TRAIN).data(),
                new NoisyBatchNorm(3, 0, 0, new Rng(4)).forward(x, Mode.TRAIN).data(), 1e-6f);
        NoisyBatchNorm noisy = new NoisyBatchNorm(3);
        BatchNorm plain = new BatchNorm(3);
        noisy.forward(x, Mode.TRAIN);
        plain.forward(x, Mode.TRAIN);
        assertArrayEquals(plain.runningMean().data(), noisy.batchNorm().runningMean().data(), 1e-7f, "noise does not enter the statistics");
        assertArrayEquals(plain.forward(x, Mode.EVAL).data(), noisy.forward(x, Mode.EVAL).data(), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> new NoisyBatchNorm(3, -1, 0.5, new Rng(0)));
    }

    @Test
    void gradientChecksWithTheNoiseHeld() {
        NoisyBatchNorm noisy = new NoisyBatchNorm(3, 0.5, 0.5, new Rng(5));
        Tensor x = input(6, 6, 3);
        noisy.forward(x, Mode.TRAIN);
        noisy.holdNoise(true);
        GradCheck.check(noisy, x, Mode.TRAIN, 7);
        NoisyBatchNorm conv = new NoisyBatchNorm(2, 0.5, 0.5, new Rng(8));
        Tensor y = input(9, 4, 2, 3, 3);
        conv.forward(y, Mode.TRAIN);
        conv.holdNoise(true);
        GradCheck.check(conv, y, Mode.TRAIN, 10);
        conv.forward(y, Mode.EVAL);
        LayerProperties.assertBackwardRefusedAfterEval(conv, y);
    }

    @Test
    void normEntryBuildsItAndARunSeedsItsNoise() {
        assertEquals(Norm.NOISY_BN, Norm.parse("noisy-BN"));
        assertEquals("noisy-BN", Norm.NOISY_BN.label());
        assertInstanceOf(NoisyBatchNorm.class, Norm.NOISY_BN.create(4));
        assertTrue(Norm.NOISY_BN.cancelsBias());
        RunSpec c = RunSpec.mlp(List.of(8, 8), Activation.Kind.SIGMOID).withNorm(Norm.NOISY_BN);
        var a = Experiment.model(c, new Rng(1));
        var b = Experiment.model(c, new Rng(1));
        var other = Experiment.model(c.withSeed(1), new Rng(1));
        Tensor x = input(12, 5, 1, 28, 28);
        float[] ya = a.forward(x, Mode.TRAIN).data();
        assertArrayEquals(ya, b.forward(x, Mode.TRAIN).data(), 0f, "same seed, same noise");
        assertFalse(Arrays.equals(ya, other.forward(x, Mode.TRAIN).data()), "another seed, other noise (same weights)");
        assertEquals(2, Layer.all(a, BatchNorm.class).size(), "its BatchNorms are found for running statistics");
    }
}
