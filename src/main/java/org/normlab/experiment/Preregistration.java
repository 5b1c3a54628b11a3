package org.normlab.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A study's criteria as committed text, docs/criteria/&lt;study&gt;.txt: for every scale, every criterion with every
 * field (claim, kind, statistic, direction, threshold, margin, test, rule, family, divergence policy, budget and
 * seeds, registration). Written by {@code normlab criteria --write} from the typed criteria; a unit test recomputes
 * them from code and fails, naming the field, when a criterion differs from its committed file.
 *
 * <p>Format: a header comment, then per scale a line {@code == scale <name>}, then per criterion a line
 * {@code -- criterion} followed by one {@code field: value} line per field (values on one line).
 */
public final class Preregistration {
    private static final String SCALE = "== scale ", CRITERION = "-- criterion";

    private Preregistration() {}

    /** The file's text for {@code study}, every scale. */
    public static String text(Study<?> study) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Criteria of study '").append(study.name()).append("' (").append(study.title()).append(")\n")
                .append("# Generated from the typed criteria by `normlab criteria --write`; never edit by hand.\n")
                .append("# CriteriaFilesTest fails when a criterion in code differs from this file, field by field.\n")
                .append("# A criterion changed after seeing results says so in its registration field.\n");
        List<String> design = study.design();
        if (!design.isEmpty()) {
            sb.append("#\n# Design (why):\n");
            for (String line : design) sb.append("# ").append(oneLine(line)).append('\n');
        }
        for (Scale scale : Scale.values()) {
            sb.append('\n').append(SCALE).append(scale).append('\n');
            for (Verdict.Criterion c : study.declaredCriteria(scale)) {
                sb.append(CRITERION).append('\n');
                for (var f : c.fields().entrySet()) sb.append(f.getKey()).append(": ").append(oneLine(f.getValue())).append('\n');
            }
        }
        return sb.toString();
    }

    /** The criteria of {@code study} at every scale as field maps, as {@link #parse} reads them back from its text. */
    public static Map<String, List<Map<String, String>>> fields(Study<?> study) {
        Map<String, List<Map<String, String>>> out = new LinkedHashMap<>();
        for (Scale scale : Scale.values()) {
            List<Map<String, String>> cs = new ArrayList<>();
            for (Verdict.Criterion c : study.declaredCriteria(scale)) {
                Map<String, String> m = new LinkedHashMap<>();
                c.fields().forEach((k, v) -> m.put(k, oneLine(v)));
                cs.add(m);
            }
            out.put(scale.toString(), cs);
        }
        return out;
    }

    /** Reads a criteria file: scale → criteria, each a map field → value. */
    public static Map<String, List<Map<String, String>>> parse(String text) {
        Map<String, List<Map<String, String>>> out = new LinkedHashMap<>();
        List<Map<String, String>> current = null;
        Map<String, String> criterion = null;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) continue;
            if (line.startsWith(SCALE)) {
                current = new ArrayList<>();
                out.put(line.substring(SCALE.length()).trim(), current);
                criterion = null;
            } else if (line.equals(CRITERION)) {
                if (current == null) throw new IllegalArgumentException("criteria file: line " + lineNo + ": expected '" + SCALE + "…' before a criterion");
                criterion = new LinkedHashMap<>();
                current.add(criterion);
            } else {
                int colon = line.indexOf(": ");
                if (criterion == null || colon < 0) {
                    throw new IllegalArgumentException("criteria file: line " + lineNo + ": expected 'field: value' inside a criterion, got '" + line + "'");
                }
                criterion.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        return out;
    }

    private static String oneLine(String s) { return s.replace("\r", " ").replace("\n", " "); }
}
