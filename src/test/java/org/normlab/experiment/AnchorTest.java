package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnchorTest {
    private static Anchor anchor(boolean... holds) {
        Anchor.Builder b = Anchor.of("C8", "Wu & He 2018, Fig. 1", "BN 23.6% → 34.7%", "LeNet, batches 2–32");
        for (int i = 0; i < holds.length; i++) b.feature("rule " + i, "ours " + i, holds[i], "differs " + i);
        return b.build();
    }

    @Test
    void theShapeIsComputedFromTheFeatures() {
        assertEquals(Anchor.Shape.YES, anchor(true, true, true).shape());
        assertEquals(Anchor.Shape.PARTLY, anchor(true, false, true).shape());
        assertEquals(Anchor.Shape.NO, anchor(false, false).shape());
        assertEquals(Anchor.Shape.YES, anchor(true).shape());
    }

    @Test
    void anAnchorWithoutFeaturesCannotJudgeItsShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> anchor());
        assertEquals("Anchor C8 (Wu & He 2018, Fig. 1): needs at least one feature to judge its shape, got none", e.getMessage());
    }

    @Test
    void theDataCarriesEveryFeatureInOrder() {
        Map<String, Object> d = anchor(true, false).data();
        assertEquals("partly", d.get("shape"));
        assertEquals("ours 0; ours 1", d.get("ours"));
        assertEquals("LeNet, batches 2–32", d.get("tried"));
        assertEquals(List.of(Map.of("rule", "rule 0", "ours", "ours 0", "holds", true, "differs", "differs 0"),
                        Map.of("rule", "rule 1", "ours", "ours 1", "holds", false, "differs", "differs 1")),
                d.get("features"));
        assertEquals("✓ rule 0; ✗ rule 1", anchor(true, false).rules());
        assertEquals(1, Anchor.table("t", List.of(anchor(true))).rowCount());
    }

    @Test
    void theNotebookShowsWhatWasTriedAndHowTheSetUpDiffersWhereAFeatureFails() {
        String html = anchor(true, false).toHtml();
        assertTrue(html.contains("LeNet, batches 2–32"), html);
        assertTrue(html.contains("unlike the paper: differs 1"), html);
        assertFalse(html.contains("differs 0"), "a feature that holds needs no explanation: " + html);
    }

    @Test
    void anAnchorMustSayWhatWasTriedAndEachFeatureHowItDiffers() {
        IllegalArgumentException tried = assertThrows(IllegalArgumentException.class,
                () -> Anchor.of("C8", "Wu & He 2018, Fig. 1", "p", " ").feature("r", "o", true, "d").build());
        assertEquals("Anchor C8 (Wu & He 2018, Fig. 1): needs what was tried to reproduce it, got none", tried.getMessage());
        IllegalArgumentException differs = assertThrows(IllegalArgumentException.class,
                () -> Anchor.of("C8", "Wu & He 2018, Fig. 1", "p", "t").feature("GN is flat", "o", false, ""));
        assertEquals("Anchor feature \"GN is flat\": needs how our set-up differs from the published one, got none", differs.getMessage());
    }
}
