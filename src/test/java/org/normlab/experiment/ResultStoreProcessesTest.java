package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.normlab.testing.StoreFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs on one results folder: the claim files share the work, and a killed holder's claim is taken over. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)  // a guard against a hang if a claim were never released, not a timing check
class ResultStoreProcessesTest {
    private static final String FINGERPRINT = ";runner=unnamed";

    /** {@link SweepProcess} in a new JVM with this JVM's java and test classpath. */
    private static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), SweepProcess.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    private static void awaitLine(Path file, Process child) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (lines(file).isEmpty()) {
            assertTrue(child.isAlive(), "the other process ended before it computed a run");
            assertTrue(System.nanoTime() < deadline, "the other process computed no run in 2 minutes");
            Thread.sleep(20);
        }
    }

    private static List<Path> files(Path root, String suffix) {
        return StoreFiles.named(root, suffix);
    }

    @Test
    void twoProcessesComputeEveryRunOnceAndBothSeeAllResults(@TempDir Path tmp) throws Exception {
        Path results = tmp.resolve("runs"), childLog = tmp.resolve("child.log"), go = tmp.resolve("go");
        Process child = start("share", results.toString(), childLog.toString(), go.toString());
        try {
            CompletableFuture<String> childTable = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return e.toString();
                }
            });
            awaitLine(childLog, child);  // the child holds the claim of its first run and waits for "go"
            List<String> mine = Collections.synchronizedList(new ArrayList<>());
            SweepResult<RunSpec> result = SweepProcess.SWEEP.run(spec -> {
                mine.add(SweepProcess.id(spec));
                try {
                    Files.writeString(go, "");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                return ResultStoreFaultTest.RUNNER.apply(spec);
            }, ResultStore.at(results), Progress.none(), 1);
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the other process did not finish");
            assertEquals(0, child.exitValue());
            List<String> theirs = lines(childLog);
            assertFalse(mine.isEmpty(), "this process computed runs");
            assertFalse(theirs.isEmpty(), "the other process computed runs");
            List<String> all = new ArrayList<>(mine);
            all.addAll(theirs);
            Collections.sort(all);
            List<String> expected = new ArrayList<>(SweepProcess.ids());
            Collections.sort(expected);
            assertEquals(expected, all, "every run computed exactly once, by one of the two processes");
            assertEquals(result.table().printAll(), childTable.get(), "both see every result");
            assertEquals(8, files(results, ".run.csv").size());
            assertEquals(List.of(), files(results, ".claim"), "claims are released");
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void theClaimOfAKilledProcessIsTakenOver(@TempDir Path tmp) throws Exception {
        Path results = tmp.resolve("runs"), childLog = tmp.resolve("child.log");
        Process child = start("hang", results.toString(), childLog.toString());
        try {
            awaitLine(childLog, child);
            String id = lines(childLog).get(0);
            RunSpec held = SweepProcess.SWEEP.specs().stream().filter(s -> SweepProcess.id(s).equals(id)).findFirst().orElseThrow();
            assertNull(ResultStore.at(results).claim("shared", held, FINGERPRINT), "a live process's claim is respected");
        } finally {
            child.destroyForcibly();  // SIGKILL on Linux: no shutdown hook, the claim file stays
        }
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, files(results, ".claim").size(), "the killed process left its claim");
        List<String> computed = Collections.synchronizedList(new ArrayList<>());
        SweepProcess.SWEEP.run(spec -> {
            computed.add(SweepProcess.id(spec));
            return ResultStoreFaultTest.RUNNER.apply(spec);
        }, ResultStore.at(results), Progress.none(), 1);
        assertEquals(SweepProcess.ids(), computed, "every run computed here, the dead holder's too");
        assertEquals(8, files(results, ".run.csv").size());
        assertEquals(List.of(), files(results, ".claim"));
    }
}
