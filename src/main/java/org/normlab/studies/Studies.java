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
                new GanStudy(), new OtherNormsStudy(), new DebuggingStudy())) ALL.put(s.name(), s);
    }

    private Studies() {}

    public static List<Study<?>> all() { return List.copyOf(ALL.values()); }

    public static Study<?> get(String name) {
        Study<?> s = ALL.get(name);
        if (s == null) throw new IllegalArgumentException("no study '" + name + "'; known: " + ALL.keySet());
        return s;
    }
}
