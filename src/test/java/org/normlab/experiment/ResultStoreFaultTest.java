package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;

/** Fault injection on the results store: damaged files, NaN, a full disk, a read-only folder, failed runs, out of memory. */
class ResultStoreFaultTest {
    private static final RunSpec BASE = RunSpec.mlp(List.of(8), Activation.Kind.RELU);

    /** A cheap deterministic "training": values from the spec, including NaN and ±Infinity. */
    static final Function<RunSpec, RunLog> RUNNER = spec -> {
        RunLog log = new RunLog();
        for (int step = 1; step <= 20; step++) {
            log.add(step, step / 7.0, Trainer.TRAIN_LOSS, spec.lr() / step + spec.seed() * 1e-3);
            log.add(step, step / 7.0, Trainer.TEST_ACC, 0.1 * Math.sqrt(step));
        }
        log.add(21, 3.0, "nan", Double.NaN);
        log.add(21, 3.0, "inf", Double.POSITIVE_INFINITY);
        log.add(21, 3.0, "-inf", Double.NEGATIVE_INFINITY);
        log.add(21, 3.0, "-0", -0.0);
        log.add(21, 3.0, "tiny", Double.MIN_VALUE);
        return log;
    };

    private static Sweep<RunSpec> sweep() { return Sweep.of("s", BASE).vary(Axes.LR, 0.1, 0.3).seeds(2); }

    private static List<String> warnings = new ArrayList<>();

    private static ResultStore store(Path root) {
        warnings = new ArrayList<>();
        List<String> sink = warnings;
        return ResultStore.at(root).reportingTo(sink::add);
    }

