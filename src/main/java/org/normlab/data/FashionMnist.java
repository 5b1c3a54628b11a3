package org.normlab.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.SoftReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import org.normlab.tensor.Tensor;
import smile.data.DataFrame;
import smile.data.vector.ValueVector;
import smile.datasets.MNIST;

/**
 * Fashion-MNIST (Xiao, Rasul &amp; Vollgraf 2017): 60 000 training and 10 000 test images of 10 clothing classes,
 * read through Smile's IDX reader ({@link MNIST}) into (N,1,28,28) float tensors in [0,1].
 *
 * <p>Where the files come from: {@code $NORMLAB_DATA} (or {@code -Dnormlab.data}) when set, a folder with the four
 * IDX files, plain or {@code .gz}, all four of which must be there; else the first of these folders that holds a file:
 * <ol>
 *   <li>Debian's {@code dataset-fashion-mnist} package: {@code /usr/share/datasets/fashion-mnist};</li>
 *   <li>the user cache {@code ~/.cache/normlab/fashion-mnist} (or {@code $XDG_CACHE_HOME/normlab/…});</li>
 *   <li>a download from the dataset's official source into that cache (unless {@code NORMLAB_OFFLINE=1}).</li>
 * </ol>
 * Smile reads only uncompressed IDX files, so a {@code .gz} file is decompressed into the cache, once: a note beside
 * the copy names the compressed file it was made from, and another compressed file replaces it.
 *
 * <p>Every file is verified before it is read, plain or compressed, wherever it comes from:
 * <ul>
 *   <li>its IDX header: magic number 2051 (images) or 2049 (labels), 60 000 (train) or 10 000 (test) items, images
 *       of 28×28, and a file length equal to what the header announces;</li>
 *   <li>for labels, every value in 0–9;</li>
 *   <li>the SHA-256 of its content, the uncompressed IDX bytes, against the official file's (the compressed bytes
 *       differ between distributions, the content does not). A file is hashed once per JVM while its size and
 *       modification time stay the same.</li>
 * </ul>
 * A file that does not verify is an {@link IllegalArgumentException} of one line naming the file, what was
 * expected and what it holds. To read one's own IDX files (other images, other counts), set
 * {@code NORMLAB_DATA_UNVERIFIED=1} (or {@code -Dnormlab.data.unverified=1}): the checksum and the image counts are
 * then not checked, the rest of the header and the label values still are.
 */
public final class FashionMnist {
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String OFFICIAL_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";

    /** The two halves of the dataset and their four files. */
    public enum Split {
        TRAIN("train", 60_000), TEST("t10k", 10_000);

        private final String prefix;
        private final int size;

        Split(String prefix, int size) { this.prefix = prefix; this.size = size; }

        public String imagesFile() { return prefix + "-images-idx3-ubyte"; }
        public String labelsFile() { return prefix + "-labels-idx1-ubyte"; }
        public int size() { return size; }
    }

