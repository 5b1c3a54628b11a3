package org.normlab.studies;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.normlab.experiment.Study;

/** The registry of studies the CLI and reports can run by name. */
public final class Studies {
    private static final Map<String, Study<?>> ALL = new LinkedHashMap<>();

    static {
        for (Study<?> s : List.<Study<?>>of(new Quickstart(), new ConvergenceStudy(), new LrToleranceStudy(), new InitSensitivityStudy(),
                new TrainVsInferenceStudy(), new LrGridDemo(),
                new BatchSizeStudy(), new PlacementStudy(), new RegularizationStudy(),
                new CovariateShiftStudy(), new RecurrentStudy(),
                new GanStudy(), new OtherNormsStudy(), new DebuggingStudy(), new AffineStudy(), new ScaleInvarianceStudy(),
                new SmallBatchStudy(), new BnDropoutStudy(), new LearningRatePracticeStudy(), new ThreeAccountsStudy())) ALL.put(s.name(), s);
    }

    private Studies() {}

    public static List<Study<?>> all() { return List.copyOf(ALL.values()); }

    public static Study<?> get(String name) {
        Study<?> s = ALL.get(name);
        if (s == null) {
            String guess = closest(name);
            throw new IllegalArgumentException("no study '" + name + "'" + (guess != null ? "; did you mean '" + guess + "'?" : "")
                    + " (known: " + String.join(", ", ALL.keySet()) + ")");
        }
        return s;
    }

    /** The registered name nearest to {@code name} in edits (a third of its length at most), or null. */
    static String closest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : ALL.keySet()) {
            int d = known.startsWith(name) && !name.isEmpty() ? 0 : editDistance(name, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
    }

    /** Levenshtein distance: insertions, deletions and substitutions of one character. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1], current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
