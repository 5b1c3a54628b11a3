package org.normlab.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.normlab.nn.Mode;
import org.normlab.tensor.Tensor;

class ProbeTest {
    @Test
    void percentilesInterpolateLikeNumpy() {
        var probe = new Probe("p", 1);
        probe.arm();
        // unit 1 of five samples: 10, 20, 30, 40, 50
        probe.forward(Tensor.of(new float[] {0, 10, 0, 20, 0, 30, 0, 40, 0, 50}, 5, 2), Mode.EVAL);
        assertEquals(30, probe.percentile(50), 1e-9);
        assertEquals(16, probe.percentile(15), 1e-9);  // numpy.percentile([10,20,30,40,50], 15) = 16.0
        assertEquals(44, probe.percentile(85), 1e-9);
    }

    @Test
    void onlyAnArmedForwardRecords() {
        var probe = new Probe("p", 0);
        probe.forward(Tensor.of(new float[] {1, 2}, 2, 1), Mode.EVAL);
        assertThrows(IllegalStateException.class, () -> probe.percentile(50));
    }
}
