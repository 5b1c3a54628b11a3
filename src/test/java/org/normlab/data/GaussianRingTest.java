package org.normlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

class GaussianRingTest {
    private final GaussianRing ring = GaussianRing.STANDARD;

    @Test
    void centresSitEvenlyOnTheCircle() {
        assertArrayEquals(new double[] {2, 0}, ring.centre(0), 1e-12);
        assertArrayEquals(new double[] {0, 2}, ring.centre(2), 1e-12);
        assertArrayEquals(new double[] {Math.sqrt(2), Math.sqrt(2)}, ring.centre(1), 1e-12);
    }

    @Test
    void coverageCountsSamplesWithinThreeSigmaAndModesWithEnoughOfThem() {
        // 10 points: 4 on mode 0 (one at 2.9σ), 1 on mode 2, 1 just outside 3σ of mode 4, 4 at the origin.
        float s = 0.02f;
        Tensor x = Tensor.of(new float[] {2, 0, 2 + 2.9f * s, 0, 2, -s, 2, s, 0, 2, -2 - 3.1f * s, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 10, 2);
        var c = ring.coverage(x, 0.1);  // a mode needs ≥ 1 of 10 samples
        assertEquals(0.5, c.highQualityShare(), 1e-12);
        assertEquals(2, c.modesCovered());
        assertArrayEquals(new int[] {4, 0, 1, 0, 0, 0, 0, 0}, c.perMode());
        assertEquals(1, ring.coverage(x, 0.2).modesCovered(), "with ≥ 2 of 10 needed only mode 0 counts");
    }

    @Test
    void samplesFromTheRingCoverEveryModeAndAreAlmostAllHighQuality() {
        var c = ring.coverage(ring.sample(2500, new Rng(1)), GaussianRing.MIN_SHARE);
        assertEquals(8, c.modesCovered());
        // P(|N(0, I₂)| ≤ 3) = 1 − e^(−4.5) ≈ 0.989
        assertEquals(1 - Math.exp(-4.5), c.highQualityShare(), 0.01);
    }

    @Test
    void theSameSeedGivesTheSamePoints() {
        assertArrayEquals(ring.sample(50, new Rng(3)).data(), ring.sample(50, new Rng(3)).data());
    }

    @Test
    void badShapesAndParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ring.coverage(Tensor.zeros(4, 3), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new GaussianRing(8, 2, 0));
    }
}
