package org.normlab.experiment;

import java.util.List;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;

/**
 * One question of docs/claims.md as a runnable study: the same code path serves notebooks, the CLI and reports. A study
 * declares its experiment ({@link #plan}) and its verdict criteria ({@link #criteria}) before running, and computes
 * its verdicts from the data.
 *
 * @param <R> the study's typed report
 */
public interface Study<R extends StudyReport> {
    /** Short name used on the command line and as the results folder, e.g. "quickstart". */
    String name();

    /** One line for `normlab --help`. */
    String title();

    /** The sweeps this study runs at {@code scale} (grid, model, budget, seeds), known before any run. */
    Plan plan(Scale scale);

    /** The criteria the verdicts will be judged by, known before any run. */
    List<Verdict.Criterion> criteria(Scale scale);

    /**
     * How the study sets the learning rate, in words: tuned per arm on a validation split ({@link LearningRateTuning}),
     * or why one fixed rate is right for its question (a replicated paper's design, a rate the study sweeps itself…),
     * so that a referee sees whether "arm A is better" can be "this rate suits arm A better". Recorded with every
     * criterion in docs/criteria/&lt;name&gt;.txt; "not stated" unless a study says.
     */
    default String learningRate(Scale scale) { return "not stated"; }

    /**
     * Why the study is designed as it is (network, arms, statistics), in a few sentences: written as comment lines at
     * the top of docs/criteria/&lt;name&gt;.txt, before the criteria. Empty unless a study says.
     */
    default List<String> design() { return List.of(); }

    /**
     * The criteria with the budget of the plan behind them and the learning-rate policy filled in: what
     * docs/criteria/&lt;name&gt;.txt records (see {@link Preregistration}) and what the verdicts carry.
     */
    default List<Verdict.Criterion> declaredCriteria(Scale scale) {
        String budget = plan(scale).budget(), lr = learningRate(scale);
        return criteria(scale).stream().map(c -> c.budget().isEmpty() ? c.withBudget(budget) : c)
                .map(c -> c.learningRate().isEmpty() ? c.withLearningRate(lr) : c).toList();
    }

    /** Runs the study's sweeps on {@code engine} ({@link Engine#local(int)}, or a distributed one such as Spark's). */
    R run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, Engine engine);

    /** On the local engine, {@code threads} runs at once. */
    default R run(Scale scale, Dataset train, Dataset test, ResultStore store, Progress progress, int threads) {
        return run(scale, train, test, store, progress, Engine.local(threads));
    }

    /** At the current scale on Fashion-MNIST, storing under the default results folder, one thread per core. */
    default R run() { return run(Scale.current()); }

    default R run(Scale scale) {
        return run(scale, FashionMnist.train(), FashionMnist.test(), ResultStore.defaultStore(), Progress.auto(),
                Runtime.getRuntime().availableProcessors());
    }
}
