package org.normlab.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.normlab.experiment.Engine;
import org.normlab.experiment.Spec;
import org.normlab.train.RunLog;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction0;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Sweeps on an Apache Spark cluster: each run not yet stored becomes one Spark task (a partition of one spec), which an
 * executor computes with {@link Engine.Task} exactly as the local engine would (kernels on one thread, the same seed
 * streams), so results are bit-identical. Results come back to the driver, which stores them: Spark hands the driver
 * one result per partition however often a task was retried or speculated, and the driver holds each run's claim in
 * the store while the job runs (docs/decisions/spark-engine.md).
 *
 * <pre>
 * try (SparkEngine spark = SparkEngine.connect("spark://127.0.0.1:7077")) {
 *     new Quickstart().run(Scale.SMOKE, FashionMnist.train(), FashionMnist.test(), ResultStore.defaultStore(), Progress.auto(), spark);
 * }
 * </pre>
 * Executors read Fashion-MNIST from their own path ({@code NORMLAB_DATA}, else Debian's /usr/share/datasets/fashion-mnist,
 * else the user cache) and refuse data whose fingerprint differs from the driver's.
 */
public final class SparkEngine implements Engine.Distributed {
    private final JavaSparkContext sc;
    private final boolean owned;
    private final AtomicInteger jobs = new AtomicInteger();
    private final Set<SimpleFutureAction<?>> running = ConcurrentHashMap.newKeySet();

    private SparkEngine(JavaSparkContext sc, boolean owned) {
        this.sc = sc;
        this.owned = owned;
        // Ctrl-C starts every shutdown hook at once: Spark's stops the context, NormLab's CLI interrupts the sweep,
        // which cancels its job and reports what is stored. Hadoop's hook manager (which runs Spark's, at priority
        // 40) runs this one first, so the context outlives the sweep's own cancellation by up to 3 s.
        ShutdownHookManager.get().addShutdownHook(this::letSweepsStop, SPARK_HOOK_PRIORITY + 10);
    }

    private static final int SPARK_HOOK_PRIORITY = 40;

    private void letSweepsStop() {
        long end = System.nanoTime() + 3_000_000_000L;
        for (SimpleFutureAction<?> f : running) {
            while (!f.isCompleted() && System.nanoTime() < end) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Connects to {@code master} (null: {@code spark.master} as spark-submit sets it). Unless {@code spark.jars} is set
     * (spark-submit's {@code --jars}), the executors get the jars NormLab runs from: normlab.jar, the jars in its lib/
     * folder and this module's jar.
     */
    public static SparkEngine connect(String master) {
        SparkConf conf = new SparkConf();
        if (master != null) conf.setMaster(master);
        if (!conf.contains("spark.master")) {
            throw new IllegalArgumentException("--engine spark: no Spark master; give --master spark://HOST:7077 (or start through spark-submit --master)");
        }
        conf.setIfMissing("spark.app.name", "normlab");
        if (!conf.contains("spark.jars")) conf.set("spark.jars", String.join(",", normlabJars()));
        return new SparkEngine(new JavaSparkContext(conf), true);
    }

    /** Runs on an existing context (a notebook's, Databricks'); {@link #close()} leaves it running. */
    public static SparkEngine on(JavaSparkContext sc) { return new SparkEngine(sc, false); }

    public JavaSparkContext context() { return sc; }

    @Override
    public String describe() { return "Spark " + sc.master(); }

    @Override
    public <S extends Spec<S>> Engine.Submitted submit(Engine.Job<S> job) {
        String group = "normlab-" + job.sweep() + "-" + jobs.incrementAndGet();
        List<S> specs = job.specs();
        JavaRDD<S> runs = sc.parallelize(specs, specs.size());  // one partition, so one task, per run
        SparkContext context = sc.sc();
        context.setJobGroup(group, "NormLab sweep " + job.sweep() + ": " + specs.size() + " runs", true);
        SimpleFutureAction<BoxedUnit> future;
        try {
            List<Object> partitions = new ArrayList<>(IntStream.range(0, specs.size()).boxed().toList());
            future = context.submitJob(runs.rdd(), new RunPartition<>(job.task()), CollectionConverters.asScala(partitions).toSeq(),
                    new Finished(job), new Done());
        } finally {
            context.clearJobGroup();
        }
        running.add(future);
        Thread watcher = new Thread(() -> {
            try {
                future.get();
            } catch (Exception e) {
                job.failed(e);
            } finally {
                running.remove(future);
            }
        }, "normlab-spark-" + group);
        watcher.setDaemon(true);
        watcher.start();
        return () -> {
            try {
                context.cancelJobGroup(group);
            } catch (IllegalStateException stopped) {
                // the context is stopped: its jobs were cancelled with it
            }
        };
    }

    /** Stops the context this engine started (not one given to {@link #on}); an interrupted caller stays interrupted. */
    @Override
    public void close() {
        if (!owned) return;
        // After Ctrl-C the sweep leaves its thread interrupted; stopping the context waits for Spark's threads.
        boolean interrupted = Thread.interrupted();
        try {
            sc.stop();
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** On an executor: the one spec of a partition, computed. */
    static final class RunPartition<S> extends AbstractFunction1<Iterator<S>, RunLog> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Engine.Task<S> task;

        RunPartition(Engine.Task<S> task) { this.task = task; }

        @Override
        public RunLog apply(Iterator<S> specs) { return task.run(specs.next()); }
    }

    /** On the driver, once per partition: hands the run back to the sweep. */
    private static final class Finished extends AbstractFunction2<Object, RunLog, BoxedUnit> {
        private final Engine.Job<?> job;

        Finished(Engine.Job<?> job) { this.job = job; }

        @Override
        public BoxedUnit apply(Object partition, RunLog log) {
            job.finished((Integer) partition, log);
            return BoxedUnit.UNIT;
        }
    }

    private static final class Done extends AbstractFunction0<BoxedUnit> {
        @Override
        public BoxedUnit apply() { return BoxedUnit.UNIT; }
    }

    /** normlab.jar, the jars of its lib/ folder (its dependencies, as Maven copies them) and this module's jar. */
    static List<String> normlabJars() {
        Path core = jarOf(Engine.class), self = jarOf(SparkEngine.class);
        List<String> jars = new ArrayList<>(List.of(core.toString()));
        Path lib = core.resolveSibling("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> files = Files.list(lib)) {
                files.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> jars.add(p.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException("SparkEngine: cannot list " + lib, e);
            }
        }
        if (!self.equals(core)) jars.add(self.toString());
        return jars;
    }

    private static Path jarOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("SparkEngine: cannot locate the jar of " + c.getName(), e);
        }
    }
}
