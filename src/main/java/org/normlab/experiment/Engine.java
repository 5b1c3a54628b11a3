package org.normlab.experiment;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;
import org.normlab.kernels.Parallelism;
import org.normlab.train.RunLog;

/**
 * Where a sweep's runs are computed. {@link #local(int)} is the default: a pool of threads in this JVM, the runs'
 * kernels single-threaded when several train at once. A {@link Distributed} engine ships runs to other JVMs, e.g.
 * the Spark engine of the separate normlab-spark module ({@code org.normlab.spark.SparkEngine}); the sweep stays the
 * store's only writer, so its guarantees (a claim per run, atomic files, stored runs never submitted) hold unchanged.
 */
public interface Engine {
    /** Runs in this JVM, {@code threads} at once (checked when a sweep runs: a whole number ≥ 1). */
    static Engine local(int threads) { return new Local(threads); }

    /** Runs in this JVM, one per core. */
    static Engine local() { return local(Runtime.getRuntime().availableProcessors()); }

    /** One line for logs, e.g. "local, 2 threads" or "spark://127.0.0.1:7077". */
    String describe();

    /** The embedded engine: today's thread pool of {@link Sweep}. */
    record Local(int threads) implements Engine {
        @Override
        public String describe() { return "local, " + threads + (threads == 1 ? " thread" : " threads"); }
    }

    /**
     * An engine whose runs are computed elsewhere. It receives only runs that are not stored and that this process has
     * claimed; it hands each finished run back (once per run, whatever retries happened) and the sweep stores it.
     */
    interface Distributed extends Engine, AutoCloseable {
        /**
         * Starts computing every spec of {@code job} with {@link Job#task()}; each result goes to {@link Job#finished}
         * and a failure of the whole computation to {@link Job#failed}, from any thread. Returns at once.
         */
        <S extends Spec<S>> Submitted submit(Job<S> job);

        /** Disconnects from the cluster. */
        @Override
        void close();
    }

    /**
     * A distributed engine that a name selects on the command line ({@code --engine spark}), found with
     * {@link ServiceLoader} so that the default jar carries no cluster library: normlab-spark's jar provides "spark".
     */
    interface Provider {
        String name();

        /** Connects to {@code master} (null: the engine's own setting, e.g. spark-submit's {@code --master}). */
        Distributed open(String master);
    }

    /** The engine {@code name} names: "local" (with {@code threads}), or a {@link Provider}'s on the class path. */
    static Engine named(String name, String master, int threads) {
        if (name.equals("local")) {
            if (master != null) throw new IllegalArgumentException("--master " + master + ": the local engine has no master; add --engine spark");
            return local(threads);
        }
        List<String> found = new ArrayList<>(List.of("local"));
        for (Provider p : ServiceLoader.load(Provider.class)) {
            if (p.name().equals(name)) return p.open(master);
            found.add(p.name());
        }
        throw new IllegalArgumentException("--engine " + name + ": no such engine on the class path (found: " + String.join(", ", found) + ")"
                + (name.equals("spark") ? "; the Spark engine is the separate module spark/: build it with mvn -f spark/pom.xml package and start "
                + "NormLab with bin/normlab-spark (README: Running sweeps on a cluster)" : ""));
    }

    /** A computation under way; {@link #cancel()} stops its runs (a notebook interrupt, Ctrl-C). */
    interface Submitted {
        void cancel();
    }

    /**
     * Runs of one sweep to compute: its name, the specs (in grid order, each claimed by this process) and the task that
     * computes one of them in any JVM that has NormLab on its class path.
     */
    final class Job<S extends Spec<S>> {
        private final String sweep;
        private final List<S> specs;
        private final Task<S> task;
        private final BlockingQueue<Object> results;

        Job(String sweep, List<S> specs, Task<S> task, BlockingQueue<Object> results) {
            this.sweep = sweep;
            this.specs = List.copyOf(specs);
            this.task = task;
            this.results = results;
        }

        public String sweep() { return sweep; }

        public List<S> specs() { return specs; }

        public Task<S> task() { return task; }

        /** Spec {@code index} of {@link #specs()} finished with {@code log}. */
        public void finished(int index, RunLog log) { results.add(new Finished(index, log)); }

        /** The computation failed as a whole (not a run: a failed run is a {@link RunLog#failed()} log). */
        public void failed(Throwable cause) { results.add(new Failed(cause)); }
    }

    /** What a {@link Job} sends back to the sweep. */
    record Finished(int index, RunLog log) {}

    /** See {@link Job#failed}. */
    record Failed(Throwable cause) {}

    /**
     * One run computed the way the local engine computes it: kernels on one thread, a run that throws recorded as failed;
     * a {@link Portable} runner first loads what it needs (its data) and checks it is the driver's, failing the task if
     * not. Serializable, with its runner, so that it can be shipped.
     */
    final class Task<S> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Function<S, RunLog> runner;

        Task(Function<S, RunLog> runner) {
            if (!(runner instanceof Serializable)) {
                throw new IllegalArgumentException("Engine: the runner " + runner.getClass().getName() + " is not Serializable; a distributed engine "
                        + "ships it to its workers (cast a lambda or method reference to (Function<S, RunLog> & Serializable))");
            }
            this.runner = runner;
        }

        public RunLog run(S spec) {
            Parallelism.setThreadsForCurrentThread(1);
            if (runner instanceof Portable p) p.prepare();
            return Sweep.runOne(spec, runner);
        }
    }

    /** A runner that needs something loaded where it runs (the data) and can check it is what the driver has. */
    interface Portable {
        /** Loads and checks; throws (failing the task, not the run) when this JVM cannot run the sweep's runs. */
        void prepare();
    }
}
