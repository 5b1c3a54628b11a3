package org.normlab.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.kernels.Parallelism;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;

/**
 * A grid of specs × seeds, run in parallel and stored run by run.
 *
 * <pre>
 * Sweep.of("lr-demo", RunSpec.mlp(List.of(128), Activation.Kind.RELU))
 *      .vary(Axes.NORM, Norm.NONE, Norm.BN).vary(Axes.LR, 0.01, 0.1, 1.0).seeds(3).run();
 * </pre>
 * Runs go to a fixed pool of threads (one per core by default; BLAS itself is single-threaded, see
 * {@code Gemm}); each run's numbers depend only on its spec, so results are the same whatever the pool size or
 * the order runs finish in, and tables list runs in grid order. A run that throws is recorded as failed with its
 * message and the sweep goes on; finished runs are stored as they finish and skipped when the sweep is run again.
 *
 * @param <S> the spec type ({@link RunSpec} for supervised runs, {@link GanSpec} for GAN runs)
 */
public final class Sweep<S extends Spec<S>> {
    private final String name;
    private final S base;
    /** One axis of the grid with its values, one grid position per value. */
    private record Varied<S, T>(Axis<S, T> axis, List<T> values) {
        S apply(S spec, int i) { return axis.apply(spec, values.get(i)); }
    }

    private final List<Varied<S, ?>> axes = new ArrayList<>();
    private int seeds = 1;
    private boolean retryFailed;
    private String runnerId;
    /** Applied to every grid point before seeds, e.g. each arm's tuned learning rate (identity by default). */
    private UnaryOperator<S> perArm = UnaryOperator.identity();
    private String perArmText = "";

    private Sweep(String name, S base) {
        if (!name.matches("[A-Za-z0-9._-]+")) throw new IllegalArgumentException("Sweep: name '" + name + "' must be a plain file name");
        this.name = name;
        this.base = base;
    }

    public static <S extends Spec<S>> Sweep<S> of(String name, S base) { return new Sweep<>(name, base); }

    /** Varies the spec along {@code axis} over {@code values}. */
    @SafeVarargs
    public final <T> Sweep<S> vary(Axis<S, T> axis, T... values) { return vary(axis, List.of(values)); }

    /**
     * Varies the spec along {@code axis} over {@code values}; an axis made with {@link Axis#and} sets several settings
     * at each value (one grid position per value, each setting its own table column).
     */
    public <T> Sweep<S> vary(Axis<S, T> axis, List<? extends T> values) {
        if (values.isEmpty()) throw new IllegalArgumentException("Sweep " + name + ": no values for " + axis);
        for (Field<S> c : axis.fields()) {
            if (fields().stream().anyMatch(d -> d.name().equals(c.name())) || axis.fields().stream().filter(d -> d.name().equals(c.name())).count() > 1) {
                throw new IllegalArgumentException("Sweep " + name + ": " + c.name() + " is varied twice");
            }
        }
        List<T> copy = List.copyOf(values);
        for (T v : copy) axis.apply(base, v);  // fail now, not mid-sweep, on a value the spec rejects
        axes.add(new Varied<>(axis, copy));
        return this;
    }

    /**
     * The same grid, seeds and runner under another name, from a changed base: e.g. the tuning runs of a sweep on
     * its validation split. Axes added afterwards extend only the copy.
     */
    public Sweep<S> derived(String newName, UnaryOperator<S> changeBase) {
        Sweep<S> copy = new Sweep<>(newName, changeBase.apply(base));
        copy.axes.addAll(axes);
        copy.seeds = seeds;
        copy.retryFailed = retryFailed;
        copy.runnerId = runnerId;
        copy.perArm = perArm;
        copy.perArmText = perArmText;
        return copy;
    }

    /**
     * Changes every grid point (before its seeds) by {@code adjust}, described in the plan by {@code text}: e.g. each
     * arm's learning rate as chosen by {@link LearningRateTuning}.
     */
    public Sweep<S> perArm(UnaryOperator<S> adjust, String text) {
        perArm = adjust;
        perArmText = text;
        return this;
    }

