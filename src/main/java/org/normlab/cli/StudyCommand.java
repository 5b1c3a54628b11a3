package org.normlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.normlab.experiment.Engine;
import org.normlab.experiment.Progress;
import org.normlab.experiment.ResultStore;
import org.normlab.experiment.Scale;
import org.normlab.studies.Studies;
import org.normlab.experiment.Study;
import org.normlab.experiment.StudyReport;
import org.normlab.experiment.Verdict;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.experiment.Sweep;
import org.normlab.kernels.Parallelism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code normlab study NAME --scale S --out DIR}: runs a registered study headless and writes what it found. */
@Command(name = "study", mixinStandardHelpOptions = true, description = {"Run a study headless and write results.csv, runs.csv, verdicts.csv, its tables and its figures (PNG and SVG).",
        "Finished runs are stored under <out>/runs and reused: an interrupted study resumes where it stopped."})
final class StudyCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "the study (see `normlab list`)")
    String name;

    @Option(names = "--scale", description = "smoke, default or full (default: $NORMLAB_SCALE, else default)")
    String scale;

    @Option(names = "--out", description = "output folder (default: build/studies/<name>-<scale>)")
    Path out;

    @Option(names = "--threads", description = "runs trained at once on the local engine (default: the number of cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--engine", description = "where runs are computed: local (default) or spark (needs bin/normlab-spark, see the README)")
    String engine = "local";

    @Option(names = "--master", description = "the Spark master with --engine spark, e.g. spark://127.0.0.1:7077 (default: spark-submit's --master)")
    String master;

    @Option(names = "--results", description = "where finished runs are stored (default: <out>/runs; NORMLAB_RESULTS is for notebooks and the Java API)")
    Path results;

    @Option(names = "--retry-failed", description = "compute runs stored as failed again instead of reusing them")
    boolean retryFailed;

    @Option(names = "--debug", description = "print the stack trace of an error")
    boolean debug;

    @Override
    public Integer call() {
        // Every setting is checked before the first run starts.
        Study<?> study = Studies.get(name);
        Scale s = scale == null ? Scale.current() : Scale.parse(scale, "--scale");
        if (threads < 1) throw new IllegalArgumentException("--threads " + threads + ": use a whole number ≥ 1");
        Parallelism.defaultThreadsSetting();
        Path dir = out != null ? outputFolder(out) : Path.of("build", "studies", name + "-" + s);
        ResultStore store = ResultStore.at(runsFolder(results, dir));
        if (retryFailed) store = store.retryingFailed();
        Engine runsOn = Engine.named(engine, master, threads);
        try {
            return run(study, s, dir, store, runsOn);
        } finally {
            if (runsOn instanceof Engine.Distributed d) d.close();
        }
    }

    /** --out as a folder that is or can be made, checked here so that no run is trained for an output that cannot be written. */
    static Path outputFolder(Path out) {
        for (Path p = out.toAbsolutePath(); p != null; p = p.getParent()) {
            if (!Files.exists(p)) continue;
            if (Files.isDirectory(p)) return out;
            String which = p.equals(out.toAbsolutePath()) ? "it" : p.toString();
            throw new IllegalArgumentException("--out " + out + ": " + which + " is a file, not a folder; give a folder for the results, tables and figures");
        }
        return out;
    }

    /**
     * --results, else {@code <out>/runs}: a study's runs stay beside its tables unless the flag moves them
     * (NORMLAB_RESULTS, the notebooks' setting, is not read here, so a test or kernel environment does not move them).
     */
    static Path runsFolder(Path results, Path dir) {
        return results != null ? ResultStore.resultsFolder(results.toString(), "--results") : dir.resolve("runs");
    }

    private int run(Study<?> study, Scale s, Path dir, ResultStore store, Engine runsOn) {
        System.out.println("Study " + name + " at " + s + " scale → " + dir + (runsOn instanceof Engine.Local ? "" : " (runs on " + runsOn.describe() + ")"));
        for (Verdict.Criterion c : study.criteria(s)) System.out.println("  criterion " + c.describe());
        Dataset train, test;
        try {
            train = FashionMnist.train();
            test = FashionMnist.test();
        } catch (RuntimeException e) {
            throw new NormLabCli.DataProblem(e);
        }
        // Ctrl-C: interrupt this thread so the sweep stops its runs and says what is stored, then let the JVM exit.
        Thread main = Thread.currentThread();
        CountDownLatch reported = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            main.interrupt();
            try {
                reported.await(2500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ignored) {
                // exiting anyway
            }
        }, "normlab-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        StudyReport report;
        try {
            report = study.run(s, train, test, store, Progress.auto(), runsOn);
        } catch (Sweep.Interrupted e) {
            System.err.println("normlab: " + e.getMessage());
            System.err.flush();
            reported.countDown();
            return NormLabCli.INTERRUPTED;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C came after the last run
        }
        var files = report.save(dir);
        for (Verdict v : report.verdicts()) System.out.println("  " + v);
        System.out.println("Wrote " + files.size() + " files to " + dir);
        return 0;
    }
}
