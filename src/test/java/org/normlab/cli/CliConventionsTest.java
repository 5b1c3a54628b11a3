package org.normlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.normlab.experiment.Study;
import org.normlab.studies.Studies;
import picocli.CommandLine;

/** The command line behaves as command-line tools do: help on every command, suggestions, aligned listings. */
class CliConventionsTest {
    private record Outcome(int status, String out, String err) {}

    private static Outcome run(String... args) {
        CommandLine cli = NormLabCli.commandLine(false);
        StringWriter out = new StringWriter(), err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Outcome(status, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"study", "list", "data", "info", "criteria", "claims"})
    void everyCommandHasHelpThatExitsZero(String command) {
        Outcome o = run(command, "--help");
        assertEquals(0, o.status(), command + " --help: " + o.err());
        assertTrue(o.out().startsWith("Usage: normlab " + command), o.out());
    }

    @Test
    void aMisspeltStudyNameGetsASuggestionAndTheUsageExitStatus() {
        Outcome o = run("study", "quikstart", "--scale", "smoke");
        assertEquals(NormLabCli.USAGE, o.status());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().contains("did you mean 'quickstart'?"), o.err());
        Outcome far = run("study", "zzzzzzzz", "--scale", "smoke");
        assertTrue(!far.err().contains("did you mean") && far.err().contains("known: quickstart"), far.err());
    }

    @Test
    void listAlignsTheTitlesWhateverTheNamesLength() {
        List<String> lines = run("list").out().lines().toList();
        List<Study<?>> all = Studies.all();
        assertEquals(all.size(), lines.size());
        int column = lines.get(0).indexOf(all.get(0).title());
        assertTrue(column > 2, lines.get(0));
        for (int i = 0; i < all.size(); i++) assertEquals(column, lines.get(i).indexOf(all.get(i).title()), lines.get(i));
    }
}
