package org.normlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/** Runs on the real Fashion-MNIST files (make test installs them), plus small copies made from them. */
class FashionMnistTest {
    private static final String LABELS = FashionMnist.Split.TEST.labelsFile();

    private static Path realFile(String name) { return FashionMnist.fromEnvironment().prepare(name); }

    private static Path gzip(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target))) {
            Files.copy(source, out);
        }
        return target;
    }

    @Test
    void realTestSplitHasTheKnownShapeRangeAndClassBalance() {
        Dataset test = FashionMnist.fromEnvironment().load(FashionMnist.Split.TEST);
        assertEquals(10_000, test.size());
        assertArrayEquals(new int[] {10_000, 1, 28, 28}, test.inputs().shape());
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float v : test.inputs().data()) { min = Math.min(min, v); max = Math.max(max, v); }
        assertEquals(0f, min);
        assertEquals(1f, max);
        int[] perClass = new int[10];
        for (int y : test.labels()) perClass[y]++;
        for (int c = 0; c < 10; c++) assertEquals(1000, perClass[c], "class " + FashionMnist.CLASS_NAMES.get(c));
        assertEquals(9, test.labels()[0], "the first test image is an ankle boot");
    }

    @Test
    void realTrainSplitLoadsThroughTheCache() {
        Dataset train = FashionMnist.train();
        assertEquals(60_000, train.size());
        assertTrue(train == FashionMnist.train(), "a second call reuses the loaded data");
    }

    @Test
    void gzipFilesAreDecompressedOnceAndVerified(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("data"), cache = tmp.resolve("cache");
        gzip(realFile(LABELS), data.resolve(LABELS + ".gz"));
        Path prepared = new FashionMnist(List.of(data, cache), cache, null).prepare(LABELS);
        assertEquals(cache.resolve(LABELS), prepared);
        assertArrayEquals(Files.readAllBytes(realFile(LABELS)), Files.readAllBytes(prepared));
    }

    @Test
    void aGzipWithOtherContentIsRejectedByItsChecksum(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("data");
        byte[] labels = Files.readAllBytes(realFile(LABELS));
        labels[8] = (byte) ((labels[8] + 1) % 10);  // another valid label: only the checksum can tell
        Path gz = gzip(Files.write(tmp.resolve("wrong"), labels), data.resolve(LABELS + ".gz"));
        var e = assertThrows(IllegalArgumentException.class, () -> new FashionMnist(List.of(data), tmp.resolve("cache"), null).prepare(LABELS));
        assertTrue(e.getMessage().matches("Fashion-MNIST: \\Q" + gz + "\\E: content SHA-256 [0-9a-f]{64}, expected "
                + FashionMnist.SHA256.get(LABELS) + " \\(the official " + LABELS + "\\); to read your own IDX files set NORMLAB_DATA_UNVERIFIED=1"),
                e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("cache").resolve(LABELS)), "nothing unverified is left behind");
    }

    /** A copy of the real file {@code source} under the name {@code file} in {@code dir}, changed by {@code edit}. */
    private static Path corrupted(Path dir, String file, String source, UnaryOperator<byte[]> edit) throws IOException {
        Files.createDirectories(dir);
        return Files.write(dir.resolve(file), edit.apply(Files.readAllBytes(realFile(source))));
    }

    private static String problem(Path dir, FashionMnist.Split split) {
        var loader = new FashionMnist(List.of(dir), dir.resolve("cache"), null);
        return assertThrows(IllegalArgumentException.class, () -> loader.load(split)).getMessage();
    }

    private static final String IMAGES = FashionMnist.Split.TEST.imagesFile();

    @Test
    void aTruncatedFileIsRefusedNamingItsLength(@TempDir Path tmp) throws IOException {
        Path f = corrupted(tmp, IMAGES, IMAGES, b -> Arrays.copyOf(b, 1000));
        assertEquals("Fashion-MNIST: " + f + ": file length 1000 bytes, expected 7840016 (its header announces 10000 images of 28×28 bytes)",
                problem(tmp, FashionMnist.Split.TEST));
        Path g = corrupted(tmp, IMAGES, IMAGES, b -> Arrays.copyOf(b, 10));
        assertEquals("Fashion-MNIST: " + g + ": file length 10 bytes, expected at least the 16-byte IDX header of an image file",
                problem(tmp, FashionMnist.Split.TEST));
    }

    @Test
    void aWrongMagicNumberIsRefused(@TempDir Path tmp) throws IOException {
        corrupted(tmp, IMAGES, IMAGES, b -> b);
        Path f = corrupted(tmp, LABELS, LABELS, b -> { b[3] = 3; return b; });  // 2049 → 2051: an image file's magic
        assertEquals("Fashion-MNIST: " + f + ": magic number 2051, expected 2049 (IDX labels)", problem(tmp, FashionMnist.Split.TEST));
    }

    @Test
    void aZeroedFileIsRefused(@TempDir Path tmp) throws IOException {
        Path f = corrupted(tmp, IMAGES, IMAGES, b -> new byte[b.length]);
        assertEquals("Fashion-MNIST: " + f + ": magic number 0, expected 2051 (IDX images)", problem(tmp, FashionMnist.Split.TEST));
        // Black images behind an intact header: only the checksum sees it.
        corrupted(tmp, IMAGES, IMAGES, b -> { Arrays.fill(b, 16, b.length, (byte) 0); return b; });
        assertTrue(problem(tmp, FashionMnist.Split.TEST).startsWith("Fashion-MNIST: " + f + ": content SHA-256 "));
    }

    @Test
    void swappedTrainAndTestFilesAreRefused(@TempDir Path tmp) throws IOException {
        FashionMnist.Split train = FashionMnist.Split.TRAIN;
        Path f = corrupted(tmp, train.imagesFile(), IMAGES, b -> b);
        corrupted(tmp, train.labelsFile(), LABELS, b -> b);
        assertEquals("Fashion-MNIST: " + f + ": 10000 images, expected 60000 (the train split); 10000 is the t10k split's size:"
                + " are train and test swapped?", problem(tmp, train));
        Path g = corrupted(tmp, LABELS, train.labelsFile(), b -> b);
        assertEquals("Fashion-MNIST: " + g + ": 60000 labels, expected 10000 (the t10k split); 60000 is the train split's size:"
                + " are train and test swapped?", assertThrows(IllegalArgumentException.class,
                        () -> new FashionMnist(List.of(tmp), tmp.resolve("cache"), null).prepare(LABELS)).getMessage());
    }

    @Test
    void aLabelOutsideTheTenClassesIsRefused(@TempDir Path tmp) throws IOException {
        corrupted(tmp, IMAGES, IMAGES, b -> b);
        Path f = corrupted(tmp, LABELS, LABELS, b -> { b[8 + 5] = 10; return b; });
        assertEquals("Fashion-MNIST: " + f + ": label 10 at index 5, expected 0–9", problem(tmp, FashionMnist.Split.TEST));
    }

    @Test
    void aGzippedFileIsVerifiedLikeAPlainOne(@TempDir Path tmp) throws IOException {
        Path truncated = corrupted(tmp.resolve("plain"), IMAGES, IMAGES, b -> Arrays.copyOf(b, 1000));
        Path gz = gzip(truncated, tmp.resolve("data").resolve(IMAGES + ".gz"));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new FashionMnist(List.of(tmp.resolve("data")), tmp.resolve("cache"), null).prepare(IMAGES));
        assertEquals("Fashion-MNIST: " + gz + ": file length 1000 bytes, expected 7840016 (its header announces 10000 images of 28×28 bytes)",
                e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("cache").resolve(IMAGES)), "nothing unverified is left behind");
    }

    @Test
    void aFileChangedAfterItWasVerifiedIsVerifiedAgain(@TempDir Path tmp) throws IOException {
        Path f = corrupted(tmp, LABELS, LABELS, b -> b);
        var loader = new FashionMnist(List.of(tmp), tmp.resolve("cache"), null);
        assertEquals(f, loader.prepare(LABELS));
        FileTime verifiedAt = Files.getLastModifiedTime(f);
        corrupted(tmp, LABELS, LABELS, b -> { b[8] = (byte) ((b[8] + 1) % 10); return b; });  // same size, valid labels
        Files.setLastModifiedTime(f, FileTime.fromMillis(verifiedAt.toMillis() + 2000));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> loader.prepare(LABELS)).getMessage().contains(": content SHA-256 "));
    }

    /** Three real test images and their labels, with the counts in their headers set to 3. */
    private static void ownFiles(Path dir, int[] labels) throws IOException {
        corrupted(dir, IMAGES, IMAGES, b -> { ByteBuffer.wrap(b).putInt(4, 3); return Arrays.copyOf(b, 16 + 3 * 28 * 28); });
        corrupted(dir, LABELS, LABELS, b -> {
            ByteBuffer.wrap(b).putInt(4, 3);
            for (int i = 0; i < 3; i++) b[8 + i] = (byte) labels[i];
            return Arrays.copyOf(b, 8 + 3);
        });
    }

    @Test
    void ownIdxFilesLoadOnlyWithTheOptOut(@TempDir Path tmp) throws IOException {
        ownFiles(tmp, new int[] {9, 0, 3});
        assertEquals("Fashion-MNIST: " + tmp.resolve(IMAGES) + ": 3 images, expected 10000 (the t10k split)", problem(tmp, FashionMnist.Split.TEST));
        Dataset own = new FashionMnist(List.of(tmp), tmp.resolve("cache"), null, true).load(FashionMnist.Split.TEST);
        assertEquals(3, own.size());
        assertArrayEquals(new int[] {9, 0, 3}, own.labels());
        assertArrayEquals(Arrays.copyOf(FashionMnist.fromEnvironment().load(FashionMnist.Split.TEST).inputs().data(), 3 * 28 * 28),
                own.inputs().data());

        ownFiles(tmp, new int[] {9, 12, 3});  // the opt-out still checks the structure
        assertEquals("Fashion-MNIST: " + tmp.resolve(LABELS) + ": label 12 at index 1, expected 0–9", assertThrows(IllegalArgumentException.class,
                () -> new FashionMnist(List.of(tmp), tmp.resolve("cache"), null, true).load(FashionMnist.Split.TEST)).getMessage());
    }

    @Test
    void aCompressedFileInAnEarlierFolderIsNotShadowedByTheCachedCopyOfAnother(@TempDir Path tmp) throws IOException {
        Path official = tmp.resolve("official"), own = tmp.resolve("own"), cache = tmp.resolve("cache");
        for (String f : List.of(IMAGES, LABELS)) gzip(realFile(f), official.resolve(f + ".gz"));
        ownFiles(tmp.resolve("plain"), new int[] {9, 0, 3});
        for (String f : List.of(IMAGES, LABELS)) gzip(tmp.resolve("plain").resolve(f), own.resolve(f + ".gz"));

        var standard = new FashionMnist(List.of(official, cache), cache, null);
        assertEquals(10_000, standard.load(FashionMnist.Split.TEST).size());
        FileTime sentinel = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(cache.resolve(LABELS), sentinel);
        assertEquals(cache.resolve(LABELS), standard.prepare(LABELS));
        assertEquals(sentinel, Files.getLastModifiedTime(cache.resolve(LABELS)), "the copy made from this .gz is reused, not decompressed again");

        // One's own .gz files in a folder searched first replace the cached copy of the official ones...
        assertEquals(3, new FashionMnist(List.of(own, official, cache), cache, null, true).load(FashionMnist.Split.TEST).size());
        // ...and the official ones come back when that folder is gone from the search.
        assertEquals(10_000, standard.load(FashionMnist.Split.TEST).size());
    }

    @Test
    void theOptOutSettingAcceptsOnlyZeroOrOne() {
        String before = System.getProperty(FashionMnist.UNVERIFIED_PROPERTY);
        try {
            System.setProperty(FashionMnist.UNVERIFIED_PROPERTY, "1");
            assertTrue(FashionMnist.ownFilesAllowed());
            System.setProperty(FashionMnist.UNVERIFIED_PROPERTY, "0");
            assertTrue(!FashionMnist.ownFilesAllowed());
            System.setProperty(FashionMnist.UNVERIFIED_PROPERTY, "yes");
            assertEquals("NORMLAB_DATA_UNVERIFIED (or -Dnormlab.data.unverified): expected 1 (read your own IDX files unverified) or 0, got \"yes\"",
                    assertThrows(IllegalArgumentException.class, FashionMnist::fromEnvironment).getMessage());
        } finally {
            if (before == null) System.clearProperty(FashionMnist.UNVERIFIED_PROPERTY); else System.setProperty(FashionMnist.UNVERIFIED_PROPERTY, before);
        }
    }

    @Test
    void checkAllReportsEveryFileThatDoesNotVerify(@TempDir Path tmp) throws IOException {
        Path images = corrupted(tmp, IMAGES, IMAGES, b -> Arrays.copyOf(b, 1000));
        Path labels = corrupted(tmp, LABELS, LABELS, b -> { b[8 + 5] = 10; return b; });
        var statuses = new FashionMnist(List.of(tmp, FashionMnist.userCache(), FashionMnist.DEBIAN_DIR), tmp.resolve("cache"), null).checkAll();
        assertEquals(4, statuses.size());
        for (var s : statuses) {
            boolean broken = s.file().startsWith("t10k");
            assertEquals(!broken, s.verified(), s.toString());
        }
        assertTrue(statuses.get(2).problem().startsWith("Fashion-MNIST: " + images + ": file length 1000 bytes"), statuses.get(2).problem());
        assertEquals("Fashion-MNIST: " + labels + ": label 10 at index 5, expected 0–9", statuses.get(3).problem());
    }

    @Test
    void missingFilesOfflineSayHowToGetThem(@TempDir Path tmp) {
        var loader = new FashionMnist(List.of(tmp.resolve("nowhere")), tmp.resolve("cache"), null);
        var e = assertThrows(IllegalStateException.class, () -> loader.load(FashionMnist.Split.TEST));
        assertTrue(e.getMessage().startsWith("Fashion-MNIST file t10k-images-idx3-ubyte not found; looked for it (plain or .gz) in ["
                + tmp.resolve("nowhere") + "], and downloads are off (NORMLAB_OFFLINE=1)."), e.getMessage());
        assertTrue(e.getMessage().contains("sudo apt-get install dataset-fashion-mnist"));
        assertTrue(e.getMessage().contains("export NORMLAB_DATA="));
    }

    @Test
    void downloadsFromTheSourceAndVerifies(@TempDir Path tmp) throws IOException {
        byte[] gz = Files.readAllBytes(gzip(realFile(LABELS), tmp.resolve("served").resolve(LABELS + ".gz")));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            boolean known = exchange.getRequestURI().getPath().equals("/fashion/" + LABELS + ".gz");
            byte[] body = known ? gz : new byte[0];
            exchange.sendResponseHeaders(known ? 200 : 404, known ? body.length : -1);
            try (OutputStream out = exchange.getResponseBody()) { out.write(body); }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/fashion/";
            Path cache = tmp.resolve("cache");
            Path got = new FashionMnist(List.of(tmp.resolve("empty")), cache, url).prepare(LABELS);
            assertArrayEquals(Files.readAllBytes(realFile(LABELS)), Files.readAllBytes(got));

            var e = assertThrows(IllegalStateException.class,
                    () -> new FashionMnist(List.of(tmp.resolve("empty")), cache, url).prepare("train-labels-idx1-ubyte"));
            assertTrue(e.getMessage().contains("the download from " + url + " failed: java.io.IOException: HTTP 404"), e.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aFileThatIsNotIdxGivesAnErrorNamingIt(@TempDir Path tmp) throws IOException {
        Path junk = Files.writeString(tmp.resolve("images"), "not an IDX file at all");
        var e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.read("junk", junk, realFile(LABELS)));
        assertTrue(e.getMessage().startsWith("Fashion-MNIST: cannot read " + junk + " with "), e.getMessage());
        assertEquals("Fashion-MNIST: no file " + tmp.resolve("absent"),
                assertThrows(IllegalArgumentException.class, () -> FashionMnist.read("x", tmp.resolve("absent"), junk)).getMessage());
    }

    @Test
    void subsetsAndBatches() {
        Dataset test = FashionMnist.fromEnvironment().load(FashionMnist.Split.TEST).head(100);
        Dataset sample = test.sample(10, new Rng(1));
        assertEquals(10, sample.size());
        int seen = 0, batches = 0;
        for (Dataset batch : new Batches(test, 32, new Rng(2), false)) { seen += batch.size(); batches++; }
        assertEquals(100, seen);
        assertEquals(4, batches);
        assertEquals(3, new Batches(test, 32, null, true).count());
        assertEquals("Dataset x: 2 inputs but 3 labels", assertThrows(IllegalArgumentException.class,
                () -> new Dataset("x", Tensor.zeros(2, 4), new int[3], 10)).getMessage());
    }
}
