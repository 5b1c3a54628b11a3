package org.normlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class StudiesTest {
    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, Studies.editDistance("gan", "gan"));
        assertEquals(1, Studies.editDistance("quikstart", "quickstart"));
        assertEquals(2, Studies.editDistance("plcaement", "placement"));
        assertEquals(3, Studies.editDistance("kitten", "sitting"));
        assertEquals(4, Studies.editDistance("", "abcd"));
    }

    @Test
    void closestNameForTyposAndPrefixesNothingForStrangers() {
        assertEquals("quickstart", Studies.closest("quikstart"));
        assertEquals("learning-rate-tolerance", Studies.closest("learning-rate"));
        assertEquals("batch-size", Studies.closest("batchsize"));
        assertNull(Studies.closest("zzzzzzzz"));
    }
}
