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
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.tensor.Rng;

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
        Path wrong = Files.write(tmp.resolve("wrong"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
        Path gz = gzip(wrong, data.resolve(LABELS + ".gz"));
        var e = assertThrows(IllegalArgumentException.class, () -> new FashionMnist(List.of(data), tmp.resolve("cache"), null).prepare(LABELS));
        assertTrue(e.getMessage().startsWith("Fashion-MNIST: " + gz + " does not hold the official " + LABELS + " (SHA-256 "), e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("cache").resolve(LABELS)), "nothing unverified is left behind");
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
                () -> new Dataset("x", org.normlab.tensor.Tensor.zeros(2, 4), new int[3], 10)).getMessage());
    }
}
