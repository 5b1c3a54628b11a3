package org.normlab.experiment;

import java.util.List;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;

/**
 * One question of CLAIMS.md as a runnable study: the same code path serves notebooks, the CLI and reports.
 * A study declares its verdict criteria before running ({@link #criteria}) and computes its verdicts from the data.
 */
public interface Study {
    /** Short name used on the command line and as the results folder, e.g. "quickstart". */
    String name();

    /** One line for `normlab --help`. */
    String title();

    /** The criteria the verdicts will be judged by, known before any run. */
    List<Verdict.Criterion> criteria(Scale scale);

    StudyReport run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, int threads);

    /** At the current scale on Fashion-MNIST, storing under the default results folder, one thread per core. */
    default StudyReport run() { return run(Scale.current()); }

    default StudyReport run(Scale scale) {
        return run(scale, FashionMnist.train(), FashionMnist.test(), ResultStore.defaultStore(), Progress.auto(),
                Runtime.getRuntime().availableProcessors());
    }
}
