package org.normlab.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.normlab.data.Batches;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.kernels.Gemm;
import org.normlab.kernels.Parallelism;
import org.normlab.model.Models;
import org.normlab.model.Placement;
import org.normlab.nn.Activation;
import org.normlab.nn.Init;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Sequential;
import org.normlab.nn.loss.SoftmaxCrossEntropy;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.GroupNorm;
import org.normlab.norm.LayerNorm;
import org.normlab.norm.Norm;
import org.normlab.optim.Sgd;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.normlab.kernels.Moments;

/**
 * A measurement, not a test: NormLab's side of {@code make bench} (scripts/bench.sh runs it, then
 * scripts/bench/torch_bench.py for PyTorch with the same cases, then scripts/bench/report.py joins both into
 * BENCHMARKS.md). Writes one tab-separated line per measurement: {@code case  layer  shape  op  millis  bytes}.
 *
 * <p>Cases (float32, kernels at {@code threads} threads, default 2): BN / LN / GN forward TRAIN, forward EVAL and
 * backward (after a TRAIN forward) at (256,16,10,10), (256,6,24,24), (128,64,32,32); BatchNorm on (256,1024); one
 * LeNet-BN training epoch on Fashion-MNIST (batch 256, sigmoid, SGD lr 1.0, shuffled, last batch partial); and the
 * memory-copy bandwidth of {@code System.arraycopy} on 64 MB (1 thread, and 2 threads on two halves).
 *
 * <p>Bytes moved are the minimal traffic of each operation, counted once per float: forward reads x and writes y
 * (8 bytes per element), backward reads x and dy and writes dx (12 bytes); a copy reads and writes (8 bytes). Our
 * kernels read x twice forward and x, dy twice backward (12 and 20 bytes actually touched), so 1.5–1.67× the
 * minimal time is their own best case.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp … org.normlab.bench.NormBench out.tsv [threads] [budgetSeconds] [--no-lenet]
 * </pre>
 */
public final class NormBench {
    private NormBench() {}

    static final int[][] SHAPES = {{256, 16, 10, 10}, {256, 6, 24, 24}, {128, 64, 32, 32}};