    private static List<Path> files(Path root, String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void nanAndInfinityReadBackBitForBit(@TempDir Path tmp) {
        ResultStore store = store(tmp);
        RunLog log = RUNNER.apply(BASE);
        log.markFailed("Boom: a message with, a comma, \"quotes\" and a\nline break");
        store.save("s", BASE, log);
        RunLog back = store.load("s", BASE).orElseThrow();
        assertEquals(log.points().size(), back.points().size());
        for (int i = 0; i < log.points().size(); i++) {
            RunLog.Point a = log.points().get(i), b = back.points().get(i);
            assertEquals(a.metric(), b.metric());
            assertEquals(Double.doubleToLongBits(a.value()), Double.doubleToLongBits(b.value()), a.metric());
            assertEquals(Double.doubleToLongBits(a.epoch()), Double.doubleToLongBits(b.epoch()));
        }
        assertEquals(log.error(), back.error());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    /** Each way a power loss or a stray edit can damage a stored file. */
    enum Damage {
        TRUNCATE_TO_8_LINES, EMPTY, CUT_INSIDE_A_NUMBER, NUL_PADDING, RUN_FILE_CUT, RUN_FILE_EMPTY, OLD_FORMAT;

        void apply(Path points, Path run) throws IOException {
            switch (this) {
                case TRUNCATE_TO_8_LINES -> Files.write(points, Files.readAllLines(points).subList(0, 8));
                case EMPTY -> Files.write(points, new byte[0]);
                case CUT_INSIDE_A_NUMBER -> {
                    byte[] b = Files.readAllBytes(points);
                    int dot = new String(b, StandardCharsets.UTF_8).indexOf('.', 300);
                    Files.write(points, Arrays.copyOf(b, dot + 2));
                }
                case NUL_PADDING -> Files.write(points, new byte[4096], StandardOpenOption.APPEND);
                case RUN_FILE_CUT -> {
                    byte[] b = Files.readAllBytes(run);
                    Files.write(run, Arrays.copyOf(b, b.length - 30));
                }
                case RUN_FILE_EMPTY -> Files.write(run, new byte[0]);
                case OLD_FORMAT -> Files.writeString(run, "key,config,diverged_at_step,divergence,error,wall_s\nx,y,-1,,,0.1\n");
            }
        }
    }

    @Test
    void aDamagedRunIsReportedInOneLineNamingTheFileAndRecomputed(@TempDir Path tmp) throws IOException {
        SweepResult<RunSpec> clean = sweep().run(RUNNER, ResultStore.none(), Progress.none(), 1);
        for (Damage d : Damage.values()) {
            Path root = tmp.resolve(d.name());
            sweep().run(RUNNER, store(root), Progress.none(), 2);
            Path points = files(root, ".points.csv").get(1), run = files(root, ".run.csv").get(1);
            d.apply(points, run);
            AtomicInteger computed = new AtomicInteger();
            SweepResult<RunSpec> again = sweep().run(s -> { computed.incrementAndGet(); return RUNNER.apply(s); }, store(root), Progress.none(), 2);
            assertEquals(1, computed.get(), d + ": only the damaged run is recomputed");
            assertEquals(1, warnings.size(), d + ": " + warnings);
            String w = warnings.get(0);
            assertFalse(w.contains("\n"), w);
            Path named = d.name().startsWith("RUN_FILE") || d == Damage.OLD_FORMAT ? run : points;
            assertTrue(w.startsWith("normlab: stored run " + named + " does not verify ("), d + ": " + w);
            assertTrue(w.endsWith("; recomputing it"), w);
            assertEquals(clean.table().printAll(), again.table().printAll(), d + ": the same numbers as a clean run");
            // The recomputed run was stored again and now verifies.
            sweep().run(s -> { throw new AssertionError("recomputed " + s); }, store(root), Progress.none(), 1);
            assertTrue(warnings.isEmpty(), d + ": " + warnings);
        }
    }

    @Test
    void aRunWhoseRunFileWasNeverWrittenIsRecomputed(@TempDir Path tmp) throws IOException {
        // kill -9 between the two files: the points are there, the run file that marks completion is not.
        sweep().run(RUNNER, store(tmp), Progress.none(), 1);
        Files.delete(files(tmp, ".run.csv").get(0));
        AtomicInteger computed = new AtomicInteger();
        sweep().run(s -> { computed.incrementAndGet(); return RUNNER.apply(s); }, store(tmp), Progress.none(), 1);
        assertEquals(1, computed.get());
        assertEquals(4, files(tmp, ".run.csv").size());
    }

    @Test
    void aFullDiskStopsTheSweepWithOneLineAndLeavesNoPartialFile(@TempDir Path tmp) throws IOException {
        AtomicInteger writes = new AtomicInteger();
        ResultStore full = store(tmp).onDisk((file, bytes) -> {
            if (writes.incrementAndGet() > 2) throw new FileSystemException(file.toString(), null, "No space left on device");
            Files.write(file, bytes);
        });
        ResultStore.StoreException e = assertThrows(ResultStore.StoreException.class, () -> sweep().run(RUNNER, full, Progress.none(), 1));
        assertEquals("Sweep s: cannot store a run in " + tmp.resolve("s") + ": No space left on device; free space, make the folder writable "
                + "or choose another with --results (NORMLAB_RESULTS)", e.getMessage());
        assertEquals(List.of(), files(tmp, ".part"), "no temporary file is left behind");
        assertEquals(1, files(tmp, ".run.csv").size(), "the run stored before the disk filled up is kept");
        assertTrue(store(tmp).load("s", sweep().specs().get(0), ";runner=unnamed").isPresent());
    }

    @Test
    void aReadOnlyFolderSaysPermissionDenied(@TempDir Path tmp) {
        // Root ignores file permissions, so the failure the OS gives a normal user is injected.
        ResultStore readOnly = store(tmp).onDisk((file, bytes) -> { throw new AccessDeniedException(file.toString()); });
        ResultStore.StoreException e = assertThrows(ResultStore.StoreException.class, () -> sweep().run(RUNNER, readOnly, Progress.none(), 2));
        assertTrue(e.getMessage().contains(": permission denied; free space, make the folder writable"), e.getMessage());
    }

    @Test
    void failedRunsAreReusedUnlessRetried(@TempDir Path tmp) {
        Function<RunSpec, RunLog> flaky = s -> { if (s.lr() == 0.3) throw new IllegalStateException("flaky"); return RUNNER.apply(s); };
        SweepResult<RunSpec> first = sweep().run(flaky, store(tmp), Progress.none(), 2);
        assertEquals(2, first.runs().stream().filter(r -> r.log().failed()).count());
        AtomicInteger computed = new AtomicInteger();
        Function<RunSpec, RunLog> counting = s -> { computed.incrementAndGet(); return RUNNER.apply(s); };
        sweep().run(counting, store(tmp), Progress.none(), 2);
        assertEquals(0, computed.get(), "a failed run is stored and replayed by default");
        SweepResult<RunSpec> retried = sweep().retryFailed().run(counting, store(tmp), Progress.none(), 2);
        assertEquals(2, computed.get(), "Sweep.retryFailed computes the two failed runs again");
        assertTrue(retried.runs().stream().noneMatch(r -> r.log().failed()));
        sweep().run(counting, store(tmp).retryingFailed(), Progress.none(), 2);
        assertEquals(2, computed.get(), "once they succeeded there is nothing to retry (the CLI's --retry-failed)");
    }

    @Test
    void outOfMemoryIsReportedAsSuch() {
        Function<RunSpec, RunLog> hungry = s -> { throw new OutOfMemoryError("Java heap space"); };
        Sweep.RunFailure e = assertThrows(Sweep.RunFailure.class, () -> sweep().run(hungry, ResultStore.none(), Progress.none(), 2));
        assertTrue(e.getMessage().startsWith("Sweep s: a run ran out of memory (Java heap space, max heap "), e.getMessage());
        assertTrue(e.getMessage().endsWith("use fewer threads (--threads) or a larger heap (-Xmx)"), e.getMessage());
    }

    @Test
    void badThreadSettingsFailBeforeTheFirstRun() {
        AtomicInteger computed = new AtomicInteger();
        Function<RunSpec, RunLog> counting = s -> { computed.incrementAndGet(); return RUNNER.apply(s); };
        assertEquals("Sweep s: threads (--threads) must be a whole number ≥ 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> sweep().run(counting, ResultStore.none(), Progress.none(), 0)).getMessage());
        for (String bad : List.of("0", "-2", "bogus", "1.5")) {
            String before = System.getProperty("normlab.threads");
            System.setProperty("normlab.threads", bad);
            try {
                assertEquals("-Dnormlab.threads=" + bad + " is not a thread count; use a whole number ≥ 1 (or unset it: one per core)",
                        assertThrows(IllegalArgumentException.class, () -> sweep().run(counting, ResultStore.none(), Progress.none(), 2)).getMessage());
            } finally {
                if (before == null) System.clearProperty("normlab.threads"); else System.setProperty("normlab.threads", before);
            }
        }
        assertEquals(0, computed.get());
    }

    @Test
    void aResultsFolderThatIsAFileIsRejected(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("f"), "x");
        assertEquals("NORMLAB_RESULTS=" + file + " is a file, not a folder; give a folder for the stored runs",
                assertThrows(IllegalArgumentException.class, () -> ResultStore.resultsFolder(file.toString(), "NORMLAB_RESULTS")).getMessage());
    }

    @Test
    void negativeBudgetsAreRejected() {
        assertEquals("Budget: maxSteps must be ≥ 0, got -5",
                assertThrows(IllegalArgumentException.class, () -> BASE.withMaxSteps(-5)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sweep.of("x", BASE).vary(Axes.MAX_STEPS, 10, -5));
        assertEquals(Norm.NONE, BASE.norm());
        assertEquals("Trainer.Options: batchSize, epochs, logEvery must be positive and maxSteps ≥ 0, got 64, 1, 50, -5",
                assertThrows(IllegalArgumentException.class, () -> new Trainer.Options(64, 1, -5, 50, 1e6)).getMessage());
    }

    /** Batch size 3.7 in a notebook cell (JShell, as JJava runs it): rejected by the compiler, never rounded to 3. */
    @Test
    void aFractionalBatchSizeDoesNotCompileInANotebookCell() {
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            shell.addToClasspath(System.getProperty("java.class.path"));
            for (String imports : List.of("import " + List.class.getName() + ";", "import " + RunSpec.class.getPackageName() + ".*;",
                    "import " + Activation.class.getName() + ";")) {
                assertEquals(Snippet.Status.VALID, shell.eval(imports).get(0).status(), imports);
            }
            String base = "RunSpec.mlp(List.of(8), Activation.Kind.RELU)";
            assertEquals(Snippet.Status.VALID, shell.eval(base + ".withBatchSize(4)").get(0).status(), "the control compiles");
            for (String cell : List.of(base + ".withBatchSize(3.7)", "Budget.DEFAULT.withBatchSize(3.7)",
                    "Sweep.of(\"s\", " + base + ").vary(Axes.BATCH_SIZE, 3.7)", "Sweep.of(\"s\", " + base + ").vary(Axes.MAX_STEPS, 2.5)")) {
                SnippetEvent e = shell.eval(cell).get(0);
                assertEquals(Snippet.Status.REJECTED, e.status(), cell);
                String why = shell.diagnostics(e.snippet()).map(d -> d.getMessage(Locale.ROOT)).toList().toString();
                assertTrue(why.contains("double"), cell + ": " + why);
            }
        }
    }

    @Test
    void theCacheKeyIncludesTheRunnerAndTheData(@TempDir Path tmp) throws IOException {
        AtomicInteger computed = new AtomicInteger();
        Function<RunSpec, RunLog> counting = s -> { computed.incrementAndGet(); return RUNNER.apply(s); };
        sweep().runner("mine", "1").run(counting, store(tmp), Progress.none(), 2);
        sweep().runner("mine", "1").run(counting, store(tmp), Progress.none(), 2);
        assertEquals(4, computed.get(), "same runner and version: reused");
        sweep().runner("mine", "2").run(counting, store(tmp), Progress.none(), 2);
        assertEquals(8, computed.get(), "a new runner version: recomputed, not the old runs");
        assertThrows(IllegalArgumentException.class, () -> sweep().runner("a;b", "1"));
        // The data: the same spec on other images is a different stored run.
        Dataset d = FashionMnist.fromEnvironment().load(FashionMnist.Split.TEST);
        RunSpec tiny = BASE.withTrainSize(64).withTestSize(16).withMaxSteps(2);
        Sweep<RunSpec> s = Sweep.of("data", tiny);
        s.run(d.head(64), d.head(16), store(tmp), Progress.none(), 1);
        s.run(d.head(64), d.head(16), store(tmp), Progress.none(), 1);
        assertEquals(1, files(tmp.resolve("data"), ".run.csv").size(), "equal content: reused");
        s.run(d.select(IntStream.range(100, 164).toArray()), d.head(16), store(tmp), Progress.none(), 1);
        assertEquals(2, files(tmp.resolve("data"), ".run.csv").size(), "other training images: a new run");
        String text = Files.readAllLines(files(tmp.resolve("data"), ".run.csv").get(0)).get(1);
        assertTrue(text.contains(tiny.canonical() + ";data="), "the run file keeps the spec's canonical text, then the fingerprints: " + text);
        assertTrue(text.contains(";runner=normlab-experiment@" + Experiment.RUNNER_VERSION), text);
    }

    @Test
    void twoSweepsOnOneFolderShareTheWork(@TempDir Path tmp) throws Exception {
        AtomicInteger computed = new AtomicInteger();
        Function<RunSpec, RunLog> slow = s -> {
            computed.incrementAndGet();
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return RUNNER.apply(s);
        };
        Sweep<RunSpec> big = Sweep.of("s", BASE).vary(Axes.LR, 0.1, 0.2, 0.3, 0.4).seeds(2);
        List<SweepResult<RunSpec>> results = Collections.synchronizedList(new ArrayList<>());
        Thread a = new Thread(() -> results.add(big.run(slow, store(tmp), Progress.none(), 2)));
        Thread b = new Thread(() -> results.add(big.run(slow, store(tmp), Progress.none(), 2)));
        a.start();
        b.start();
        a.join(20_000);
        b.join(20_000);
        assertEquals(2, results.size());
        assertEquals(8, computed.get(), "each run computed once, by one of the two");
        assertEquals(results.get(0).table().printAll(), results.get(1).table().printAll());
        assertEquals(List.of(), files(tmp, ".claim"), "claims are released");
    }

    @Test
    void aDeadHoldersClaimIsTakenOverAndALiveOnesIsWaitedFor(@TempDir Path tmp) throws Exception {
        RunSpec spec = sweep().specs().get(0);
        String host = InetAddress.getLocalHost().getHostName();
        Path claim = tmp.resolve("s").resolve(ResultStore.key(spec, ";runner=unnamed") + ".claim");
        Files.createDirectories(claim.getParent());
        Files.writeString(claim, "pid=999999999;host=" + host + ";start=1\n");  // no such process
        AtomicInteger computed = new AtomicInteger();
        sweep().run(s -> { computed.incrementAndGet(); return RUNNER.apply(s); }, store(tmp), Progress.none(), 1);
        assertEquals(4, computed.get(), "the dead holder's run is computed");
        // A holder on another host that touched its claim just now is alive: that run waits for it.
        Files.writeString(claim, "pid=1;host=elsewhere;start=1\n");
        assertTrue(store(tmp).claim("s", spec.withLr(0.9), ";runner=unnamed") != null, "another run is free");
        Path other = tmp.resolve("s").resolve(ResultStore.key(spec.withLr(0.9), ";runner=unnamed") + ".claim");
        Files.writeString(other, "pid=1;host=elsewhere;start=1\n");
        assertEquals(null, store(tmp).claim("s", spec.withLr(0.9), ";runner=unnamed"));
        Files.setLastModifiedTime(other, FileTime.fromMillis(System.currentTimeMillis() - 3 * 60_000));
        assertTrue(store(tmp).claim("s", spec.withLr(0.9), ";runner=unnamed") != null, "its claim expired after 2 minutes untouched");
    }
}
