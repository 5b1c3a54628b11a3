package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TerminalProgressTest {
    @Test
    void longRunDescriptionsAreCutSoTheBarKeepsItsRoomIn80Columns() {
        assertEquals("norm=BN seed 1", TerminalProgress.shorten("norm=BN seed 1"));
        String cut = TerminalProgress.shorten("norm=GN, lr=0.1, init=×10, depth=20, seed 4");
        assertEquals(24, cut.length());
        assertEquals('…', cut.charAt(23));
    }

    @Test
    void theDescriptionOnlyShowsWhereItLeavesTheBarRoomIn80Columns() {
        assertEquals(19, TerminalProgress.messageRoom("sweep"));
        assertEquals(0, TerminalProgress.messageRoom("convergence-mlp-smoke"), "a study's sweep title leaves no room");
        for (String title : new String[] {"a", "lr-tolerance-mlp", "convergence-lenet-default"}) {
            int room = TerminalProgress.messageRoom(title);
            assertTrue(room == 0 || title.length() + 40 + 16 + room <= 80, title + ": " + room);
        }
    }
}
