package org.normlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.normlab.diagnostics.Faults;
import org.normlab.diagnostics.PreciseBn;

class DebuggingStudyTest {
    @Test
    void checksAreSortedIntoFamiliesByTheirText() {
        assertEquals("gradient", DebuggingStudy.family("gradient: analytic vs central difference"));
        assertEquals("switch", DebuggingStudy.family("switch: EVAL twice on the same batch gives the same output"));
        assertEquals("running stats", DebuggingStudy.family("running var after one TRAIN step"));
        assertEquals("running stats", DebuggingStudy.family("EVAL leaves running mean and var untouched"));
        assertEquals("identity", DebuggingStudy.family("identity: γ = √(σ²+ε)"));
    }

    @Test
    void theHandAssembledNetHasTwoBatchNormsAndAFaultWrapsBoth() {
        var m = DebuggingStudy.handAssembled(0);
        assertEquals(2, PreciseBn.batchNorms(m).size());
        assertEquals(2, PreciseBn.batchNorms(Faults.forgetsEvalMode(m)).size(), "BNs inside fault wrappers are still found");
    }
}
