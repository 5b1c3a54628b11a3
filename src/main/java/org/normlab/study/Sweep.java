package org.normlab.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.kernels.Parallelism;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;

/**
 * A grid of configs × seeds, run in parallel and stored run by run.
 *
 * <pre>
 * Sweep.of("lr-demo", RunConfig.mlp(List.of(128), Activation.Kind.RELU))
 *      .vary("norm", "none", "BN").vary("lr", 0.01, 0.1, 1.0).seeds(3).run();
 * </pre>
 * Runs go to a fixed pool of threads (one per core by default; BLAS itself is single-threaded, see
 * {@code Gemm}); each run's numbers depend only on its config, so results are the same whatever the pool size or
 * the order runs finish in, and tables list runs in grid order. A run that throws is recorded as failed with its
 * message and the sweep goes on; finished runs are stored as they finish and skipped when the sweep is run again.
 */
public final class Sweep {
    private final String name;
    private final RunConfig base;
    /** One axis of the grid: one or more fields that take their values together, one tuple per grid position. */
    private record Axis(List<String> fields, List<List<Object>> tuples) {}

    private final List<Axis> axes = new ArrayList<>();
    private int seeds = 1;

    private Sweep(String name, RunConfig base) {
        if (!name.matches("[A-Za-z0-9._-]+")) throw new IllegalArgumentException("Sweep: name '" + name + "' must be a plain file name");
        this.name = name;
        this.base = base;
    }

    public static Sweep of(String name, RunConfig base) { return new Sweep(name, base); }

    /** Varies one config field over {@code values} (converted as {@link RunConfig#with} does). */
    public Sweep vary(String field, Object... values) { return vary(field, List.of(values)); }

    public Sweep vary(String field, List<?> values) {
        return varyTogether(List.of(field), values.stream().<List<?>>map(v -> java.util.Collections.singletonList(v)).toList());
    }

    /**
     * Varies several fields together along one axis: the i-th grid position sets every field to the i-th entry of
     * its tuple, e.g. batch size with a learning rate scaled to it,
     * <pre>  varyTogether(List.of("batchSize", "lr"), List.of(List.of(2, 0.00625), List.of(32, 0.1)))</pre>
     * gives two grid positions, not four. Tables show each field as its own column.
     */
    public Sweep varyTogether(List<String> fields, List<? extends List<?>> tuples) {
        if (fields.isEmpty()) throw new IllegalArgumentException("Sweep " + name + ": varyTogether needs at least one field");
        if (tuples.isEmpty()) throw new IllegalArgumentException("Sweep " + name + ": no values for " + fields);
        for (String f : fields) {
            if (f.equals("seed")) throw new IllegalArgumentException("Sweep " + name + ": use seeds(n) for seeds");
            if (axes.stream().anyMatch(a -> a.fields().contains(f)) || fields.indexOf(f) != fields.lastIndexOf(f)) {
                throw new IllegalArgumentException("Sweep " + name + ": field " + f + " is varied twice");
            }
        }
        List<List<Object>> copies = new ArrayList<>();
        for (List<?> tuple : tuples) {
            if (tuple.size() != fields.size()) {
                throw new IllegalArgumentException("Sweep " + name + ": expected " + fields.size() + " values for " + fields + ", got " + tuple);
            }
            RunConfig check = base;  // fail now, not mid-sweep, on an unknown field or a bad value
            for (int i = 0; i < fields.size(); i++) check = check.with(fields.get(i), tuple.get(i));
            copies.add(java.util.Collections.unmodifiableList(new ArrayList<>(tuple)));
        }
        axes.add(new Axis(List.copyOf(fields), List.copyOf(copies)));
        return this;
    }

    /** Seeds 0 … n−1 for every grid point. */
    public Sweep seeds(int n) {
        if (n < 1) throw new IllegalArgumentException("Sweep " + name + ": needs at least one seed, got " + n);
        seeds = n;
        return this;
    }

    public String name() { return name; }
    public RunConfig base() { return base; }
    public List<String> variedFields() { return axes.stream().flatMap(a -> a.fields().stream()).toList(); }