    /** Seeds 0 … n−1 for every grid point. */
    public Sweep<S> seeds(int n) {
        if (n < 1) throw new IllegalArgumentException("Sweep " + name + ": needs at least one seed, got " + n);
        seeds = n;
        return this;
    }

    public String name() { return name; }

    /** The number of seeds each grid point runs. */
    public int seedCount() { return seeds; }
    public S base() { return base; }

    /** The table fields of the varied settings, in the order they were varied. */
    public List<Field<S>> fields() { return axes.stream().flatMap(a -> a.axis().fields().stream()).toList(); }

    /** Every spec in grid order (first axis slowest, seeds fastest). */
    public List<S> specs() {
        List<S> out = new ArrayList<>(List.of(base));
        for (Varied<S, ?> axis : axes) {
            List<S> next = new ArrayList<>();
            for (S c : out) for (int i = 0; i < axis.values().size(); i++) next.add(axis.apply(c, i));
            out = next;
        }
        List<S> withSeeds = new ArrayList<>();
        for (S c : out) {
            S arm = perArm.apply(c);
            for (int s = 0; s < seeds; s++) withSeeds.add(arm.withSeed(s));
        }
        return withSeeds;
    }

    /** Grid points times seeds: how many runs this sweep trains. */
    public int size() {
        int n = seeds;
        for (Varied<S, ?> a : axes) n *= a.values().size();
        return n;
    }

    /**
     * The sweep in a few readable lines, as a notebook shows it before running: its size, each axis with its values
     * (an axis that sets several settings lists them together), the base run the grid starts from, and the seeds.
     * <pre>
     * quickstart-smoke: 2 grid points × 2 seeds = 4 runs
     * grid       norm ∈ {none, BN}
     * model      MLP 784-128-128-10, sigmoid, norm before the activation, norm (grid), xavier init
     * …
     * seeds      0, 1
     * </pre>
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(name).append(": ").append(size() / seeds).append(size() / seeds == 1 ? " grid point" : " grid points").append(" × ")
                .append(seeds).append(seeds == 1 ? " seed" : " seeds").append(" = ").append(size()).append(size() == 1 ? " run" : " runs").append('\n');
        for (String g : grid()) SpecText.line(sb, "grid", g);
        sb.append(base.describe(gridFields())).append('\n');
        if (!perArmText.isEmpty()) SpecText.line(sb, "per arm", perArmText);
        SpecText.line(sb, "seeds", seedsText());
        return sb.toString().stripTrailing();
    }

    /** One line per axis: its setting(s) and values, e.g. "norm ∈ {none, BN}" or "(batchSize, lr) ∈ {(16, 0.025), (32, 0.05)}". */
    public List<String> grid() { return axes.stream().map(this::gridLine).toList(); }

    /** The base run's settings, those the grid sets shown as "(grid)" (see {@link Spec#outline}). */
    public Map<String, String> baseOutline() { return base.outline(gridFields()); }

    String seedsText() { return seeds == 1 ? "0" : seeds == 2 ? "0, 1" : "0 … " + (seeds - 1); }

    private Set<String> gridFields() { return fields().stream().map(Field::name).collect(Collectors.toSet()); }

