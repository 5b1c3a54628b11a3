package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.train.RunLog;

/**
 * The sweep's side of a distributed engine, with an engine that does what a cluster does to a run: serializes the task
 * and its spec, computes it on another thread from the copies, serializes the log back, and (like a retried task whose
 * first attempt also reported) may hand a result back twice. The Spark engine itself is tested on a real cluster
 * (scripts/cluster_test.py).
 */
class DistributedSweepTest {
    private static final Dataset DATA = FashionMnist.fromEnvironment().load(FashionMnist.Split.TEST);
    private static final Dataset TRAIN = DATA.head(600), TEST = DATA.head(200);

    private static Sweep<RunSpec> sweep() {
        RunSpec base = RunSpec.mlp(List.of(32), Activation.Kind.RELU).withTrainSize(600).withTestSize(200).withLogEvery(5);
        return Sweep.of("d", base).vary(Axes.NORM, Norm.NONE, Norm.BN).seeds(2);
    }

    /** Computes every run from serialized copies on two threads; counts the runs it was given. */
    static final class CopyingEngine implements Engine.Distributed {
        final boolean twice;
        final AtomicInteger submitted = new AtomicInteger();

        CopyingEngine(boolean twice) { this.twice = twice; }

        @Override
        public String describe() { return "copying engine"; }

        @Override
        public <S extends Spec<S>> Engine.Submitted submit(Engine.Job<S> job) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            submitted.addAndGet(job.specs().size());
            for (int k = 0; k < job.specs().size(); k++) {
                int index = k;
                byte[] task = bytes(job.task()), spec = bytes(job.specs().get(k));
                pool.submit(() -> {
                    try {
                        @SuppressWarnings("unchecked")
                        Engine.Task<S> t = (Engine.Task<S>) object(task);
                        @SuppressWarnings("unchecked")
                        S s = (S) object(spec);
                        byte[] log = bytes(t.run(s));
                        job.finished(index, (RunLog) object(log));
                        if (twice) job.finished(index, (RunLog) object(log));
                    } catch (RuntimeException | Error e) {
                        job.failed(e);
                    }
                });
            }
            pool.shutdown();
            return pool::shutdownNow;
        }

        @Override
        public void close() {}
    }

    static byte[] bytes(Object o) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    static Object object(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> points(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".points.csv")).toList()) out.put(p.getFileName().toString(), Files.readString(p));
        }
        return out;
    }

    /** Counts the runs a progress display hears of. */
    static final class Counting implements Progress {
        final List<String> advanced = new ArrayList<>();

        @Override public void start(String title, int total) {}
        @Override public void advance(String message) { advanced.add(message); }
        @Override public void finish() {}
    }

    @Test
    void aDistributedSweepStoresWhatTheLocalEngineStoresBitForBit(@TempDir Path tmp) throws IOException {
        SweepResult<RunSpec> local = sweep().run(TRAIN, TEST, ResultStore.at(tmp.resolve("local")), Progress.none(), 2);
        SweepResult<RunSpec> copied = sweep().run(TRAIN, TEST, ResultStore.at(tmp.resolve("copied")), Progress.none(), new CopyingEngine(false));
        assertEquals(local.table().printAll(), copied.table().printAll());
        for (int i = 0; i < local.runs().size(); i++) {
            assertEquals(local.runs().get(i).log().points(), copied.runs().get(i).log().points(), "run " + i);
        }
        Map<String, String> a = points(tmp.resolve("local")), b = points(tmp.resolve("copied"));
        assertEquals(4, a.size());
        assertEquals(a, b, "the same files under the same keys");
    }

    @Test
    void aRunHandedBackTwiceIsStoredAndCountedOnce(@TempDir Path tmp) {
        Counting progress = new Counting();
        sweep().run(TRAIN, TEST, ResultStore.at(tmp), progress, new CopyingEngine(true));
        assertEquals(4, progress.advanced.size(), progress.advanced.toString());
        assertEquals(4, progress.advanced.stream().distinct().count());
    }

    @Test
    void storedRunsAreNotSubmittedAndNoClaimIsLeft(@TempDir Path tmp) throws IOException {
        ResultStore store = ResultStore.at(tmp);
        sweep().run(TRAIN, TEST, store, Progress.none(), new CopyingEngine(false));
        CopyingEngine again = new CopyingEngine(false);
        sweep().run(TRAIN, TEST, store, Progress.none(), again);
        assertEquals(0, again.submitted.get());
        try (Stream<Path> files = Files.walk(tmp)) {
            Path one = files.filter(f -> f.toString().endsWith(".run.csv")).findFirst().orElseThrow();
            Files.delete(one);
        }
        sweep().run(TRAIN, TEST, store, Progress.none(), again);
        assertEquals(1, again.submitted.get(), "only the run whose file is gone");
        try (Stream<Path> files = Files.walk(tmp)) {
            assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".claim")).toList());
        }
    }

    @Test
    void aRunnerThatCannotBeShippedIsNamedBeforeAnyRun(@TempDir Path tmp) {
        Sweep<RunSpec> s = sweep().runner("local-only", "1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.run(spec -> Experiment.run(spec, TRAIN, TEST, null), ResultStore.at(tmp), Progress.none(), new CopyingEngine(false)));
        assertTrue(e.getMessage().contains("is not Serializable"), e.getMessage());
    }

    @Test
    void dataThatWorkersCannotLoadIsRejected() {
        Dataset other = DATA.head(800).select(IntStream.range(600, 800).toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sweep().run(TRAIN, other, ResultStore.none(), Progress.none(), new CopyingEngine(false)));
        assertTrue(e.getMessage().startsWith("Sweep d: its test data"), e.getMessage());
    }

    @Test
    void withoutTheSparkModuleTheCommandLineSaysHowToGetIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Engine.named("spark", "spark://127.0.0.1:7077", 2));
        assertTrue(e.getMessage().startsWith("--engine spark: no such engine on the class path (found: local); the Spark engine is the separate "
                + "module spark/"), e.getMessage());
        assertEquals(Engine.local(2), Engine.named("local", null, 2));
        assertThrows(IllegalArgumentException.class, () -> Engine.named("local", "spark://127.0.0.1:7077", 2));
    }
}
