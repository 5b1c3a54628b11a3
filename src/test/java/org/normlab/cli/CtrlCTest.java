package org.normlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.normlab.testing.StoreFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Ctrl-C (SIGINT) to {@code normlab study} in another JVM, during its sweep. */
class CtrlCTest {
    /** {@code normlab} in a new JVM: this JVM's java and test classpath. */
    static ProcessBuilder normlab(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                NormLabCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("NORMLAB_SCALE");
        pb.environment().remove("NORMLAB_RESULTS");
        return pb;
    }

    /** Whether this process ignores SIGINT (as a background job of a shell without job control does): a child would too. */
    private static boolean sigintIgnored() throws IOException {
        String line = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("SigIgn:")).findFirst().orElse("SigIgn: 0");
        return (Long.parseLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;  // bit n−1 for signal n; SIGINT is 2
    }

    private static List<Path> files(Path root, String suffix) {
        return StoreFiles.named(root, suffix);
    }

    @Test
    void ctrlCStopsTheStudyKeepsFinishedRunsAndStoresNothingPartial(@TempDir Path tmp) throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "kill -INT and /proc: Linux only");
        assumeTrue(!sigintIgnored(), "this test runs with SIGINT ignored (a background job without job control): a child cannot get it");
        Path out = tmp.resolve("out"), runs = tmp.resolve("runs");
        String[] study = {"study", "lr-grid-demo", "--scale", "smoke", "--threads", "1", "--out", out.toString(), "--results", runs.toString()};
        Process p = normlab(study).start();
        int stored;
        try {
            CountDownLatch twoRunsDone = new CountDownLatch(1);
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> {
                StringBuilder sb = new StringBuilder();
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        sb.append(line).append('\n');
                        if (line.startsWith("[2/18]")) twoRunsDone.countDown();
                    }
                } catch (IOException e) {
                    sb.append(e);
                }
                twoRunsDone.countDown();
                return sb.toString();
            });
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return e.toString();
                }
            });
            assertTrue(twoRunsDone.await(120, TimeUnit.SECONDS), "two runs did not finish");
            assertTrue(p.isAlive(), "the study ended before Ctrl-C: " + stdout.getNow(""));
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "still running 10 s after Ctrl-C");
            String err = stderr.get(), text = stdout.get();
            assertEquals(NormLabCli.INTERRUPTED, p.exitValue(), err);
            Matcher m = Pattern.compile("normlab: Sweep lr-grid-demo-smoke interrupted: (\\d+) of 18 runs are stored \\(the rest were stopped, "
                    + "nothing partial kept\\); run it again to resume").matcher(err);
            assertTrue(m.find(), err);
            stored = Integer.parseInt(m.group(1));
            assertTrue(stored >= 2 && stored < 18, err);
            assertEquals(stored, files(runs, ".run.csv").size(), "the runs it says are stored, no more");
            assertEquals(files(runs, ".run.csv").size(), files(runs, ".points.csv").size(), "no points file without its run file");
            assertEquals(List.of(), files(runs, ".part"));
            assertEquals(List.of(), files(runs, ".claim"), "claims are released");
            assertFalse(text.contains("done in"), "the progress does not say done: " + text);
            assertFalse(Files.exists(out.resolve("results.csv")), "no report of an unfinished study");
        } finally {
            p.destroyForcibly();
        }
        // The stored runs verify and are reused: the rerun computes only the rest.
        Process again = normlab(study).redirectErrorStream(true).start();
        String text = new String(again.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, again.waitFor(), text);
        assertTrue(text.contains("lr-grid-demo-smoke (" + stored + " of 18 runs already stored)"), text);
        assertEquals(18, files(runs, ".run.csv").size());
    }
}
