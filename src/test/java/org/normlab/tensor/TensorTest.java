package org.normlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TensorTest {
    @Test
    void indexingIsRowMajor() {
        Tensor t = Tensor.zeros(2, 3, 4);
        t.set(7f, 1, 2, 3);
        assertEquals(7f, t.data()[23]);
        assertEquals(7f, t.get(1, 2, 3));
        assertEquals(12, t.sampleSize());
    }

    @Test
    void reshapeSharesStorageAndChecksSize() {
        Tensor t = Tensor.zeros(2, 6);
        Tensor r = t.reshape(3, 4);
        r.data()[5] = 1f;
        assertEquals(1f, t.data()[5]);
        assertEquals("Tensor: cannot reshape [2, 6] to [5, 2]",
                assertThrows(IllegalArgumentException.class, () -> t.reshape(5, 2)).getMessage());
    }

    @Test
    void ofChecksDataLength() {
        assertEquals("Tensor: shape [2, 2] holds 4 values, data has 3",
                assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[3], 2, 2)).getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 2).get(2, 0));
    }

    @Test
    void rngIsReproducibleAndSplitsIndependently() {
        Rng a = new Rng(42), b = new Rng(42);
        assertArrayEquals(Tensor.randn(a, 1f, 100).data(), Tensor.randn(b, 1f, 100).data());
        assertArrayEquals(new Rng(1).permutation(50), new Rng(1).permutation(50));
        assertNotEquals(new Rng(1).split().nextLong(), new Rng(2).split().nextLong());
        // Gaussian moments, loosely.
        Rng g = new Rng(3);
        double sum = 0, sq = 0;
        for (int i = 0; i < 100_000; i++) { double v = g.nextGaussian(); sum += v; sq += v * v; }
        assertEquals(0, sum / 100_000, 0.02);
        assertEquals(1, sq / 100_000, 0.02);
    }
}
