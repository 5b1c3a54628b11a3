package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScaleTest {
    @Test
    void parsesAnyCaseAndNamesTheSourceOnError() {
        assertEquals(Scale.SMOKE, Scale.parse(" Smoke ", "x"));
        assertEquals("NORMLAB_SCALE=huge is not a scale; use one of [smoke, default, full]",
                assertThrows(IllegalArgumentException.class, () -> Scale.parse("huge", "NORMLAB_SCALE")).getMessage());
    }

    @Test
    void systemPropertyWins() {
        String before = System.getProperty("normlab.scale");
        try {
            System.setProperty("normlab.scale", "full");
            assertEquals(Scale.FULL, Scale.current());
            assertEquals(5, (int) Scale.current().pick(1, 3, 5));
        } finally {
            if (before == null) System.clearProperty("normlab.scale"); else System.setProperty("normlab.scale", before);
        }
    }

    @Test
    void onlySmokeIsAPreviewAndSaysItIsNotEvidence() {
        assertTrue(Scale.SMOKE.isPreview());
        assertEquals("smoke scale: a preview, not evidence. A study runs few seeds on a small budget here: its verdicts show "
                + "that the pipeline works and may contradict the README's, which come from default scale.", Scale.SMOKE.previewNote());
        for (Scale s : new Scale[] {Scale.DEFAULT, Scale.FULL}) {
            assertFalse(s.isPreview());
            assertEquals("", s.previewNote());
        }
    }

    @Test
    void aScaleChosenInTheKernelWinsOverPropertyAndEnvironmentUntilCleared() {
        String before = System.getProperty("normlab.scale");
        try {
            System.setProperty("normlab.scale", "smoke");
            assertEquals("scale: full (set in this kernel by Scale.use)", Scale.use(Scale.FULL));
            assertEquals(Scale.FULL, Scale.current());
            assertEquals("scale: smoke (from -Dnormlab.scale, NORMLAB_SCALE or the default)\n" + Scale.SMOKE.previewNote(), Scale.use(null));
            assertEquals(Scale.SMOKE, Scale.current());
        } finally {
            Scale.use(null);
            if (before == null) System.clearProperty("normlab.scale"); else System.setProperty("normlab.scale", before);
        }
    }
}
