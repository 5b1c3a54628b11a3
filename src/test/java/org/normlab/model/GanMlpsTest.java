package org.normlab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.normlab.nn.Init;
import org.normlab.nn.Mode;
import org.normlab.nn.Sequential;
import org.normlab.norm.Norm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.testing.GradCheck;

class GanMlpsTest {

    @Test
    void dcganNormalizationRules() {
        // BN after every hidden layer of the generator, none at its output.
        assertEquals("Linear(16→128, no bias) → BatchNorm(C=128) → ReLU → Linear(128→128, no bias) → BatchNorm(C=128) → ReLU → "
                + "Linear(128→2)", GanMlps.generator(Norm.BN, new Rng(1)).describe());
        // No BN on the discriminator's input layer, BN on the hidden layers after it.
        assertEquals("Linear(2→128) → LeakyReLU(0.2) → Linear(128→128, no bias) → BatchNorm(C=128) → LeakyReLU(0.2) → Linear(128→1)",
                GanMlps.discriminator(Norm.BN, new Rng(1)).describe());
        assertEquals("Linear(2→128) → LeakyReLU(0.2) → Linear(128→128) → LeakyReLU(0.2) → Linear(128→1)",
                GanMlps.discriminator(Norm.NONE, new Rng(1)).describe());
        assertEquals("Linear(16→128) → ReLU → Linear(128→128) → ReLU → Linear(128→2)", GanMlps.generator(Norm.NONE, new Rng(1)).describe());
    }

    @Test
    void noiseGivesPointsAndPointsGiveOneLogit() {
        for (Norm norm : new Norm[] {Norm.NONE, Norm.BN}) {
            Sequential generator = GanMlps.generator(norm, new Rng(2)), discriminator = GanMlps.discriminator(norm, new Rng(3));
            Tensor z = Tensor.randn(new Rng(4), 1f, 64, 16);
            for (Mode mode : Mode.values()) {
                Tensor points = generator.forward(z, mode);
                assertArrayEquals(new int[] {64, 2}, points.shape(), norm + " generator " + mode);
                assertArrayEquals(new int[] {64, 1}, discriminator.forward(points, mode).shape(), norm + " discriminator " + mode);
            }
        }
    }

    @Test
    void gradientsOfSmallVersions() {
        for (Norm norm : new Norm[] {Norm.NONE, Norm.BN}) {
            GradCheck.check(GanMlps.generator(new int[] {3, 5, 4, 2}, norm, Init.he(), new Rng(5)), Tensor.randn(new Rng(6), 1f, 6, 3),
                    Mode.TRAIN, 7);
            GradCheck.check(GanMlps.discriminator(new int[] {2, 5, 4, 1}, norm, Init.he(), new Rng(8)), Tensor.randn(new Rng(9), 1f, 6, 2),
                    Mode.TRAIN, 10);
        }
    }

    @Test
    void badWidthsAreRejected() {
        assertEquals("GanMlps discriminator: the last width is the single logit, must be 1, got [2, 8, 2]",
                assertThrows(IllegalArgumentException.class,
                        () -> GanMlps.discriminator(new int[] {2, 8, 2}, Norm.BN, Init.he(), new Rng(1))).getMessage());
        assertEquals("GanMlps generator: needs input, at least one hidden and output widths, got [16, 2]",
                assertThrows(IllegalArgumentException.class, () -> GanMlps.generator(new int[] {16, 2}, Norm.BN, Init.he(), new Rng(1))).getMessage());
    }
}
