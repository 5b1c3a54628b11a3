package org.normlab.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/** The side-by-side table reports what the two layers computed: agreement on normal input, a gap when they differ. */
class ReferenceComparisonTest {
    @Test
    void fastAndReferenceAgreeToFloatRounding() {
        var run = ReferenceComparison.run(5, 4, 3, 2, 2);
        assertEquals(7, run.differences().rowCount());
        assertTrue(run.maxDifference() < 1e-5, run.differences().print());
        assertTrue(run.differences().doubleColumn("max |value|").min() > 0, "every quantity is non-trivial");
        var elements = run.elements(6);
        assertEquals(6, elements.rowCount());
        assertEquals(elements.doubleColumn("y fast").get(0), elements.doubleColumn("y reference").get(0), 1e-5);
    }

    @Test
    void theTableReadsTheLayersGradients() {
        Tensor x = Tensor.randn(new Rng(2), 1f, 2, 1, 2, 2);
        Tensor dy = Tensor.full(0.5f, 2, 1, 2, 2);
        var run = ReferenceComparison.run(x, dy);
        assertEquals("dL/dβ", run.differences().stringColumn("quantity").get(3));
        assertEquals(4.0, run.differences().doubleColumn("max |value|").get(3), 1e-6, "dβ = Σ dy = 8 · 0.5");
        assertEquals(0.0, run.differences().doubleColumn("max |value|").get(1), 1e-6, "a constant dy has no component through x̂");
    }
}
