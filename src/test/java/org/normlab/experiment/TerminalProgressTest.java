package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TerminalProgressTest {
    @Test
    void longRunDescriptionsAreCutSoTheBarKeepsItsRoomIn80Columns() {
        assertEquals("norm=BN seed 1", TerminalProgress.shorten("norm=BN seed 1"));
        String cut = TerminalProgress.shorten("norm=GN, lr=0.1, init=×10, depth=20, seed 4");
        assertEquals(24, cut.length());
        assertEquals('…', cut.charAt(23));
    }
}
