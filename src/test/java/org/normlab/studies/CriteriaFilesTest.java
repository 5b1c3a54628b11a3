package org.normlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.experiment.Preregistration;
import org.normlab.experiment.Scale;
import org.normlab.experiment.Study;
import org.normlab.experiment.Verdict;

/**
 * Pre-registration: every study's criteria, recomputed from code, must equal its committed docs/criteria/&lt;study&gt;.txt
 * criterion by criterion and field by field (a changed threshold, margin, test, budget or seed count fails, naming the
 * field). `normlab criteria --write` rewrites the files; a criterion changed after results must say so in its code.
 */
class CriteriaFilesTest {
    private static final Path DIR = Path.of("docs", "criteria");

    @Test
    void everyStudysCriteriaEqualItsCommittedFile() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Study<?> s : Studies.all()) {
            Path file = DIR.resolve(s.name() + ".txt");
            if (!Files.exists(file)) {
                problems.add(file + " is missing (`normlab criteria --write`)");
                continue;
            }
            problems.addAll(differences(s.name(), Preregistration.parse(Files.readString(file, StandardCharsets.UTF_8)), Preregistration.fields(s)));
        }
        if (!problems.isEmpty()) fail(problems.size() + " criteria differ from docs/criteria:\n" + String.join("\n", problems));
    }

    /** Every field of every criterion at every scale, committed vs code. */
    static List<String> differences(String study, Map<String, List<Map<String, String>>> committed, Map<String, List<Map<String, String>>> code) {
        List<String> out = new ArrayList<>();
        for (var scale : code.entrySet()) {
            List<Map<String, String>> c = committed.getOrDefault(scale.getKey(), List.of()), k = scale.getValue();
            if (c.size() != k.size()) out.add(study + " at " + scale.getKey() + ": " + c.size() + " criteria committed, " + k.size() + " in code");
            for (int i = 0; i < Math.min(c.size(), k.size()); i++) {
                for (var field : k.get(i).entrySet()) {
                    String was = c.get(i).get(field.getKey());
                    if (!field.getValue().equals(was)) {
                        out.add(study + " at " + scale.getKey() + ", " + k.get(i).get("claim") + ", " + field.getKey() + ": committed '" + was
                                + "', code '" + field.getValue() + "'");
                    }
                }
            }
        }
        if (!committed.keySet().equals(code.keySet())) out.add(study + ": scales committed " + committed.keySet() + ", in code " + code.keySet());
        return out;
    }

    @Test
    void everyStudySaysHowItSetsTheLearningRate() {
        for (Study<?> s : Studies.all()) {
            for (Scale scale : Scale.values()) {
                String lr = s.learningRate(scale);
                assertTrue(lr.startsWith("tuned per arm") || lr.contains(": tuned per arm") || lr.startsWith("not tuned: ")
                        || lr.startsWith("not tuned (missing") || lr.startsWith("not applicable: "), s.name() + " at " + scale + ": " + lr);
                assertTrue(s.declaredCriteria(scale).stream().allMatch(c -> c.fields().get("learning rate").equals(lr)), s.name());
            }
        }
    }

    @Test
    void aThresholdEditedAloneIsCaught() {
        Study<?> study = Studies.get("placement");
        String committed = Preregistration.text(study);
        var fields = Preregistration.fields(study);
        assertTrue(differences(study.name(), Preregistration.parse(committed), fields).isEmpty());
        // Edit one threshold in the committed text only: the test names that criterion and field.
        String edited = committed.replaceFirst("threshold: 0.0\n", "threshold: 0.01\n");
        List<String> d = differences(study.name(), Preregistration.parse(edited), fields);
        assertEquals(1, d.size(), d.toString());
        assertTrue(d.get(0).contains("threshold: committed '0.01', code '0.0'"), d.get(0));
        // And the other way round: a criterion changed in code (a margin) against the committed file.
        Verdict.Criterion c = Verdict.Criterion.within("C17", "x", 0, 0.01);
        Verdict.Criterion wider = Verdict.Criterion.within("C17", "x", 0, 0.02);
        assertFalse(c.fields().equals(wider.fields()));
        assertEquals("0.02", wider.fields().get("margin"));
    }

    @Test
    void changedCriteriaAreMarkedInTheirFiles() {
        var c = Studies.get("regularization").declaredCriteria(Scale.DEFAULT);
        assertTrue(c.stream().allMatch(Verdict.Criterion::changed));
        assertTrue(Preregistration.text(Studies.get("regularization")).contains("registration: changed after results: the default scale went from 3 to 5 seeds"));
        assertTrue(Preregistration.text(Studies.get("convergence-speed")).contains("registration: changed after results: under #11"));
        assertTrue(Preregistration.text(Studies.get("batch-size")).contains("registration: declared before the runs"));
        assertThrows(IllegalArgumentException.class, () -> Preregistration.parse("-- criterion\nclaim: x\n"));
    }
}