    private String gridLine(Varied<S, ?> a) {
        List<Field<S>> fs = a.axis().fields();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < a.values().size(); i++) {
            S spec = a.apply(base, i);
            List<String> cells = fs.stream().map(f -> SpecText.value(f.cell().apply(spec))).toList();
            values.add(cells.size() == 1 ? cells.get(0) : "(" + String.join(", ", cells) + ")");
        }
        String names = fs.stream().map(Field::name).collect(Collectors.joining(", "));
        return (fs.size() == 1 ? names : "(" + names + ")") + " ∈ {" + String.join(", ", values) + "}";
    }

    @Override
    public String toString() { return describe(); }

    /** Runs on Fashion-MNIST, storing under {@link ResultStore#defaultStore()}, one thread per core (a {@link RunSpec} sweep). */
    public SweepResult<S> run() {
        return run(FashionMnist.train(), FashionMnist.test(), ResultStore.defaultStore(), Progress.auto(),
                Runtime.getRuntime().availableProcessors());
    }

    /** Trains each {@link RunSpec} with {@link Experiment#run}; other spec types name their runner ({@link #run(Function, ResultStore, Progress, int)}). */
    public SweepResult<S> run(Dataset train, Dataset test, ResultStore store, Progress progress, int threads) {
        return run(train, test, store, progress, Engine.local(threads));
    }

    /**
     * {@link #run(Dataset, Dataset, ResultStore, Progress, int)} on {@code engine}: {@link Engine#local(int)}, or a
     * distributed engine such as the Spark engine of normlab-spark, whose workers load the same Fashion-MNIST split.
     */
    public SweepResult<S> run(Dataset train, Dataset test, ResultStore store, Progress progress, Engine engine) {
        if (!(base instanceof RunSpec)) {
            throw new IllegalArgumentException("Sweep " + name + ": a " + base.getClass().getSimpleName() + " sweep needs its runner, "
                    + "run(runner, store, progress, threads)");
        }
        for (S spec : specs()) {  // a model that does not fit the data fails now, not run by run
            Experiment.requireFits((RunSpec) spec, train);
            Experiment.requireFits((RunSpec) spec, test);
        }
        String fingerprint = ";data=" + DataFingerprint.of(train) + "," + DataFingerprint.of(test) + ";runner=normlab-experiment@"
                + Experiment.RUNNER_VERSION;
        if (engine instanceof Engine.Local local) {
            return run(c -> Experiment.run((RunSpec) c, train, test,
                    (step, total, log) -> progress.running(label(c), step, total, log.last(Trainer.TRAIN_LOSS))), fingerprint, store, progress,
                    local.threads());
        }
        @SuppressWarnings("unchecked")
        Function<S, RunLog> portable = (Function<S, RunLog>) (Function<?, RunLog>) FashionMnistRunner.of(name, train, test);
        return runDistributed(distributed(engine), portable, fingerprint, store, progress);
    }

    /**
     * Names your own runner (and the data it reads) for the store: stored runs are reused only by a runner of the same
     * name and version, so change the version whenever your runner or its data change what a run gives.
     */
    public Sweep<S> runner(String runnerName, String version) {
        if (runnerName == null || runnerName.isBlank() || version == null || version.isBlank() || (runnerName + version).matches("(?s).*[;,\\n\\r].*")) {
            throw new IllegalArgumentException("Sweep " + name + ": runner name and version must be non-blank, without ; , or line breaks; got '"
                    + runnerName + "', '" + version + "'");
        }
        runnerId = runnerName + "@" + version;
        return this;
    }

    /**
     * Runs every spec with {@code runner} (e.g. a GAN's training procedure): stored runs are reused, the rest run in
     * parallel and are stored; a run that throws is recorded as failed. Settings are checked before the first run.
     * Interrupting the calling thread (a notebook interrupt, Ctrl-C) cancels the sweep: running runs stop at their next
     * training step and are not stored, finished runs stay stored, and {@link Interrupted} says how many.
     */
    public SweepResult<S> run(Function<S, RunLog> runner, ResultStore store, Progress progress, int threads) {
        return run(runner, store, progress, Engine.local(threads));
    }

    /**
     * {@link #run(Function, ResultStore, Progress, int)} on {@code engine}; a distributed engine ships the runner, so it
     * must be Serializable (e.g. {@code (Function<GanSpec, RunLog> & Serializable) GanStudy::train}).
     */
    public SweepResult<S> run(Function<S, RunLog> runner, ResultStore store, Progress progress, Engine engine) {
        String fingerprint = ";runner=" + (runnerId != null ? runnerId : "unnamed");
        if (engine instanceof Engine.Local local) return run(runner, fingerprint, store, progress, local.threads());
        return runDistributed(distributed(engine), runner, fingerprint, store, progress);
    }

    private SweepResult<S> run(Function<S, RunLog> runner, String fingerprint, ResultStore store, Progress progress, int threads) {
        if (threads < 1) throw new IllegalArgumentException("Sweep " + name + ": threads (--threads) must be a whole number ≥ 1, got " + threads);
        Parallelism.defaultThreadsSetting();  // a bad NORMLAB_THREADS fails here, not in a worker
        ResultStore from = retryFailed ? store.retryingFailed() : store;
        Stored<S> before = stored(from, fingerprint);
        List<S> specs = before.specs();
        RunLog[] logs = before.logs();
        List<Integer> todo = before.todo();
        int cached = before.cached();
        progress.start(before.title(name), todo.size());
        // Runs already fill the cores when several train at once: their kernels then use one thread each.
        int kernelThreads = threads > 1 ? 1 : Parallelism.threads();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(() -> {
                Parallelism.setThreadsForCurrentThread(kernelThreads);
                r.run();
            }, "normlab-sweep-" + name);
            t.setDaemon(true);
            return t;
        });
        Object storing = new Object();
        boolean[] cancelled = {false};
        boolean ended = false;  // false while a throwable other than ours leaves the loop (e.g. JShell stopping a cell)
        // An interrupt while the sweep waits: no run is stored from then on, and the progress hears the count before the
        // interrupter goes on (a notebook kernel ends the cell right after).
        AtomicReference<String> reported = new AtomicReference<>();
        InterruptHook hook = new InterruptHook(() -> {
            int stored = cached + stopStoring(storing, cancelled, logs, todo);
            pool.shutdownNow();
            reported.set(interruptedMessage(stored, specs.size()));
            progress.interrupted(reported.get());
        });
        try {
            ExecutorCompletionService<Integer> done = new ExecutorCompletionService<>(pool);
            for (int i : todo) done.submit(task(i, false, specs, logs, runner, fingerprint, store, from, storing, cancelled));
            for (int k = 0; k < todo.size(); k++) {
                Future<Integer> next = hook.await(done::take);
                if (hook.fired()) throw new InterruptedException("the sweep was interrupted as a run finished");
                int i = next.get();
                if (i <= DEFERRED) {
                    // Another live process is computing this run: wait for its result (or its death) after the rest.
                    done.submit(task(DEFERRED - i, true, specs, logs, runner, fingerprint, store, from, storing, cancelled));
                    k--;
                    continue;
                }
                progress.advance(describe(specs.get(i), logs[i]));
            }
            ended = true;
        } catch (InterruptedException e) {
            ended = true;
            int stored = cached + cancel(pool, storing, cancelled, logs, todo);
            Thread.currentThread().interrupt();
            if (reported.get() == null) progress.interrupted(interruptedMessage(stored, specs.size()));
            throw new Interrupted(interruptedMessage(stored, specs.size()));
        } catch (ExecutionException e) {
            ended = true;
            int stored = cached + cancel(pool, storing, cancelled, logs, todo);
            Throwable cause = e.getCause();
            if (cause instanceof Trainer.Cancelled) {
                // A run stopped by an interrupt that reached its worker before this thread: a notebook kernel stops a
                // cell by interrupting every thread the cell started, in no set order. It is the same interrupt.
                if (reported.get() == null) progress.interrupted(interruptedMessage(stored, specs.size()));
                Thread.currentThread().interrupt();
                throw new Interrupted(interruptedMessage(stored, specs.size()));
            }
            if (cause instanceof ResultStore.StoreException se) throw new ResultStore.StoreException(
                    "Sweep " + name + ": " + se.getMessage(), se.getCause());
            if (cause instanceof OutOfMemoryError) {
                throw new RunFailure("Sweep " + name + ": a run ran " + outOfMemory(cause), cause);
            }
            throw new RunFailure("Sweep " + name + ": " + cause, cause);
        } finally {
            if (!ended) {
                // A notebook kernel stops a cell without an InterruptedException: cancel all the same, and say so.
                int stored = cached + cancel(pool, storing, cancelled, logs, todo);
                if (reported.get() == null) progress.interrupted(interruptedMessage(stored, specs.size()));
            }
            pool.shutdownNow();
            progress.finish();
        }
        List<Results.Run<S>> runs = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) runs.add(new Results.Run<>(specs.get(i), logs[i]));
        return new SweepResult<>(name, fields(), runs);
    }

    private Engine.Distributed distributed(Engine engine) {
        if (engine instanceof Engine.Distributed d) return d;
        throw new IllegalArgumentException("Sweep " + name + ": engine " + (engine == null ? "null" : engine.describe())
                + " is neither Engine.local(threads) nor an Engine.Distributed");
    }

    /**
     * The runs not stored, computed by {@code engine}: this process claims each (as the local engine's tasks do), hands
     * the claimed ones to the engine as one job, and stores each result as it comes back, here and nowhere else; runs
     * claimed by another live process wait, and are read back when it stores them or computed when it dies.
     */
    private SweepResult<S> runDistributed(Engine.Distributed engine, Function<S, RunLog> runner, String fingerprint, ResultStore store,
                                          Progress progress) {
        Parallelism.defaultThreadsSetting();
        Engine.Task<S> task = new Engine.Task<>(runner);  // a runner that cannot be shipped fails here
        ResultStore from = retryFailed ? store.retryingFailed() : store;
        Stored<S> before = stored(from, fingerprint);
        List<S> specs = before.specs();
        RunLog[] logs = before.logs();
        List<Integer> todo = before.todo();
        int cached = before.cached();
        progress.start(before.title(name) + " on " + engine.describe(), todo.size());
        Map<Integer, ResultStore.Claim> claims = new HashMap<>();
        List<Integer> waiting = new ArrayList<>(todo);
        AtomicReference<Engine.Submitted> running = new AtomicReference<>();
        Object storing = new Object();
        boolean[] cancelled = {false};
        boolean ended = false;
        AtomicReference<String> reported = new AtomicReference<>();
        InterruptHook hook = new InterruptHook(() -> {
            int stored = cached + stopStoring(storing, cancelled, logs, todo);
            Engine.Submitted r = running.get();
            if (r != null) r.cancel();
            reported.set(interruptedMessage(stored, specs.size()));
            progress.interrupted(reported.get());
        });
        try {
            while (!waiting.isEmpty()) {
                List<Integer> batch = new ArrayList<>();
                for (Iterator<Integer> it = waiting.iterator(); it.hasNext(); ) {
                    int i = it.next();
                    ResultStore.Claim claim = store.claim(name, specs.get(i), fingerprint);
                    if (claim == null) continue;  // another live process computes it
                    Optional<RunLog> meanwhile = from.reportingTo(alreadyReported -> { }).load(name, specs.get(i), fingerprint);
                    it.remove();
                    if (meanwhile.isPresent()) {
                        claim.close();
                        logs[i] = meanwhile.get();
                        progress.advance(describe(specs.get(i), logs[i]));
                    } else {
                        claims.put(i, claim);
                        batch.add(i);
                    }
                }
                if (batch.isEmpty()) {
                    if (waiting.isEmpty()) break;
                    hook.await(() -> {
                        Thread.sleep(250);
                        return null;
                    });
                    if (hook.fired()) throw new InterruptedException("the sweep was interrupted while another process computed its runs");
                    continue;
                }
                BlockingQueue<Object> results = new LinkedBlockingQueue<>();
                running.set(engine.submit(new Engine.Job<>(name, batch.stream().map(specs::get).toList(), task, results)));
                if (hook.fired()) running.get().cancel();
                for (int k = 0; k < batch.size(); k++) {
                    Object next = hook.await(results::take);
                    if (hook.fired()) throw new InterruptedException("the sweep was interrupted as a run finished");
                    if (next instanceof Engine.Failed f) throw new ExecutionException(f.cause());
                    Engine.Finished done = (Engine.Finished) next;
                    int i = batch.get(done.index());
                    if (logs[i] != null) {
                        k--;  // handed back twice: stored once
                        continue;
                    }
                    synchronized (storing) {
                        if (cancelled[0]) throw new InterruptedException("the sweep was interrupted as a run finished");
                        store.save(name, specs.get(i), fingerprint, done.log());
                        logs[i] = done.log();
                    }
                    claims.remove(i).close();
                    progress.advance(describe(specs.get(i), logs[i]));
                }
                running.set(null);
            }
            ended = true;
        } catch (InterruptedException e) {
            ended = true;
            int stored = cached + stopStoring(storing, cancelled, logs, todo);
            Thread.currentThread().interrupt();
            if (reported.get() == null) progress.interrupted(interruptedMessage(stored, specs.size()));
            throw new Interrupted(interruptedMessage(stored, specs.size()));
        } catch (ResultStore.StoreException se) {
            ended = true;
            throw new ResultStore.StoreException("Sweep " + name + ": " + se.getMessage(), se.getCause());
        } catch (ExecutionException e) {
            ended = true;
            throw new RunFailure("Sweep " + name + " on " + engine.describe() + ": " + e.getCause(), e.getCause());
        } finally {
            Engine.Submitted r = running.getAndSet(null);
            if (r != null) r.cancel();
            if (!ended) {
                int stored = cached + stopStoring(storing, cancelled, logs, todo);
                if (reported.get() == null) progress.interrupted(interruptedMessage(stored, specs.size()));
            }
            for (ResultStore.Claim c : claims.values()) c.close();
            progress.finish();
        }
        List<Results.Run<S>> runs = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) runs.add(new Results.Run<>(specs.get(i), logs[i]));
        return new SweepResult<>(name, fields(), runs);
    }

    private static final int DEFERRED = -2;

    /** The sweep's specs, the log of each one already stored (else null) and the indices still to compute. */
    private record Stored<S>(List<S> specs, RunLog[] logs, List<Integer> todo) {
        int cached() { return specs.size() - todo.size(); }

        String title(String sweep) {
            // Reusing a failed run is otherwise silent: its error shows only in runs.csv.
            long failed = Arrays.stream(logs).filter(l -> l != null && l.failed()).count();
            return sweep + (cached() > 0 ? " (" + cached() + " of " + specs.size() + " runs already stored)" : "")
                    + (failed > 0 ? "; " + failed + " stored runs are failed: --retry-failed computes them again" : "");
        }
    }

    private Stored<S> stored(ResultStore from, String fingerprint) {
        List<S> specs = specs();
        RunLog[] logs = new RunLog[specs.size()];
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            logs[i] = from.load(name, specs.get(i), fingerprint).orElse(null);
            if (logs[i] == null) todo.add(i);
        }
        if (from.isReadOnly() && !todo.isEmpty()) {
            throw new ResultStore.NotStored("Sweep " + name + ": " + todo.size() + " of " + specs.size() + " runs are not in the read-only store "
                    + from.root() + " (first: " + specs.get(todo.get(0)).canonical() + "); read-only stores hold a finished atlas "
                    + "(NORMLAB_RESULTS_READONLY): run the study at this scale against a writable store to compute them");
        }
        return new Stored<>(specs, logs, todo);
    }

    /**
     * Computes and stores run i unless another process has claimed it (see {@link ResultStore#claim}): then returns
     * {@code DEFERRED - i}, or with {@code wait} polls until that process stored it or died (and its claim expired).
     */
    private Callable<Integer> task(int i, boolean wait, List<S> specs, RunLog[] logs, Function<S, RunLog> runner,
                                                             String fingerprint, ResultStore store, ResultStore from, Object storing,
                                                             boolean[] cancelled) {
        return () -> {
            S c = specs.get(i);
            while (true) {
                try (ResultStore.Claim claim = store.claim(name, c, fingerprint)) {
                    if (claim != null) {
                        // Finished by another process meanwhile? (A damaged file was reported already.)
                        Optional<RunLog> meanwhile = from.reportingTo(alreadyReported -> { }).load(name, c, fingerprint);
                        RunLog log = meanwhile.isPresent() ? meanwhile.get() : runOne(c, runner);
                        synchronized (storing) {
                            if (cancelled[0]) return -1;
                            if (meanwhile.isEmpty()) store.save(name, c, fingerprint, log);
                            logs[i] = log;
                        }
                        return i;
                    }
                }
                if (!wait) return DEFERRED - i;
                Thread.sleep(250);
            }
        };
    }

    /** Stops every run (they check their thread's interrupt each step) and waits up to 2 s for them; the runs stored. */
    private static int cancel(ExecutorService pool, Object storing, boolean[] cancelled, RunLog[] logs, List<Integer> todo) {
        stopStoring(storing, cancelled, logs, todo);
        pool.shutdownNow();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException again) {
            Thread.currentThread().interrupt();
        }
        return stopStoring(storing, cancelled, logs, todo);
    }

    /** From here on no run is stored; the runs stored, a count no later call changes. */
    private static int stopStoring(Object storing, boolean[] cancelled, RunLog[] logs, List<Integer> todo) {
        synchronized (storing) {
            cancelled[0] = true;
            return (int) todo.stream().filter(i -> logs[i] != null).count();
        }
    }

    private String interruptedMessage(int stored, int total) {
        return "Sweep " + name + " interrupted: " + stored + " of " + total + " runs are stored (the rest were stopped, nothing partial kept); run it again to resume";
    }

    /** The sweep was interrupted; finished runs are stored. */
    public static final class Interrupted extends RuntimeException {
        Interrupted(String message) { super(message, null, false, false); }
    }

    /** A run could not be carried out at all (out of memory, a bug outside the run): the sweep stops. */
    public static final class RunFailure extends RuntimeException {
        RunFailure(String message, Throwable cause) { super(message, cause); }
    }

    /** Stored runs that failed are computed again (a notebook's equivalent of {@code normlab study --retry-failed}). */
    public Sweep<S> retryFailed() {
        retryFailed = true;
        return this;
    }

    static <S> RunLog runOne(S c, Function<S, RunLog> runner) {
        try {
            return runner.apply(c);
        } catch (Trainer.Cancelled e) {
            throw e;
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) throw new Trainer.Cancelled(-1);  // stopped, not failed
            RunLog failed = new RunLog();
            failed.markFailed(e.getClass().getSimpleName() + ": " + e.getMessage());
            return failed;
        }
    }

    /** The run's grid values and seed, e.g. {@code norm=BN lr=0.1 seed 2}: how progress names a run. */
    private String label(S c) {
        StringBuilder sb = new StringBuilder();
        for (Field<S> f : fields()) sb.append(f.name()).append('=').append(f.of(c)).append(' ');
        return sb.append("seed ").append(c.seed()).toString();
    }

    private String describe(S c, RunLog log) {
        StringBuilder sb = new StringBuilder(label(c)).append(": ");
        if (log.failed()) return sb.append("FAILED (").append(log.error()).append(')').toString();
        if (log.diverged()) return sb.append("diverged at step ").append(log.divergedAtStep()).toString();
        if (Double.isNaN(log.last(Trainer.TRAIN_LOSS))) return sb.append(String.format(Locale.ROOT, "done (%.1f s)", log.wallSeconds())).toString();
        return sb.append(String.format(Locale.ROOT, "train loss %.3f, test acc %.3f (%.1f s)", log.last(Trainer.TRAIN_LOSS),
                log.last(Trainer.TEST_ACC), log.wallSeconds())).toString();
    }

    /** "out of memory (why, max heap N MiB); what to do", for every place that reports an OutOfMemoryError. */
    public static String outOfMemory(Throwable e) {
        return "out of memory (" + e.getMessage() + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20)
                + " MiB); use fewer threads (--threads) or a larger heap (-Xmx)";
    }
}