    /** SHA-256 of the uncompressed official files. */
    static final Map<String, String> SHA256 = Map.of(
            "train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            "train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            "t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            "t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    /** The opt-out for one's own IDX files (see the class comment). */
    public static final String UNVERIFIED_ENV = "NORMLAB_DATA_UNVERIFIED", UNVERIFIED_PROPERTY = "normlab.data.unverified";

    static final int IMAGES_MAGIC = 2051, LABELS_MAGIC = 2049, SIDE = 28, CLASSES = 10;

    private static final Map<Split, SoftReference<Dataset>> LOADED = new EnumMap<>(Split.class);

    /** Files whose content matched the official checksum, with the size and time they had then. */
    private static final Set<FileStamp> HASHED = ConcurrentHashMap.newKeySet();

    private record FileStamp(Path file, long size, FileTime modified) {
        static FileStamp of(Path file) throws IOException {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(file.toAbsolutePath().normalize(), a.size(), a.lastModifiedTime());
        }
    }

    private final List<Path> searchDirs;
    private final Path cacheDir;
    private final String downloadUrl;  // null: never download
    private final boolean ownFiles;
    private final String onlySetting;  // non-null: every file must come from searchDirs, which this setting named

    /**
     * A loader with explicit places (tests, custom set-ups) that accepts only the official files.
     *
     * @param downloadUrl base URL holding the four {@code .gz} files, or null to never download
     */
    public FashionMnist(List<Path> searchDirs, Path cacheDir, String downloadUrl) { this(searchDirs, cacheDir, downloadUrl, false); }

    /**
     * @param ownFiles true to accept IDX files other than the official ones: no checksum, any image count (the
     *                 header, the file length and the label values are still checked)
     */
    public FashionMnist(List<Path> searchDirs, Path cacheDir, String downloadUrl, boolean ownFiles) {
        this(searchDirs, cacheDir, downloadUrl, ownFiles, null);
    }

    /** A loader that takes the four files from {@code dir} only, as {@code setting} (NORMLAB_DATA) asked: no fallback, no download. */
    static FashionMnist only(Path dir, Path cacheDir, boolean ownFiles, String setting) {
        return new FashionMnist(List.of(dir), cacheDir, null, ownFiles, setting);
    }

    private FashionMnist(List<Path> searchDirs, Path cacheDir, String downloadUrl, boolean ownFiles, String onlySetting) {
        this.onlySetting = onlySetting;
        this.searchDirs = List.copyOf(searchDirs);
        this.cacheDir = cacheDir;
        this.downloadUrl = downloadUrl;
        this.ownFiles = ownFiles;
    }

    /** The loader configured from the environment (see the class comment). */
    public static FashionMnist fromEnvironment() {
        String custom = setting("normlab.data", "NORMLAB_DATA");
        Path cache = userCache();
        // A set NORMLAB_DATA is the whole answer: mixing its files with Debian's or the cache's would report one folder and read another.
        if (custom != null && !custom.isBlank()) return only(Path.of(custom), cache, ownFilesAllowed(), "NORMLAB_DATA (or -Dnormlab.data)");
        List<Path> dirs = new ArrayList<>();
        dirs.add(DEBIAN_DIR);
        dirs.add(cache);
        boolean offline = "1".equals(setting("normlab.offline", "NORMLAB_OFFLINE"));
        String url = setting("normlab.fashionMnistUrl", "NORMLAB_FASHION_MNIST_URL");
        return new FashionMnist(dirs, cache, offline ? null : (url != null ? url : OFFICIAL_URL), ownFilesAllowed());
    }

    /** Whether {@code NORMLAB_DATA_UNVERIFIED} (or its property) is 1; any value other than 0, 1 or empty is an error. */
    static boolean ownFilesAllowed() {
        String v = setting(UNVERIFIED_PROPERTY, UNVERIFIED_ENV);
        if (v == null || v.isBlank() || v.equals("0")) return false;
        if (v.equals("1")) return true;
        throw new IllegalArgumentException(UNVERIFIED_ENV + " (or -D" + UNVERIFIED_PROPERTY + "): expected 1 (read your own IDX files"
                + " unverified) or 0, got \"" + v + "\"");
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        return v != null ? v : System.getenv(env);
    }

    static Path userCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("normlab").resolve("fashion-mnist");
    }

    /** The 60 000 training images (loaded once per JVM, kept while memory allows). */
    public static Dataset train() { return cached(Split.TRAIN); }

    /** The 10 000 test images. */
    public static Dataset test() { return cached(Split.TEST); }

    private static synchronized Dataset cached(Split split) {
        SoftReference<Dataset> ref = LOADED.get(split);
        Dataset d = ref == null ? null : ref.get();
        if (d == null) {
            d = fromEnvironment().load(split);
            LOADED.put(split, new SoftReference<>(d));
        }
        return d;
    }

    /** Reads one split, preparing its files first if needed. */
    public Dataset load(Split split) {
        Path images = prepare(split.imagesFile()), labels = prepare(split.labelsFile());
        return read("Fashion-MNIST " + split.name().toLowerCase(), images, labels);
    }

    /** Makes sure all four files are present and verified; returns the folder that holds the train images. */
    public Path prepareAll() {
        Path dir = null;
        for (Split s : Split.values()) {
            dir = prepare(s.imagesFile()).getParent();
            prepare(s.labelsFile());
        }
        return dir;
    }

    /** Whether this loader accepts one's own IDX files, so checksums and item counts are not checked. */
    public boolean acceptsOwnFiles() { return ownFiles; }

    /** One of the four files: the verified copy it resolved to, or why there is none (null when verified). */
    public record FileStatus(String file, Path path, String problem) {
        public boolean verified() { return problem == null; }
    }

