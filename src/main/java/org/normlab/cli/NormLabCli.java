package org.normlab.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.normlab.data.FashionMnist;
import org.normlab.studies.Studies;
import org.normlab.experiment.Study;
import org.normlab.experiment.Plan;
import org.normlab.experiment.ResultStore;
import org.normlab.experiment.Scale;
import org.normlab.experiment.Sweep;
import org.normlab.kernels.Gemm;
import org.normlab.kernels.Parallelism;
import org.normlab.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code normlab} on the command line: headless access to what the notebooks do. */
@Command(name = "normlab", mixinStandardHelpOptions = true, version = "NormLab 0.1.0",
        description = {"See what normalization does to neural-network training.", "Studies: see `normlab list`."},
        subcommands = {StudyCommand.class, NormLabCli.ListStudies.class, NormLabCli.Plans.class, NormLabCli.Data.class, NormLabCli.Info.class,
                ProtocolCommands.Criteria.class, ProtocolCommands.Claims.class},
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:done", "1:a run or the results store failed (full disk, read-only folder, out of memory)",
                "2:bad usage or a bad setting (option, NORMLAB_* variable)", "3:Fashion-MNIST is missing or does not verify",
                "130:interrupted (Ctrl-C); finished runs are stored"})
public final class NormLabCli implements Runnable {
    static final int RUN_FAILED = 1, USAGE = 2, DATA_PROBLEM = 3, INTERRUPTED = 130;

    public static void main(String[] args) {
        boolean debug = List.of(args).contains("--debug");
        System.exit(execute(commandLine(debug), args, new PrintWriter(System.err, true), debug));
    }

    /** Runs {@code cli}; an Error picocli lets through (out of memory while loading data, say) becomes one line too. */
    static int execute(CommandLine cli, String[] args, PrintWriter err, boolean debug) {
        try {
            return cli.execute(args);
        } catch (Error e) {
            if (debug) e.printStackTrace(err);
            err.println("normlab: " + (e instanceof OutOfMemoryError ? Sweep.outOfMemory(e) : oneLine(e) + " (" + e.getClass().getSimpleName()
                    + "); rerun with --debug for the stack trace"));
            err.flush();
            return RUN_FAILED;
        }
    }


    /** The command line with NormLab's error handling: every error one line saying what, which file or value, and what to do. */
    static CommandLine commandLine(boolean debug) {
        CommandLine cli = new CommandLine(new NormLabCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (debug) e.printStackTrace(cmd.getErr());  // the stack trace only with --debug
            cmd.getErr().println("normlab: " + oneLine(e));
            return exitCode(e);
        });
        return cli;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (e instanceof OutOfMemoryError) m = "out of memory (" + m + "); use fewer --threads or a larger heap (java -Xmx…)";
        if (m == null || m.isBlank()) m = e.getClass().getSimpleName();
        return m.lines().findFirst().orElse(m);
    }

    static int exitCode(Throwable e) {
        if (e instanceof DataProblem) return DATA_PROBLEM;
        if (e instanceof Sweep.Interrupted || e instanceof Trainer.Cancelled) return INTERRUPTED;
        if (e instanceof IllegalArgumentException) return USAGE;
        return RUN_FAILED;
    }

    /** Fashion-MNIST could not be loaded or verified. */
    static final class DataProblem extends RuntimeException {
        DataProblem(RuntimeException cause) { super(cause.getMessage() + " (see `normlab data`)", cause); }
    }

    @Override
    public void run() { new CommandLine(this).usage(System.out); }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the studies `normlab study` can run.")
    static final class ListStudies implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            int width = Studies.all().stream().mapToInt(s -> s.name().length()).max().orElse(0);
            for (Study<?> s : Studies.all()) out.printf("  %-" + width + "s  %s%n", s.name(), s.title());
            out.flush();
            return 0;
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, description = {"Print each study's plan at a scale: sweeps, runs and the",
            "training examples its runs process (size × epochs; for budgeting the atlas), known before any run."})
    static final class Plans implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--scale", description = "smoke, default or full (default: $NORMLAB_SCALE, else default)") String scale;
        @Parameters(arity = "0..*", paramLabel = "<name>", description = "studies (default: all)") List<String> names;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Scale s = scale == null ? Scale.current() : Scale.parse(scale, "--scale");
            List<Study<?>> studies = names == null || names.isEmpty() ? Studies.all() : names.stream().<Study<?>>map(Studies::get).toList();
            long examples = 0;
            int runs = 0;
            out.printf("%-28s %6s %8s %16s%n", "study", "sweeps", "runs", "examples (M)");
            for (Study<?> study : studies) {
                Plan p = study.plan(s);
                out.printf(Locale.ROOT, "%-28s %6d %8d %16.1f%n", study.name(), p.sweeps().size(), p.runs(), p.examples() / 1e6);
                examples += p.examples();
                runs += p.runs();
            }
            out.printf(Locale.ROOT, "%-28s %6s %8d %16.1f%n", "all, " + s + " scale", "", runs, examples / 1e6);
            out.flush();
            return 0;
        }
    }

    @Command(name = "data", mixinStandardHelpOptions = true, description = {"Make sure Fashion-MNIST is present and verified (decompresses or downloads once):",
            "IDX header, item counts, label values and content SHA-256 of each of the four files.",
            "One line per file that is missing or does not verify; exit status 3 then.",
            "Your own IDX files: set " + FashionMnist.UNVERIFIED_ENV + "=1 (no checksum, any image count)."})
    static final class Data implements Callable<Integer> {
        @Override
        public Integer call() {
            FashionMnist loader = FashionMnist.fromEnvironment();
            List<FashionMnist.FileStatus> statuses = loader.checkAll();
            String advice = null;
            for (FashionMnist.FileStatus s : statuses) {
                if (s.verified()) continue;
                List<String> lines = s.problem().lines().toList();
                System.err.println("normlab data: " + lines.get(0));
                if (advice == null && lines.size() > 1) advice = String.join(System.lineSeparator(), lines.subList(1, lines.size()));
            }
            if (advice != null) System.err.println(advice);
            if (statuses.stream().anyMatch(s -> !s.verified())) return DATA_PROBLEM;
            System.out.println("Fashion-MNIST ready in " + statuses.get(0).path().getParent() + (loader.acceptsOwnFiles()
                    ? " (all four files: IDX headers, lengths and labels checked; checksums and item counts not, " + FashionMnist.UNVERIFIED_ENV + "=1)"
                    : " (all four files verified)"));
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Print the Java runtime and the matrix-product backend NormLab uses.")
    static final class Info implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println("Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")");
            System.out.println("GEMM backend: " + Gemm.backend());
            System.out.println("cores: " + Runtime.getRuntime().availableProcessors() + ", max heap: " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
            int status = 0;
            for (Runnable check : List.<Runnable>of(
                    () -> System.out.println("kernel threads: " + Parallelism.defaultThreadsSetting()),
                    () -> System.out.println("scale: " + Scale.current()),
                    () -> System.out.println("results: " + ResultStore.defaultStore().root()))) {
                try {
                    check.run();
                } catch (IllegalArgumentException e) {
                    System.err.println("normlab info: " + e.getMessage());
                    status = USAGE;
                }
            }
            return status;
        }
    }
}
