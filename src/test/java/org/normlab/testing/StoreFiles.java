package org.normlab.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files under a result store while other threads or processes write to it. A store writes a
 * {@code .part} file and renames it, so a plain {@link Files#walk} can list a file that is gone by the
 * time it reads the file's attributes; the walk is then simply taken again.
 */
public final class StoreFiles {
    private StoreFiles() {}

    /** The files under {@code root} whose name ends with {@code suffix}, sorted; none when root does not exist. */
    public static List<Path> named(Path root, String suffix) {
        for (int attempt = 1; ; attempt++) {
            if (!Files.exists(root)) return List.of();
            try (Stream<Path> s = Files.walk(root)) {
                return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException) || attempt == 100) throw e;
            } catch (NoSuchFileException e) {
                if (attempt == 100) throw new UncheckedIOException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
