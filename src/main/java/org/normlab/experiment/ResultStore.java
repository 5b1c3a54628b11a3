package org.normlab.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.normlab.train.RunLog;

/**
 * Finished runs on disk, one pair of CSV files per run, named by a key of the spec, the data and the runner
 * ({@link #key}):
 * <pre>
 *   &lt;root&gt;/&lt;study&gt;/&lt;key&gt;.points.csv   step,epoch,metric,value
 *   &lt;root&gt;/&lt;study&gt;/&lt;key&gt;.run.csv      format,key,spec (canonical text;data=…;runner=…),points,points_sha256,diverged_at_step,divergence,error,wall_s,row_sha256
 * </pre>
 * The run file records the results-format version ({@link #FORMAT}), the number of points and the SHA-256 of the
 * points file, and ends with the SHA-256 of its own row; a run whose files do not verify (truncated, emptied, cut
 * inside a number, padded with NUL bytes, another format) is reported in one line naming the file and recomputed.
 * Each file is written to a temporary file, forced to disk and renamed into place (then the folder is forced where
 * the OS allows it), the run file last: its presence means the run finished. Numbers are stored with
 * {@link Double#toString}, so every value, NaN and ±Infinity included, reads back bit for bit (NaN as Java's NaN).
 */
public final class ResultStore {
    /** The results-format version; runs stored in another format are recomputed. */
    public static final int FORMAT = 2;

    private static final String POINTS_HEADER = "step,epoch,metric,value";
    private static final String RUN_HEADER = "format,key,spec,points,points_sha256,diverged_at_step,divergence,error,wall_s,row_sha256";

    /** How bytes reach the disk; tests replace it to inject a full disk or a read-only folder. */
    interface Disk {
        void write(Path file, byte[] bytes) throws IOException;
    }

    private static final Disk REAL_DISK = ResultStore::writeAndForce;

    private final Path root;
    private final boolean retryFailed;
    private final Consumer<String> warnings;
    private final Disk disk;
    private final boolean readOnly;

    private ResultStore(Path root, boolean retryFailed, Consumer<String> warnings, Disk disk, boolean readOnly) {
        this.root = root;
        this.retryFailed = retryFailed;
        this.warnings = warnings;
        this.disk = disk;
        this.readOnly = readOnly;
    }

    /** Results under {@code root}; a stored run that does not verify is reported on standard error. */
    public static ResultStore at(Path root) { return new ResultStore(root, false, System.err::println, REAL_DISK, false); }

    /** A store that keeps nothing (every run is computed). */
    public static ResultStore none() { return new ResultStore(null, false, System.err::println, REAL_DISK, false); }

    /**
     * {@code -Dnormlab.results}, else {@code $NORMLAB_RESULTS}, else {@code $NORMLAB_DEFAULT_RESULTS} (the project's
     * {@code results/}, set by the notebook kernel so that runs stay out of notebooks/), else {@code results/} in the
     * working directory; {@link #readOnly() read-only} when {@code $NORMLAB_RESULTS_READONLY} (or
     * {@code -Dnormlab.resultsReadOnly}) is 1 or true, as {@code make report} sets it over the atlas's runs.
     */
    public static ResultStore defaultStore() {
        String p = System.getProperty("normlab.results", System.getenv("NORMLAB_RESULTS"));
        ResultStore store;
        if (p != null && !p.isBlank()) {
            store = at(resultsFolder(p, RESULTS_SETTING));
        } else {
            String kernelDefault = System.getenv("NORMLAB_DEFAULT_RESULTS");
            store = at(resultsFolder(kernelDefault != null && !kernelDefault.isBlank() ? kernelDefault : "results", "NORMLAB_DEFAULT_RESULTS"));
        }
        return readOnlySetting(System.getProperty("normlab.resultsReadOnly", System.getenv("NORMLAB_RESULTS_READONLY"))) ? store.readOnly() : store;
    }

    /** How errors name the results-folder variable (read by {@link #defaultStore()}: notebooks and the Java API). */
    public static final String RESULTS_SETTING = "NORMLAB_RESULTS (or -Dnormlab.results)";

