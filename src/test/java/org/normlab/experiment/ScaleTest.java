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
    void onlyFullScaleIsEvidenceAndAPreviewSaysWhereTheFullVerdictIs() {
        assertTrue(Scale.SMOKE.isPreview());
        assertTrue(Scale.DEFAULT.isPreview());
        assertFalse(Scale.FULL.isPreview());
        assertEquals("", Scale.FULL.previewNote());
        assertEquals("default scale: a preview, not evidence. A study runs in a few minutes here, with fewer seeds and steps than most claims "
                + "need. The verdicts that count come from full scale, kept in the atlas (docs/atlas.md): `make report NORMLAB_SCALE=full` "
                + "rebuilds this study's page from it.", Scale.DEFAULT.previewNote());
        assertTrue(Scale.SMOKE.previewNote().startsWith("smoke scale: a preview, not evidence."), Scale.SMOKE.previewNote());
        assertTrue(Scale.SMOKE.previewNote().endsWith("rebuilds this study's page from it."), Scale.SMOKE.previewNote());
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