    /** Groups for GroupNorm: 4 when they divide C, else 2 (C = 6). Same rule as torch_bench.py. */
    static int groups(int c) { return c % 4 == 0 ? 4 : 2; }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/bench-normlab.tsv");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        double budget = args.length > 2 ? Double.parseDouble(args[2]) : 0.6;
        boolean withLenet = args.length <= 3 || !"--no-lenet".equals(args[3]);
        Parallelism.setThreads(threads);
        List<String> rows = new ArrayList<>();
        rows.add("#load-start\t" + load());
        rows.add("#java\t" + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        rows.add("#gemm\t" + Gemm.backend() + openBlasConfig());
        rows.add("#threads\t" + threads);
        rows.add("#reductions\t" + Moments.backend());

        // The copy bandwidth is measured at the start and again at the end; the faster of each is the reference
        // (STREAM's "best rate"): the first copies in a fresh JVM can run much slower than later ones, which would
        // lower the bandwidth bound below (docs/decisions/bench-method.md).
        double copy1 = copyMillis(1, budget), copy2 = copyMillis(2, budget);

        for (int[] shape : SHAPES) {
            int c = shape[1];
            bench(rows, "BN", () -> new BatchNorm(c), shape, budget);
            bench(rows, "LN", () -> new LayerNorm(new int[] {c, shape[2], shape[3]}), shape, budget);
            bench(rows, "GN", () -> new GroupNorm(groups(c), c), shape, budget);
        }
        bench(rows, "BN", () -> new BatchNorm(1024), new int[] {256, 1024}, budget);
        skeleton(rows, SHAPES[2], budget);

        if (withLenet) {
            Dataset train = FashionMnist.train();
            double[] epochs = lenetEpochMillis(train, rows);
            rows.add(row("lenet", "LeNet-BN", "[256,1,28,28]", "train epoch 1", epochs[0], 0));
            rows.add(row("lenet", "LeNet-BN", "[256,1,28,28]", "train epoch 2", epochs[1], 0));
            double[] mlp = mlpEpochMillis(train, rows);
            rows.add(row("mlp", "quickstart MLP", "[64,784]", "train epoch 1", mlp[0], 0));
            rows.add(row("mlp", "quickstart MLP", "[64,784]", "train epoch 2", mlp[1], 0));
            rows.add("#data\t" + FashionMnist.fromEnvironment().prepareAll());
        }
        double copy1End = copyMillis(1, budget), copy2End = copyMillis(2, budget);
        long copyBytes = 8L * COPY_FLOATS;
        rows.add(String.format(Locale.ROOT, "#copy\t2 threads: %.2f GB/s at the start of the run, %.2f GB/s at its end; 1 thread: %.2f and %.2f GB/s",
                copyBytes / (copy2 * 1e6), copyBytes / (copy2End * 1e6), copyBytes / (copy1 * 1e6), copyBytes / (copy1End * 1e6)));
        rows.add(row("copy", "System.arraycopy", "[" + COPY_FLOATS + "]", "copy 1 thread", Math.min(copy1, copy1End), copyBytes));
        rows.add(row("copy", "System.arraycopy", "[" + COPY_FLOATS + "]", "copy 2 threads", Math.min(copy2, copy2End), copyBytes));
        rows.add("#load-end\t" + load());
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            rows.forEach(w::println);
        }
    }

    /** ", OpenBLAS 0.3.x" of the native library Smile loads (bytedeco's build), or "" without it. */
    private static String openBlasConfig() {
        if (!Gemm.backend().startsWith("OpenBLAS")) return "";
        try {
            return ", " + openblas_nolapack.OPENBLAS_VERSION.trim() + " (bytedeco build)";
        } catch (Throwable e) {
            return "";
        }
    }

    /** The 1-, 5- and 15-minute load averages (Linux), or "" elsewhere. */
    private static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String row(String kase, String layer, String shape, String op, double millis, long bytes) {
        String line = String.join("\t", kase, layer, shape, op, String.format(Locale.ROOT, "%.4f", millis), Long.toString(bytes));
        System.out.printf(Locale.ROOT, "%-6s %-18s %-16s %-16s %10.3f ms%s%n", kase, layer, shape, op, millis,
                bytes > 0 ? String.format(Locale.ROOT, " %8.2f GB/s", bytes / (millis * 1e6)) : "");
        return line;
    }

    private static void bench(List<String> rows, String name, Supplier<Layer> factory, int[] shape, double budget) {
        Layer layer = factory.get();
        Tensor x = Tensor.randn(new Rng(1), 1f, shape), dy = Tensor.randn(new Rng(2), 1f, shape);
        String s = Arrays.toString(shape).replace(" ", "");
        long elems = x.size();
        List<Double> fwd = new ArrayList<>(), bwd = new ArrayList<>(), eval = new ArrayList<>();
        timeLoop(budget, () -> {
            long t0 = System.nanoTime();
            layer.forward(x, Mode.TRAIN);
            long t1 = System.nanoTime();
            layer.backward(dy);
            long t2 = System.nanoTime();
            fwd.add((t1 - t0) / 1e6);
            bwd.add((t2 - t1) / 1e6);
        }, fwd, bwd);
        timeLoop(budget / 2, () -> {
            long t0 = System.nanoTime();
            layer.forward(x, Mode.EVAL);
            eval.add((System.nanoTime() - t0) / 1e6);
        }, eval);
        rows.add(row("norm", name, s, "forward train", median(fwd), 8 * elems));
        rows.add(row("norm", name, s, "forward eval", median(eval), 8 * elems));
        rows.add(row("norm", name, s, "backward", median(bwd), 12 * elems));
    }

    /** Warms up for a third of the budget (at least 5 calls), then measures for the budget (at least 5 calls). */
    private static void timeLoop(double budgetSeconds, Runnable measuredCall, List<?>... clearAfterWarmUp) {
        long end = System.nanoTime() + (long) (budgetSeconds / 3 * 1e9);
        for (int i = 0; i < 5 || System.nanoTime() < end; i++) measuredCall.run();
        for (List<?> l : clearAfterWarmUp) l.clear();
        end = System.nanoTime() + (long) (budgetSeconds * 1e9);
        for (int i = 0; i < 5 || System.nanoTime() < end; i++) measuredCall.run();
    }

    /**
     * The memory traffic of one BatchNorm TRAIN step (forward, then backward) at {@code shape} and nothing else: on
     * four arrays of that size, as the layer's step touches x, y, dy and dx, plain Java loops read x, write y, read
     * x and dy, write dx, each once, split over the threads in memory order. It is the floor of any kernel whose
     * memory traffic is these bytes, written with ordinary stores: the time of the step's bytes on this machine's load
     * and store paths, with no arithmetic. (Compiled Java code has no non-temporal store; HotSpot's arraycopy uses
     * them for copies of several MB on AVX-512 machines, so the copy reference is not bound by the same store path.)
     * Rows: each of the four passes, in milliseconds.
     */
    private static void skeleton(List<String> rows, int[] shape, double budget) {
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b), threads = Parallelism.threads();
        float[] x = Tensor.randn(new Rng(1), 1f, n).data(), y = new float[n], dy = Tensor.randn(new Rng(2), 1f, n).data(), dx = new float[n];
        double[] partial = new double[threads];
        List<Double> readX = new ArrayList<>(), writeY = new ArrayList<>(), readXDy = new ArrayList<>(), writeDx = new ArrayList<>();
        timeLoop(budget, () -> {
            long t0 = System.nanoTime();
            Parallelism.forEach(threads, n, part -> partial[part] = sum(x, null, from(n, part, threads), from(n, part + 1, threads)));
            long t1 = System.nanoTime();
            Parallelism.forEach(threads, n, part -> fill(y, from(n, part, threads), from(n, part + 1, threads), 1f));
            long t2 = System.nanoTime();
            Parallelism.forEach(threads, 2L * n, part -> partial[part] += sum(x, dy, from(n, part, threads), from(n, part + 1, threads)));
            long t3 = System.nanoTime();
            Parallelism.forEach(threads, n, part -> fill(dx, from(n, part, threads), from(n, part + 1, threads), 2f));
            long t4 = System.nanoTime();
            readX.add((t1 - t0) / 1e6);
            writeY.add((t2 - t1) / 1e6);
            readXDy.add((t3 - t2) / 1e6);
            writeDx.add((t4 - t3) / 1e6);
        }, readX, writeY, readXDy, writeDx);
        if (!Double.isFinite(Arrays.stream(partial).sum())) throw new AssertionError("skeleton: sums of finite data not finite");
        String s = Arrays.toString(shape).replace(" ", "");
        rows.add(row("skeleton", "memory skeleton", s, "read x", median(readX), 4L * n));
        rows.add(row("skeleton", "memory skeleton", s, "write y", median(writeY), 4L * n));
        rows.add(row("skeleton", "memory skeleton", s, "read x, dy", median(readXDy), 8L * n));
        rows.add(row("skeleton", "memory skeleton", s, "write dx", median(writeDx), 4L * n));
    }

    private static int from(int n, int part, int parts) { return (int) ((long) n * part / parts); }

    private static final VectorSpecies<Float> LANES = FloatVector.SPECIES_PREFERRED;

    /**
     * Σ a (+ Σ b) over [from, to) with four vector accumulators, so the loads, not the additions' latency, set the
     * pace (a scalar float sum would add one value per 4 cycles, far below the memory's rate).
     */
    private static double sum(float[] a, float[] b, int from, int to) {
        FloatVector s0 = FloatVector.zero(LANES), s1 = s0, s2 = s0, s3 = s0;
        int step = 4 * LANES.length(), i = from;
        for (; i + step <= to; i += step) {
            s0 = s0.add(FloatVector.fromArray(LANES, a, i));
            s1 = s1.add(FloatVector.fromArray(LANES, a, i + LANES.length()));
            s2 = s2.add(FloatVector.fromArray(LANES, a, i + 2 * LANES.length()));
            s3 = s3.add(FloatVector.fromArray(LANES, a, i + 3 * LANES.length()));
            if (b != null) {
                s0 = s0.add(FloatVector.fromArray(LANES, b, i));
                s1 = s1.add(FloatVector.fromArray(LANES, b, i + LANES.length()));
                s2 = s2.add(FloatVector.fromArray(LANES, b, i + 2 * LANES.length()));
                s3 = s3.add(FloatVector.fromArray(LANES, b, i + 3 * LANES.length()));
            }
        }
        double total = s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) total += a[i] + (b != null ? b[i] : 0);
        return total;
    }

    /** a[from, to) = v with a plain loop, as the kernels store (C2 vectorizes it). */
    private static void fill(float[] a, int from, int to, float v) {
        for (int i = from; i < to; i++) a[i] = v;
    }

    private static final int COPY_FLOATS = 16 << 20;  // 64 MB

    /** Median milliseconds to copy 64 MB of floats, on one thread or split in halves over two. */
    private static double copyMillis(int threads, double budget) {
        float[] src = new float[COPY_FLOATS], dst = new float[COPY_FLOATS];
        Arrays.fill(src, 1f);
        List<Double> times = new ArrayList<>();
        int saved = Parallelism.threads();
        Parallelism.setThreads(threads);
        Runnable copy = () -> {
            long t0 = System.nanoTime();
            Parallelism.forEach(threads, COPY_FLOATS, part -> {
                int from = (int) ((long) COPY_FLOATS * part / threads), to = (int) ((long) COPY_FLOATS * (part + 1) / threads);
                System.arraycopy(src, from, dst, from, to - from);
            });
            times.add((System.nanoTime() - t0) / 1e6);
        };
        timeLoop(budget, copy, times);
        Parallelism.setThreads(saved);
        return median(times);
    }

    /**
     * Two LeNet-BN epochs (d2l's: sigmoid, SGD lr 1.0, batch 256) from a fresh model, each timed: the first includes
     * the JIT's warm-up (the Vector API kernels run slowly until C2 compiles them), the second is the steady state.
     * Milliseconds of each.
     */
    private static double[] lenetEpochMillis(Dataset train, List<String> rows) {
        Rng rng = new Rng(42);
        Sequential model = Models.lenet(Norm.BN, Activation.Kind.SIGMOID, Init.xavier(), rng.split());
        Sgd sgd = new Sgd(model.params(), 1.0, 0, 0, false);
        double[] millis = new double[2];
        for (int epoch = 0; epoch < 2; epoch++) {
            long t0 = System.nanoTime();
            double lossSum = 0;
            long correct = 0;
            for (Dataset batch : new Batches(train, 256, rng.split(), false)) {
                SoftmaxCrossEntropy.Result r = step(model, sgd, batch);
                lossSum += r.loss() * batch.size();
                correct += r.correct();
            }
            millis[epoch] = (System.nanoTime() - t0) / 1e6;
            rows.add(String.format(Locale.ROOT, "#lenet-normlab-%d\tmean train loss %.4f, train accuracy %.4f during epoch %d",
                    epoch + 1, lossSum / train.size(), correct / (double) train.size(), epoch + 1));
        }
        return millis;
    }

    /**
     * Two epochs of the quickstart's base network (Quickstart.baseConfig at default scale: a sigmoid MLP
     * 784 → 256 → 256 → 256 → 10 without norm, Xavier init, SGD lr 0.1, batch 64) from a fresh model, each timed.
     */
    private static double[] mlpEpochMillis(Dataset train, List<String> rows) {
        Rng rng = new Rng(7);
        Sequential model = Models.mlp(new int[] {784, 256, 256, 256, 10}, Activation.Kind.SIGMOID, Norm.NONE, Placement.BEFORE,
                Init.xavier(), rng.split());
        Sgd sgd = new Sgd(model.params(), 0.1, 0, 0, false);
        double[] millis = new double[2];
        for (int epoch = 0; epoch < 2; epoch++) {
            long t0 = System.nanoTime();
            double lossSum = 0;
            for (Dataset batch : new Batches(train, 64, rng.split(), false)) lossSum += step(model, sgd, batch).loss() * batch.size();
            millis[epoch] = (System.nanoTime() - t0) / 1e6;
            rows.add(String.format(Locale.ROOT, "#mlp-normlab-%d\tmean train loss %.4f during epoch %d", epoch + 1, lossSum / train.size(), epoch + 1));
        }
        return millis;
    }

    private static SoftmaxCrossEntropy.Result step(Sequential model, Sgd sgd, Dataset batch) {
        sgd.zeroGrad();
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.evaluate(model.forward(batch.inputs(), Mode.TRAIN), batch.labels());
        model.backwardToParameters(r.gradLogits());  // as Trainer (PyTorch skips the data's gradient too)
        sgd.step();
        return r;
    }

    private static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
