package org.normlab.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.normlab.experiment.ClaimsTable;
import org.normlab.experiment.Preregistration;
import org.normlab.experiment.Scale;
import org.normlab.experiment.Study;
import org.normlab.experiment.Verdict;
import org.normlab.studies.Studies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/** The commands of the statistics protocol: pre-registered criteria files and the README's claims table. */
final class ProtocolCommands {
    private ProtocolCommands() {}

    @Command(name = "criteria", mixinStandardHelpOptions = true, description = {"Print, write or check the pre-registered criteria of every study",
            "(docs/criteria/<study>.txt: statistic, test, threshold or margin, family, budget, seeds, divergence policy)."})
    static final class Criteria implements Callable<Integer> {
        @Option(names = "--write", description = "write docs/criteria/<study>.txt (under --dir)")
        boolean write;

        @Option(names = "--check", description = "exit 1 when a committed file differs from the criteria in code")
        boolean check;

        @Option(names = "--dir", description = "the criteria folder (default: ${DEFAULT-VALUE})", defaultValue = "docs/criteria")
        Path dir;

        @Override
        public Integer call() throws IOException {
            List<String> differ = new ArrayList<>();
            for (Study<?> s : Studies.all()) {
                String text = Preregistration.text(s);
                Path file = dir.resolve(s.name() + ".txt");
                if (write) {
                    Files.createDirectories(dir);
                    Files.writeString(file, text, StandardCharsets.UTF_8);
                    System.out.println("wrote " + file);
                } else if (check) {
                    if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(text)) differ.add(file.toString());
                } else {
                    System.out.print(text);
                }
            }
            if (!differ.isEmpty()) System.err.println("normlab: criteria differ from code: " + String.join(", ", differ) + " (`normlab criteria --write`)");
            return differ.isEmpty() ? 0 : NormLabCli.RUN_FAILED;
        }
    }

    @Command(name = "claims", mixinStandardHelpOptions = true, description = {"Print the README's claims table (Holm across the family of empirical claims)",
            "and checks table in Markdown, from a CSV of verdict records (as scripts/claims.py writes them)."})
    static final class Claims implements Callable<Integer> {
        private static final String[] COLUMNS = {"source", "claim", "kind", "verdict", "statistic", "test", "mean", "lo", "hi", "p", "n",
            "missing", "measured", "seeds_needed", "plan_test", "plan_a", "plan_b", "plan_c", "budget", "registration"};

        @Parameters(index = "0", description = "the CSV of verdict records")
        Path records;

        @Option(names = "--scales", description = "the scale(s) the verdicts were computed at", defaultValue = "unknown")
        String scales;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(records)) throw new IllegalArgumentException("normlab claims: expected a CSV file of verdict records, got " + records);
            ColumnType[] types = new ColumnType[COLUMNS.length];
            for (int i = 0; i < COLUMNS.length; i++) {
                types[i] = switch (COLUMNS[i]) {
                    case "mean", "lo", "hi", "p", "n", "missing", "measured", "seeds_needed", "plan_a", "plan_b", "plan_c" -> ColumnType.DOUBLE;
                    default -> ColumnType.STRING;
                };
            }
            Table t;
            try {
                t = Table.read().usingOptions(CsvReadOptions.builder(records.toFile()).columnTypes(types).missingValueIndicator("")
                        .maxCharsPerColumn(100_000));
            } catch (UncheckedIOException e) {
                throw new IllegalArgumentException("normlab claims: cannot read " + records + ": " + e.getMessage(), e);
            }
            // Records computed before kinds were recorded take the kind their claim's criterion declares in code.
            Map<String, Verdict.Kind> declared = new HashMap<>();
            for (Study<?> s : Studies.all()) for (Scale sc : Scale.values()) for (Verdict.Criterion c : s.criteria(sc)) declared.put(c.claim(), c.kind());
            System.out.print(ClaimsTable.markdown(ClaimsTable.fromRecords(t, claim -> declared.getOrDefault(claim, Verdict.Kind.CLAIM)), scales));
            return 0;
        }
    }
}