    /** Every config in grid order (first axis slowest, seeds fastest). */
    public List<RunConfig> configs() {
        List<RunConfig> out = new ArrayList<>(List.of(base));
        for (Axis axis : axes) {
            List<RunConfig> next = new ArrayList<>();
            for (RunConfig c : out) {
                for (List<Object> tuple : axis.tuples()) {
                    RunConfig v = c;
                    for (int i = 0; i < tuple.size(); i++) v = v.with(axis.fields().get(i), tuple.get(i));
                    next.add(v);
                }
            }
            out = next;
        }
        List<RunConfig> withSeeds = new ArrayList<>();
        for (RunConfig c : out) for (int s = 0; s < seeds; s++) withSeeds.add(c.withSeed(s));
        return withSeeds;
    }

    /** Runs on Fashion-MNIST, storing under {@link ResultStore#defaultStore()}, one thread per core. */
    public SweepResult run() {
        return run(FashionMnist.train(), FashionMnist.test(), ResultStore.defaultStore(), Progress.auto(),
                Runtime.getRuntime().availableProcessors());
    }

    public SweepResult run(Dataset train, Dataset test, ResultStore store, Progress progress, int threads) {
        return run(c -> Experiment.run(c, train, test, null), store, progress, threads);
    }

    /**
     * Like {@link #run(Dataset, Dataset, ResultStore, Progress, int)} with another training procedure for each config
     * (e.g. a GAN): stored runs are reused, the rest run in parallel and are stored; a run that throws is recorded as
     * failed.
     */
    public SweepResult run(java.util.function.Function<RunConfig, RunLog> runner, ResultStore store, Progress progress, int threads) {
        List<RunConfig> configs = configs();
        RunLog[] logs = new RunLog[configs.size()];
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            logs[i] = store.load(name, configs.get(i)).orElse(null);
            if (logs[i] == null) todo.add(i);
        }
        int cached = configs.size() - todo.size();
        progress.start(name + (cached > 0 ? " (" + cached + " of " + configs.size() + " runs already stored)" : ""), todo.size());
        // Runs already fill the cores when several train at once: their kernels then use one thread each.
        int kernelThreads = threads > 1 ? 1 : Parallelism.threads();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(() -> {
                Parallelism.setThreadsForCurrentThread(kernelThreads);
                r.run();
            }, "normlab-sweep-" + name);
            t.setDaemon(true);
            return t;
        });
        try {
            ExecutorCompletionService<Integer> done = new ExecutorCompletionService<>(pool);
            for (int i : todo) {
                done.submit(() -> {
                    RunConfig c = configs.get(i);
                    logs[i] = runOne(c, runner);
                    store.save(name, c, logs[i]);
                    return i;
                });
            }
            for (int k = 0; k < todo.size(); k++) {
                Future<Integer> f = done.take();
                int i = f.get();
                progress.advance(describe(configs.get(i), logs[i]));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Sweep " + name + " interrupted; finished runs are stored and will be reused", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Sweep " + name + ": storing a run failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
            progress.finish();
        }
        List<Results.Run> runs = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) runs.add(new Results.Run(configs.get(i), logs[i]));
        return new SweepResult(name, variedFields(), runs);
    }

    private static RunLog runOne(RunConfig c, java.util.function.Function<RunConfig, RunLog> runner) {
        try {
            return runner.apply(c);
        } catch (RuntimeException e) {
            RunLog failed = new RunLog();
            failed.markFailed(e.getClass().getSimpleName() + ": " + e.getMessage());
            return failed;
        }
    }

    private String describe(RunConfig c, RunLog log) {
        StringBuilder sb = new StringBuilder();
        for (String f : variedFields()) sb.append(f).append('=').append(c.value(f)).append(' ');
        sb.append("seed ").append(c.seed()).append(": ");
        if (log.failed()) return sb.append("FAILED (").append(log.error()).append(')').toString();
        if (log.diverged()) return sb.append("diverged at step ").append(log.divergedAtStep()).toString();
        if (Double.isNaN(log.last(Trainer.TRAIN_LOSS))) return sb.append(String.format(Locale.ROOT, "done (%.1f s)", log.wallSeconds())).toString();
        return sb.append(String.format(Locale.ROOT, "train loss %.3f, test acc %.3f (%.1f s)", log.last(Trainer.TRAIN_LOSS),
                log.last(Trainer.TEST_ACC), log.wallSeconds())).toString();
    }
}
