package org.normlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where `normlab study` stores runs and writes its output, checked before any run. */
class StudyFoldersTest {
    @TempDir Path tmp;

    @Test
    void resultsMovesTheRunsElseTheyStayUnderOut() throws IOException {
        Path out = tmp.resolve("out"), flag = tmp.resolve("flag");
        assertEquals(out.resolve("runs"), StudyCommand.runsFolder(null, out));
        assertEquals(flag, StudyCommand.runsFolder(flag, out));
        Path file = Files.writeString(tmp.resolve("afile"), "x");
        var e = assertThrows(IllegalArgumentException.class, () -> StudyCommand.runsFolder(file, out));
        assertTrue(e.getMessage().startsWith("--results"), e.getMessage());
    }

    @Test
    void anOutUnderAFileIsRefusedWithItsOwnWords() throws IOException {
        Path file = Files.writeString(tmp.resolve("afile"), "x");
        for (Path out : new Path[] {file, file.resolve("sub")}) {
            var e = assertThrows(IllegalArgumentException.class, () -> StudyCommand.outputFolder(out));
            assertTrue(e.getMessage().startsWith("--out ") && e.getMessage().contains("results, tables and figures"), e.getMessage());
        }
        assertEquals(tmp.resolve("new/sub"), StudyCommand.outputFolder(tmp.resolve("new/sub")));
    }
}