    /** NORMLAB_RESULTS_READONLY as a yes/no: unset, empty, 0 or false is no; 1 or true is yes; anything else a one-line error. */
    static boolean readOnlySetting(String text) {
        if (text == null) return false;
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "", "0", "false", "no" -> false;
            case "1", "true", "yes" -> true;
            default -> throw new IllegalArgumentException("NORMLAB_RESULTS_READONLY (or -Dnormlab.resultsReadOnly) must be 1 or 0 (true/false), got '"
                    + text + "'");
        };
    }

    /**
     * The same runs, never added to: a sweep that needs a run this store does not hold fails at once naming it
     * ({@link NotStored}) instead of computing it. {@code make report} reads the committed atlas this way, so every
     * page it rebuilds comes from the stored numbers.
     */
    public ResultStore readOnly() { return new ResultStore(root, retryFailed, warnings, disk, true); }

    public boolean isReadOnly() { return readOnly; }

    /** A sweep needs runs a {@link #readOnly() read-only} store does not hold. */
    public static final class NotStored extends IllegalStateException {
        public NotStored(String message) { super(message); }
    }

    /** {@code text} as a results folder: a one-line error naming {@code setting} if it cannot be one. */
    public static Path resultsFolder(String text, String setting) {
        Path p;
        try {
            p = Path.of(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(setting + "=" + text + " is not a path (" + e.getMessage() + "); give a folder");
        }
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw new IllegalArgumentException(setting + "=" + text + " is a file, not a folder; give a folder for the stored runs");
        }
        return p;
    }

    /** The same store, but runs stored as failed are computed again (and replaced) instead of reused. */
    public ResultStore retryingFailed() { return new ResultStore(root, true, warnings, disk, readOnly); }

    /** The same store, reporting stored runs that do not verify to {@code sink} (one line each). */
    public ResultStore reportingTo(Consumer<String> sink) { return new ResultStore(root, retryFailed, sink, disk, readOnly); }

    ResultStore onDisk(Disk d) { return new ResultStore(root, retryFailed, warnings, d, readOnly); }

    public Path root() { return root; }

    public boolean retriesFailed() { return retryFailed; }

    /**
     * The name of a run's files: the spec's {@link Spec#key() key} when there is no fingerprint, else the first 16 hex
     * digits of the SHA-256 of the spec's canonical text followed by the fingerprint ({@code ;data=…;runner=…}).
     */
    static String key(Spec<?> spec, String fingerprint) {
        return fingerprint.isEmpty() ? spec.key() : sha256((spec.canonical() + fingerprint).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    Path runFile(String study, Spec<?> c, String fingerprint) { return root.resolve(study).resolve(key(c, fingerprint) + ".run.csv"); }

    Path pointsFile(String study, Spec<?> c, String fingerprint) { return root.resolve(study).resolve(key(c, fingerprint) + ".points.csv"); }

    /** The stored log of this exact spec, if it finished before and its files verify. */
    public Optional<RunLog> load(String study, Spec<?> spec) { return load(study, spec, ""); }

    /**
     * The stored log of this exact spec run on the data and by the runner {@code fingerprint} names
     * ({@code ;data=…;runner=…}, empty for none), if it finished before and its files verify.
     */
    public Optional<RunLog> load(String study, Spec<?> spec, String fingerprint) {
        if (root == null) return Optional.empty();
        Path runFile = runFile(study, spec, fingerprint);
        if (!Files.exists(runFile)) return Optional.empty();
        RunLog log;
        try {
            log = read(runFile, pointsFile(study, spec, fingerprint), spec.canonical() + fingerprint);
        } catch (Damaged d) {
            warnings.accept("normlab: stored run " + d.file + " does not verify (" + d.getMessage() + "); recomputing it");
            return Optional.empty();
        }
        if (log == null) return Optional.empty();  // another spec with the same key: recompute
        if (retryFailed && log.failed()) return Optional.empty();
        return Optional.of(log);
    }

    /** Why a stored file cannot be trusted. */
    private static final class Damaged extends Exception {
        final Path file;

        Damaged(Path file, String why) {
            super(why, null, false, false);
            this.file = file;
        }
    }

    private static RunLog read(Path runFile, Path pointsFile, String specText) throws Damaged {
        List<String> lines = lines(runFile);
        if (lines.isEmpty() || !lines.get(0).equals(RUN_HEADER)) {
            throw new Damaged(runFile, lines.isEmpty() ? "empty" : "not results format " + FORMAT + " (header " + shorten(lines.get(0)) + ")");
        }
        if (lines.size() != 2) throw new Damaged(runFile, "expected one row, found " + (lines.size() - 1));
        String row = lines.get(1);
        List<String> f = Csv.split(row);
        if (f == null || f.size() != 10) throw new Damaged(runFile, "expected 10 fields, found " + (f == null ? "an unterminated quote" : f.size()));
        int lastComma = row.lastIndexOf(',');
        if (!sha256(row.substring(0, lastComma).getBytes(StandardCharsets.UTF_8)).equals(f.get(9))) throw new Damaged(runFile, "row checksum mismatch");
        if (!f.get(0).equals(Integer.toString(FORMAT))) throw new Damaged(runFile, "results format " + f.get(0) + ", this NormLab reads " + FORMAT);
        if (!f.get(2).equals(specText)) return null;
        int count = integer(runFile, "points", f.get(3));
        byte[] pointsBytes;
        try {
            pointsBytes = Files.readAllBytes(pointsFile);
        } catch (IOException e) {
            throw new Damaged(pointsFile, "cannot read it: " + e.getMessage());
        }
        if (!sha256(pointsBytes).equals(f.get(4))) throw new Damaged(pointsFile, "SHA-256 differs from the one its run file records");
        List<String> pl = new String(pointsBytes, StandardCharsets.UTF_8).lines().toList();
        if (pl.isEmpty() || !pl.get(0).equals(POINTS_HEADER)) throw new Damaged(pointsFile, "no header " + POINTS_HEADER);
        if (pl.size() - 1 != count) throw new Damaged(pointsFile, (pl.size() - 1) + " points, its run file records " + count);
        List<RunLog.Point> points = new ArrayList<>(count);
        for (int i = 1; i < pl.size(); i++) {
            String[] p = pl.get(i).split(",", -1);
            if (p.length != 4) throw new Damaged(pointsFile, "line " + (i + 1) + " has " + p.length + " fields, expected 4");
            points.add(new RunLog.Point(integer(pointsFile, "step", p[0]), number(pointsFile, "epoch", p[1]), p[2], number(pointsFile, "value", p[3])));
        }
        return RunLog.restore(points, integer(runFile, "diverged_at_step", f.get(5)), emptyToNull(f.get(6)), emptyToNull(f.get(7)),
                number(runFile, "wall_s", f.get(8)));
    }

    /** Stores a finished run (points first, then the run file that marks it complete). */
    public void save(String study, Spec<?> spec, RunLog log) { save(study, spec, "", log); }

    /** Stores a finished run under its spec and {@code fingerprint} (see {@link #load(String, Spec, String)}). */
    public void save(String study, Spec<?> spec, String fingerprint, RunLog log) {
        if (root == null) return;
        if (readOnly) throw new NotStored("ResultStore " + root + " is read-only: run " + key(spec, fingerprint) + " of " + study + " cannot be stored");
        StringBuilder points = new StringBuilder(POINTS_HEADER).append('\n');
        for (RunLog.Point p : log.points()) {
            if (p.metric().indexOf(',') >= 0 || p.metric().indexOf('\n') >= 0) {
                throw new IllegalArgumentException("ResultStore: metric name '" + p.metric() + "' may not contain a comma or a line break");
            }
            points.append(p.step()).append(',').append(Double.toString(p.epoch())).append(',').append(p.metric()).append(',')
                    .append(Double.toString(p.value())).append('\n');
        }
        byte[] pointsBytes = points.toString().getBytes(StandardCharsets.UTF_8);
        String row = String.join(",", Integer.toString(FORMAT), key(spec, fingerprint), Csv.quote(spec.canonical() + fingerprint), Integer.toString(log.points().size()),
                sha256(pointsBytes), Integer.toString(log.divergedAtStep()), Csv.quote(nullToEmpty(log.divergence())),
                Csv.quote(nullToEmpty(log.error())), Double.toString(log.wallSeconds()));
        row = row + "," + sha256(row.getBytes(StandardCharsets.UTF_8));
        write(pointsFile(study, spec, fingerprint), pointsBytes);
        write(runFile(study, spec, fingerprint), (RUN_HEADER + "\n" + row + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private void write(Path target, byte[] bytes) {
        Path dir = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, target.getFileName().toString(), ".part");
            disk.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            forceFolder(dir);
        } catch (IOException e) {
            try {
                if (tmp != null) Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the folder itself is unwritable: nothing was left behind either
            }
            throw new StoreException("cannot store a run in " + dir + ": " + reason(e) + "; free space, make the folder writable or choose "
                    + "another with --results (NORMLAB_RESULTS)", e);
        }
    }

    /** An I/O failure in words: these exceptions' messages are often only the path, which says nothing about why. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        if (e instanceof NoSuchFileException f) return "no such folder" + where(f);
        if (e instanceof NotDirectoryException f) return "not a folder" + where(f);
        if (e instanceof FileAlreadyExistsException f) return "a file is in the way" + where(f);
        if (e instanceof FileSystemException f) return "the file system refused" + where(f);
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String where(FileSystemException f) { return f.getFile() != null ? " (" + f.getFile() + ")" : ""; }

    /** Writing the store failed (a full disk, a read-only folder): the sweep stops, finished runs stay stored. */
    public static final class StoreException extends UncheckedIOException {
        StoreException(String message, IOException cause) { super(message, cause); }
    }

    private static void writeAndForce(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
    }

    /** Makes the rename durable where the OS can open a folder for it (Linux, macOS); elsewhere the rename is atomic only. */
    private static void forceFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a folder as a channel
        }
    }

    /**
     * Claims a run for this process, so that several processes on one folder share a sweep's work: a file
     * {@code <key>.claim} holding this process's pid, host and start time, created atomically. Null when another
     * live holder has it: a process on this host whose pid runs with the same start time, or one on another host whose
     * claim was touched in the last {@link #CLAIM_EXPIRY} (holders touch theirs every 20 s). A dead holder's claim is
     * taken over. A store without a folder always grants the claim.
     */
    public Claim claim(String study, Spec<?> spec, String fingerprint) {
        if (root == null) return new Claim(null);
        Path file = root.resolve(study).resolve(key(spec, fingerprint) + ".claim");
        try {
            Files.createDirectories(file.getParent());
            for (int attempt = 0; attempt < 2; attempt++) {
                try {
                    Files.writeString(file, ME, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    return new Claim(file);
                } catch (FileAlreadyExistsException held) {
                    if (holderAlive(file)) return null;
                    Files.deleteIfExists(file);  // its holder died: take it over (another taker may win the race: then it is held)
                }
            }
            return null;
        } catch (IOException e) {
            throw new StoreException("cannot claim a run in " + file.getParent() + ": " + reason(e) + "; free space, make the folder writable "
                    + "or choose another with --results (NORMLAB_RESULTS)", e);
        }
    }

    static final Duration CLAIM_EXPIRY = Duration.ofMinutes(2);

    private static final String HOST = host();
    private static final String ME = "pid=" + ProcessHandle.current().pid() + ";host=" + HOST + ";start="
            + ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L) + "\n";
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    static {
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "normlab-claim-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleWithFixedDelay(() -> {
            for (Path p : HELD) {
                try {
                    Files.setLastModifiedTime(p, FileTime.from(Instant.now()));
                } catch (IOException ignored) {
                    // released meanwhile
                }
            }
        }, 20, 20, TimeUnit.SECONDS);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static boolean holderAlive(Path file) {
        try {
            String text = Files.readString(file).trim();
            Map<String, String> f = new HashMap<>();
            for (String part : text.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0) f.put(part.substring(0, eq), part.substring(eq + 1));
            }
            if (HOST.equals(f.get("host")) && f.getOrDefault("pid", "").matches("[0-9]+") && f.getOrDefault("start", "").matches("[0-9]+")) {
                long pid = Long.parseLong(f.get("pid")), start = Long.parseLong(f.get("start"));
                return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).map(i -> i.toEpochMilli() == start).orElse(false);
            }
            // Another host, or a claim being written this instant: alive while its holder keeps touching it.
            return Files.getLastModifiedTime(file).toInstant().isAfter(Instant.now().minus(CLAIM_EXPIRY));
        } catch (IOException e) {
            return false;  // released meanwhile
        }
    }

    /** A run this process is computing; closing it releases the claim. */
    public static final class Claim implements AutoCloseable {
        private final Path file;

        Claim(Path file) {
            this.file = file;
            if (file != null) HELD.add(file);
        }

        @Override
        public void close() {
            if (file == null) return;
            HELD.remove(file);
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the folder went away or became unwritable: the claim expires with this process
            }
        }
    }

    private static List<String> lines(Path file) throws Damaged {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new Damaged(file, "cannot read it: " + e.getMessage());
        }
    }

    private static int integer(Path file, String what, String text) throws Damaged {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new Damaged(file, what + " '" + shorten(text) + "' is not an integer");
        }
    }

    private static double number(Path file, String what, String text) throws Damaged {
        // Double.parseDouble also takes "1d", " 1" or "0x1p3": only what Double.toString writes is accepted.
        if (!text.matches("NaN|-?Infinity|-?[0-9]+\\.[0-9]+(E-?[0-9]+)?")) throw new Damaged(file, what + " '" + shorten(text) + "' is not a number");
        return Double.parseDouble(text);
    }

    private static String shorten(String s) {
        String printable = s.replace("\0", "\\0");
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The little CSV the run file needs: fields quoted when they hold a comma, a quote or a line break. */
    static final class Csv {
        private Csv() {}

        static String quote(String s) {
            if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
            return '"' + s.replace("\"", "\"\"").replace("\r", "\\r").replace("\n", "\\n") + '"';
        }

        /** The fields of one line, or null if a quote is not closed. */
        static List<String> split(String line) {
            List<String> out = new ArrayList<>();
            StringBuilder f = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') { f.append('"'); i++; }
                    else if (c == '"') quoted = false;
                    else f.append(c);
                } else if (c == '"') quoted = true;
                else if (c == ',') { out.add(f.toString()); f.setLength(0); }
                else f.append(c);
            }
            if (quoted) return null;
            out.add(f.toString());
            return out.stream().map(s -> s.replace("\\n", "\n").replace("\\r", "\r")).toList();
        }
    }

    private static String nullToEmpty(String s) { return s == null ? "" : s; }

    private static String emptyToNull(String s) { return s == null || s.isEmpty() ? null : s; }
}
