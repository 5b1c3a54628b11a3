package org.normlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.normlab.experiment.Plan;
import org.normlab.experiment.Scale;
import org.normlab.experiment.Study;
import org.normlab.experiment.Sweep;

class StudyPlansTest {
    @Test
    void everyStudyPlansAtEveryScale() {
        for (Study<?> s : Studies.all()) {
            for (Scale scale : Scale.values()) {
                Plan p = s.plan(scale);
                assertEquals(s.name(), p.study());
                assertTrue(p.describe().startsWith(s.name() + " at " + scale + " scale: "), p.describe());
                for (Sweep<?> sweep : p.sweeps()) assertEquals(sweep.specs().size(), sweep.size(), sweep.name());
            }
        }
    }
}
