package org.normlab.experiment.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package is pure statistics: its sources import only the JDK and commons-math3, nothing else of NormLab or
 * of other libraries, so that it can be checked and reused on its own. Reads the sources (Maven runs tests from the
 * project directory).
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/org/normlab/experiment/stats");

    @Test
    void importsOnlyTheJdkAndCommonsMath() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), "tests must run from the project directory; no " + SOURCES);
        List<String> offending = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.list(SOURCES)) {
            for (Path p : paths.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                files++;
                for (String line : Files.readAllLines(p)) {
                    String s = line.strip();
                    if (!s.startsWith("import ")) continue;
                    String name = s.substring("import ".length()).replace("static ", "");
                    if (!name.startsWith("java.") && !name.startsWith("org.apache.commons.math3.")) {
                        offending.add(p.getFileName() + ": " + s);
                    }
                }
            }
        }
        assertTrue(files >= 10, "expected the package's sources, found " + files + " files");
        assertEquals(List.of(), offending, "imports outside the JDK and commons-math3");
    }
}
