package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
