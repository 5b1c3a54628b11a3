package org.normlab.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.normlab.nn.Activation;
import org.normlab.train.RunLog;

/**
 * The other process of {@link ResultStoreProcessesTest}: runs {@link #SWEEP} on a results folder, one run at a time,
 * with {@link ResultStoreFaultTest#RUNNER}, and prints its table.
 * <ul>
 *   <li>{@code share <results> <log> <go>}: appends the id of each run it computes to {@code log}; its first run
 *       waits until the file {@code go} exists (the other process has computed a run meanwhile).</li>
 *   <li>{@code hang <results> <log>}: writes the id of its first run to {@code log} and never finishes it.</li>
 * </ul>
 */
final class SweepProcess {
    static final Sweep<RunSpec> SWEEP = Sweep.of("shared", RunSpec.mlp(List.of(8), Activation.Kind.RELU)).vary(Axes.LR, 0.1, 0.2, 0.3, 0.4).seeds(2);

    private SweepProcess() {}

    static String id(RunSpec spec) { return "lr=" + spec.lr() + ";seed=" + spec.seed(); }

    /** Every run's id, in the sweep's order. */
    static List<String> ids() { return SWEEP.specs().stream().map(SweepProcess::id).toList(); }

    public static void main(String[] args) throws IOException {
        String mode = args[0];
        Path results = Path.of(args[1]), log = Path.of(args[2]);
        List<String> computed = new ArrayList<>();
        Function<RunSpec, RunLog> runner = spec -> {
            append(log, id(spec));
            boolean first = computed.isEmpty();
            computed.add(id(spec));
            if (mode.equals("hang")) sleep(Long.MAX_VALUE);
            if (first) {
                long deadline = System.nanoTime() + 60_000_000_000L;  // the test has failed by then: do not hang
                while (!Files.exists(Path.of(args[3])) && System.nanoTime() < deadline) sleep(20);
            }
            return ResultStoreFaultTest.RUNNER.apply(spec);
        };
        System.out.print(SWEEP.run(runner, ResultStore.at(results), Progress.none(), 1).table().printAll());
        System.out.flush();
    }

    private static void append(Path log, String line) {
        try {
            Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
