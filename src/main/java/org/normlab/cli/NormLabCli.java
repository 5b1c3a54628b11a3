package org.normlab.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.normlab.data.FashionMnist;
import org.normlab.studies.Studies;
import org.normlab.experiment.Study;
import org.normlab.kernels.Gemm;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code normlab} on the command line: headless access to what the notebooks do. */
@Command(name = "normlab", mixinStandardHelpOptions = true, version = "NormLab 0.1.0",
        description = {"See what normalization does to neural-network training.", "Studies: see `normlab list`."},
        subcommands = {StudyCommand.class, NormLabCli.ListStudies.class, NormLabCli.Data.class, NormLabCli.Info.class})
public final class NormLabCli implements Runnable {

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new NormLabCli());
        // Bad input (an unknown study, a bad scale) is a one-line message, not a stack trace.
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (!(e instanceof IllegalArgumentException)) throw e;
            cmd.getErr().println("normlab: " + e.getMessage());
            return 2;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public void run() { new CommandLine(this).usage(System.out); }

    @Command(name = "list", description = "List the studies `normlab study` can run.")
    static final class ListStudies implements Callable<Integer> {
        @Override
        public Integer call() {
            for (Study s : Studies.all()) System.out.printf("  %-16s %s%n", s.name(), s.title());
            return 0;
        }
    }

    @Command(name = "data", description = {"Make sure Fashion-MNIST is present and verified (decompresses or downloads once):",
            "IDX header, item counts, label values and content SHA-256 of each of the four files.",
            "One line per file that is missing or does not verify; exit status 3 then.",
            "Your own IDX files: set " + FashionMnist.UNVERIFIED_ENV + "=1 (no checksum, any image count)."})
    static final class Data implements Callable<Integer> {
        static final int DATA_PROBLEM = 3;

        @Override
        public Integer call() {
            List<FashionMnist.FileStatus> statuses = FashionMnist.fromEnvironment().checkAll();
            String advice = null;
            for (FashionMnist.FileStatus s : statuses) {
                if (s.verified()) continue;
                List<String> lines = s.problem().lines().toList();
                System.err.println("normlab data: " + lines.get(0));
                if (advice == null && lines.size() > 1) advice = String.join(System.lineSeparator(), lines.subList(1, lines.size()));
            }
            if (advice != null) System.err.println(advice);
            if (statuses.stream().anyMatch(s -> !s.verified())) return DATA_PROBLEM;
            System.out.println("Fashion-MNIST ready in " + statuses.get(0).path().getParent() + " (all four files verified)");
            return 0;
        }
    }

    @Command(name = "info", description = "Print the Java runtime and the matrix-product backend NormLab uses.")
    static final class Info implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println("Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")");
            System.out.println("GEMM backend: " + Gemm.backend());
            System.out.println("cores: " + Runtime.getRuntime().availableProcessors() + ", max heap: " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
            return 0;
        }
    }
}