    /** Prepares each of the four files in turn, like {@link #prepareAll()}, but reports every file instead of stopping at the first problem. */
    public List<FileStatus> checkAll() {
        List<FileStatus> statuses = new ArrayList<>();
        for (Split s : Split.values()) {
            for (String file : List.of(s.imagesFile(), s.labelsFile())) {
                try {
                    statuses.add(new FileStatus(file, prepare(file), null));
                } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
                    statuses.add(new FileStatus(file, null, e.getMessage()));
                }
            }
        }
        return statuses;
    }

    /**
     * Reads an IDX image file and its label file with Smile into (N,1,28,28) pixels in [0,1] and labels 0..9.
     * Any problem with the files becomes an error naming them.
     */
    public static Dataset read(String name, Path images, Path labels) {
        for (Path p : List.of(images, labels)) {
            if (!Files.isRegularFile(p)) throw new IllegalArgumentException("Fashion-MNIST: no file " + p);
        }
        DataFrame frame;
        try {
            frame = new MNIST(images, labels).data();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Fashion-MNIST: cannot read " + images + " with " + labels
                    + " as IDX image/label files (" + e.getMessage() + ")", e);
        }
        int n = frame.shape(0), pixels = frame.shape(1) - 1;
        if (pixels != 28 * 28) {
            throw new IllegalArgumentException("Fashion-MNIST: " + images + " holds images of " + pixels + " pixels, expected 28×28");
        }
        float[] x = new float[n * pixels];
        for (int j = 0; j < pixels; j++) {
            ValueVector column = frame.column(j);
            for (int i = 0; i < n; i++) x[i * pixels + j] = column.getFloat(i);
        }
        ValueVector classColumn = frame.column(pixels);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = classColumn.getInt(i);
        return new Dataset(name, Tensor.of(x, n, 1, 28, 28), y, 10);
    }

    /** Path of a verified, uncompressed copy of {@code file}, decompressing or downloading it if needed. */
    Path prepare(String file) {
        for (Path dir : searchDirs) {  // the first folder that has the file, plain or compressed, wins
            Path plain = dir.resolve(file), gz = dir.resolve(file + ".gz");
            if (Files.isRegularFile(plain)) return verified(plain, file);
            if (Files.isRegularFile(gz)) return decompressedCopy(gz, file);
        }
        if (onlySetting != null) {
            Path dir = searchDirs.get(0);
            throw new IllegalStateException("Fashion-MNIST: " + onlySetting + "=" + dir + (Files.isDirectory(dir) ? " has no " + file + " (plain or .gz)"
                    : " is not a folder, so it has no " + file) + "; put all four IDX files there or unset it");
        }
        if (downloadUrl == null) throw notFound(file, "downloads are off (NORMLAB_OFFLINE=1)");
        Path gz = cacheDir.resolve(file + ".gz");
        try {
            download(URI.create(downloadUrl.endsWith("/") ? downloadUrl + file + ".gz" : downloadUrl + "/" + file + ".gz"), gz);
        } catch (IOException | RuntimeException e) {
            throw notFound(file, "the download from " + downloadUrl + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw notFound(file, "the download was interrupted");
        }
        return decompress(gz, file);
    }

    /**
     * The cache's uncompressed copy of {@code gz}: reused when a note beside it says it was made from this very file
     * (same path, size and modification time), else decompressed again. Without the note, a copy made from another
     * folder's file (Debian's, or one's own) would be read in its place.
     */
    private Path decompressedCopy(Path gz, String file) {
        Path copy = cacheDir.resolve(file), note = cacheDir.resolve(file + ".source");
        try {
            BasicFileAttributes a = Files.readAttributes(gz, BasicFileAttributes.class);
            String source = gz.toAbsolutePath().normalize() + " " + a.size() + " " + a.lastModifiedTime().toMillis();
            if (Files.isRegularFile(copy) && Files.isRegularFile(note) && Files.readString(note).equals(source)) return verified(copy, file);
            Path decompressed = decompress(gz, file);
            Path tmp = Files.createTempFile(cacheDir, file, ".source.part");
            Files.writeString(tmp, source);
            Files.move(tmp, note, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return decompressed;
        } catch (IOException e) {
            throw new UncheckedIOException("Fashion-MNIST: cannot decompress " + gz + " into " + cacheDir + " (" + e.getMessage()
                    + "; set NORMLAB_DATA or XDG_CACHE_HOME to a writable folder)", e);
        }
    }

    private Path decompress(Path gz, String file) {
        Path target = cacheDir.resolve(file);
        try {
            Files.createDirectories(cacheDir);
            Path tmp = Files.createTempFile(cacheDir, file, ".part");
            String sha;
            try (InputStream in = new DigestInputStream(new GZIPInputStream(Files.newInputStream(gz)), sha256())) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                sha = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw new IllegalArgumentException("Fashion-MNIST: " + gz + " is not a readable gzip file (" + e.getMessage() + ")", e);
            }
            String problem = structureProblem(tmp, file);
            if (problem == null && !ownFiles && !sha.equals(SHA256.get(file))) problem = checksumProblem(file, sha);
            if (problem != null) {
                Files.deleteIfExists(tmp);
                throw new IllegalArgumentException("Fashion-MNIST: " + gz + ": " + problem);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (!ownFiles) HASHED.add(FileStamp.of(target));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Fashion-MNIST: cannot write " + target + " (set NORMLAB_DATA or XDG_CACHE_HOME to a writable folder)", e);
        }
    }

    /** {@code path} itself when it holds a valid {@code file} (see the class comment), else a one-line error. */
    private Path verified(Path path, String file) {
        try {
            String problem = structureProblem(path, file);
            if (problem == null && !ownFiles) {
                FileStamp stamp = FileStamp.of(path);
                if (!HASHED.contains(stamp)) {
                    String sha = sha256(path);
                    if (sha.equals(SHA256.get(file))) HASHED.add(stamp);
                    else problem = checksumProblem(file, sha);
                }
            }
            if (problem != null) throw new IllegalArgumentException("Fashion-MNIST: " + path + ": " + problem);
            return path;
        } catch (IOException e) {
            throw new IllegalArgumentException("Fashion-MNIST: cannot read " + path + " (" + e.getMessage() + ")", e);
        }
    }

    private String checksumProblem(String file, String sha) {
        return "content SHA-256 " + sha + ", expected " + SHA256.get(file) + " (the official " + file + "); to read your own IDX files set "
                + UNVERIFIED_ENV + "=1";
    }

    /**
     * What is wrong with {@code path}'s IDX header, length or label values for the role {@code file} (an image or a
     * label file of a split), or null. The item count is checked only for the official files.
     */
    private String structureProblem(Path path, String file) throws IOException {
        Split split = file.startsWith(Split.TRAIN.prefix) ? Split.TRAIN : Split.TEST;
        boolean images = file.equals(split.imagesFile());
        int headerBytes = images ? 16 : 8, magic = images ? IMAGES_MAGIC : LABELS_MAGIC;
        long length = Files.size(path);
        if (length < headerBytes) {
            return "file length " + length + " bytes, expected at least the " + headerBytes + "-byte IDX header of " + (images ? "an image" : "a label") + " file";
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path)))) {
            int actualMagic = in.readInt(), count = in.readInt();
            if (actualMagic != magic) {
                return "magic number " + actualMagic + ", expected " + magic + " (IDX " + (images ? "images" : "labels") + ")";
            }
            int rows = images ? in.readInt() : 1, cols = images ? in.readInt() : 1;
            if (images && (rows != SIDE || cols != SIDE)) return "images of " + rows + "×" + cols + ", expected " + SIDE + "×" + SIDE;
            if (!ownFiles && count != split.size()) {
                Split other = split == Split.TRAIN ? Split.TEST : Split.TRAIN;
                return count + (images ? " images" : " labels") + ", expected " + split.size() + " (the " + split.prefix + " split)"
                        + (count == other.size() ? "; " + count + " is the " + other.prefix + " split's size: are train and test swapped?" : "");
            }
            long expectedLength = headerBytes + (long) count * rows * cols;
            if (count < 0 || length != expectedLength) {
                return "file length " + length + " bytes, expected " + expectedLength + " (its header announces " + count
                        + (images ? " images of " + rows + "×" + cols + " bytes" : " labels of 1 byte") + ")";
            }
            if (!images) {
                for (int i = 0; i < count; i++) {
                    int label = in.readUnsignedByte();
                    if (label >= CLASSES) return "label " + label + " at index " + i + ", expected 0–" + (CLASSES - 1);
                }
            }
        }
        return null;
    }

    private static String sha256(Path path) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(path)) {
            for (int k; (k = in.read(buffer)) > 0; ) digest.update(buffer, 0, k);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void download(URI uri, Path target) throws IOException, InterruptedException {
        Files.createDirectories(target.getParent());
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).GET().build();
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try {
            HttpResponse<Path> response = client.send(request, HttpResponse.BodyHandlers.ofFile(tmp));
            if (response.statusCode() != 200) throw new IOException("HTTP " + response.statusCode() + " for " + uri);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private IllegalStateException notFound(String file, String why) {
        return new IllegalStateException("Fashion-MNIST file " + file + " not found; looked for it (plain or .gz) in "
                + searchDirs + ", and " + why + ".\nGet the data with one of:\n"
                + "  sudo apt-get install dataset-fashion-mnist      (Debian/Ubuntu; `make data` does this for you)\n"
                + "  export NORMLAB_DATA=/folder/with/the/IDX/files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],\n"
                + "                                                  t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz])\n"
                + "  or allow the download from " + OFFICIAL_URL + " (unset NORMLAB_OFFLINE).");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
