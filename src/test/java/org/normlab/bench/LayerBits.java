package org.normlab.bench;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.normlab.kernels.Parallelism;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.norm.RecurrentNorm;
import org.normlab.norm.StepNorm;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.BatchRenorm;
import org.normlab.norm.GhostBatchNorm;
import org.normlab.norm.GroupNorm;
import org.normlab.norm.InstanceNorm;
import org.normlab.norm.LayerNorm;
import org.normlab.norm.NoisyBatchNorm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * The bit-identity check of the normalization kernels: SHA-256 over the float bits of every output, input
 * gradient, dγ, dβ and running statistic of BN, LN, GN, IN, BatchRenorm, GhostBN, NoisyBN and StepNorm, over a grid
 * of shapes that reaches every kernel path (small and wide (N,C), C not a multiple of the vector width, runs
 * shorter and longer than the 1024-value chunk, (N,C,H,W) inside and beyond the cores' caches, odd N and C, NaN
 * input), in TRAIN then EVAL, with 1 and 2 kernel threads. Prints one line per case; a refactor of the kernels
 * must leave the output unchanged. The Vector API is chosen at class load, so run it twice:
 * <pre>
 * mvn -B -ntp -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * CP=target/classes:target/test-classes:$(cat target/cp.txt)
 * java --add-modules jdk.incubator.vector -cp $CP org.normlab.bench.LayerBits
 * java --add-modules jdk.incubator.vector -Dnormlab.vector=false -cp $CP org.normlab.bench.LayerBits
 * </pre>
 * Each line carries no backend name, so the two runs' outputs must also equal each other.
 */
public final class LayerBits {
    private LayerBits() {}

    public static void main(String[] args) {
        List<String> lines = new ArrayList<>();
        for (int threads : new int[] {1, 2}) {
            Parallelism.setThreads(threads);
            for (Case c : cases()) lines.add("threads=" + threads + " " + c.name + " " + run(c));
            lines.add("threads=" + threads + " StepNorm(LN)[8, 12] " + stepNorm(RecurrentNorm.LN, 8, 12));
            lines.add("threads=" + threads + " StepNorm(LN, 0.1)[5, 300] " + stepNorm(RecurrentNorm.layer(0.1), 5, 300));
            lines.add("threads=" + threads + " StepNorm(BN)[16, 12] " + stepNorm(RecurrentNorm.BN, 16, 12));
            lines.add("threads=" + threads + " StepNorm(BN, 0.1)[7, 40] " + stepNorm(RecurrentNorm.batchPerStep(0.1), 7, 40));
        }
        lines.forEach(System.out::println);
    }

    record Case(String name, Supplier<Layer> layer, int[] shape, boolean nan, Function<Layer, float[][]> running) {}

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        int[][] bnShapes = {{4, 3}, {7, 37}, {33, 40}, {256, 1024}, {5, 3, 7}, {6, 4, 70}, {7, 5, 3, 11}, {6, 3, 40, 40},
                {1, 2, 5, 5}, {128, 64, 32, 32}, {65, 16, 32, 32}, {41, 7, 64, 64}};
        for (int[] s : bnShapes) {
            int ch = s[1];
            cases.add(new Case("BN" + Arrays.toString(s), () -> new BatchNorm(ch), s, false, LayerBits::bnRunning));
            if (s.length < 4 || s[0] * s[1] < 2000) {
                cases.add(new Case("BN(cumulative)" + Arrays.toString(s), () -> new BatchNorm(ch, 1e-3, null, true, true), s, false, LayerBits::bnRunning));
                cases.add(new Case("BN(no affine)" + Arrays.toString(s), () -> new BatchNorm(ch, 1e-5, 0.1, false, true), s, false, LayerBits::bnRunning));
                cases.add(new Case("BN(no running)" + Arrays.toString(s), () -> new BatchNorm(ch, 1e-5, 0.1, true, false), s, false, LayerBits::bnRunning));
            }
        }
        for (int[] s : new int[][] {{7, 37}, {256, 1024}, {6, 3, 40, 40}, {41, 7, 64, 64}}) {
            cases.add(new Case("BN+NaN" + Arrays.toString(s), () -> new BatchNorm(s[1]), s, true, LayerBits::bnRunning));
        }
        // LayerNorm: normalized shape = the trailing dims after the first.
        int[][] lnShapes = {{4, 10}, {70, 37}, {64, 1000}, {2, 5000}, {3, 20000}, {8, 3, 5, 5}, {9, 16, 12, 12}};
        for (int[] s : lnShapes) {
            int[] normalized = Arrays.copyOfRange(s, 1, s.length);
            cases.add(new Case("LN" + Arrays.toString(s), () -> new LayerNorm(normalized), s, false, l -> new float[0][]));
            cases.add(new Case("LN(no affine)" + Arrays.toString(s), () -> new LayerNorm(normalized, 1e-5, false), s, false, l -> new float[0][]));
        }
        cases.add(new Case("LN+NaN[70, 37]", () -> new LayerNorm(37), new int[] {70, 37}, true, l -> new float[0][]));
        // LayerNorm over the last dim only of a 3-d input
        cases.add(new Case("LN(last)[6, 5, 130]", () -> new LayerNorm(130), new int[] {6, 5, 130}, false, l -> new float[0][]));
        int[][] gnShapes = {{4, 6, 3}, {5, 6, 7, 7, 2}, {8, 32, 16, 16, 8}, {8, 32, 16, 16, 1}, {8, 32, 16, 16, 32}, {3, 10, 1}, {3, 9, 70, 3},
                {128, 64, 32, 32, 32}, {7, 12, 33, 33, 4}};
        for (int[] g : gnShapes) {
            int[] s = Arrays.copyOf(g, g.length - 1);
            int groups = g[g.length - 1];
            cases.add(new Case("GN(G=" + groups + ")" + Arrays.toString(s), () -> new GroupNorm(groups, s[1]), s, false, l -> new float[0][]));
            cases.add(new Case("GN(G=" + groups + ", no affine)" + Arrays.toString(s), () -> new GroupNorm(groups, s[1], 1e-5, false), s, false, l -> new float[0][]));
        }
        cases.add(new Case("GN+NaN[5, 6, 7, 7]", () -> new GroupNorm(2, 6), new int[] {5, 6, 7, 7}, true, l -> new float[0][]));
        int[][] inShapes = {{4, 3, 10, 10}, {3, 5, 70}, {5, 4, 40, 40}, {9, 7, 3, 3}, {128, 64, 32, 32}};
        for (int[] s : inShapes) {
            cases.add(new Case("IN" + Arrays.toString(s), () -> new InstanceNorm(s[1]), s, false, LayerBits::inRunning));
            cases.add(new Case("IN(affine, running)" + Arrays.toString(s), () -> new InstanceNorm(s[1], 1e-5, 0.1, true, true), s, false, LayerBits::inRunning));
            cases.add(new Case("IN(affine)" + Arrays.toString(s), () -> new InstanceNorm(s[1], 1e-3, 0.3, true, false), s, false, LayerBits::inRunning));
        }
        cases.add(new Case("IN+NaN[5, 4, 40, 40]", () -> new InstanceNorm(4, 1e-5, 0.1, true, true), new int[] {5, 4, 40, 40}, true, LayerBits::inRunning));
        for (int[] s : new int[][] {{8, 5}, {16, 6, 9, 9}, {33, 4, 20, 20}}) {
            cases.add(new Case("BRN" + Arrays.toString(s), () -> new BatchRenorm(s[1], 1e-5, 0.1, 3, 5, 1, 2), s, false,
                    l -> new float[][] {((BatchRenorm) l).runningMean().data(), ((BatchRenorm) l).runningVar().data()}));
            cases.add(new Case("GhostBN(v=3)" + Arrays.toString(s), () -> new GhostBatchNorm(s[1], 3), s, false,
                    l -> bnRunning(((GhostBatchNorm) l).batchNorm())));
            cases.add(new Case("NoisyBN" + Arrays.toString(s), () -> new NoisyBatchNorm(s[1], 0.5, 0.5, new Rng(11)), s, false,
                    l -> bnRunning(((NoisyBatchNorm) l).batchNorm())));
        }
        return cases;
    }

    private static float[][] bnRunning(Layer l) {
        BatchNorm bn = (BatchNorm) l;
        if (bn.runningMean() == null) return new float[0][];
        return new float[][] {bn.runningMean().data(), bn.runningVar().data(), {bn.batchesTracked()}};
    }

    private static float[][] inRunning(Layer l) {
        InstanceNorm in = (InstanceNorm) l;
        return in.runningMean() == null ? new float[0][] : new float[][] {in.runningMean().data(), in.runningVar().data()};
    }

    /** TRAIN, TRAIN (each with a backward), EVAL, EVAL (which keep nothing for one), hashing y, dx, dγ, dβ and the running statistics. */
    private static String run(Case c) {
        Rng rng = new Rng(Arrays.hashCode(c.shape) * 31L + c.name.hashCode());
        Layer layer = c.layer.get();
        for (Param p : layer.params()) {
            float[] v = p.value().data();
            for (int i = 0; i < v.length; i++) v[i] = (float) (p.name().startsWith("gamma") ? 1 + 0.5 * rng.nextGaussian() : 0.3 * rng.nextGaussian());
        }
        Digest y = new Digest(), dx = new Digest(), dg = new Digest(), db = new Digest(), running = new Digest();
        StringBuilder errors = new StringBuilder();
        Mode[] modes = {Mode.TRAIN, Mode.TRAIN, Mode.EVAL, Mode.EVAL};
        for (int step = 0; step < modes.length; step++) {
            Tensor x = input(rng, c.shape, 3 - step, 1 + step);
            if (c.nan && (step == 1 || step == 3)) x.data()[x.size() / 2 + 1] = step == 1 ? Float.NaN : Float.POSITIVE_INFINITY;
            Tensor gradient = input(rng, c.shape, 0, 1);
            try {
                y.add(layer.forward(x, modes[step]).data());
                if (modes[step] == Mode.TRAIN) dx.add(layer.backward(gradient).data());
            } catch (IllegalArgumentException e) {
                errors.append('[').append(step).append(": ").append(e.getMessage()).append(']');
            }
            for (Param p : layer.params()) (p.name().startsWith("gamma") ? dg : db).add(p.grad().data());
            for (float[] r : c.running.apply(layer)) running.add(r);
        }
        return "y=" + y + " dx=" + dx + " dgamma=" + dg + " dbeta=" + db + " running=" + running + (errors.isEmpty() ? "" : " errors=" + errors);
    }

    private static Tensor input(Rng rng, int[] shape, double offset, double scale) {
        Tensor t = Tensor.zeros(shape);
        float[] v = t.data();
        for (int i = 0; i < v.length; i++) v[i] = (float) (offset + scale * rng.nextGaussian());
        return t;
    }

    /** SHA-256 over float bits, printed as its first 16 hex digits. */
    private static final class Digest {
        private final MessageDigest sha;

        Digest() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void add(float[] values) {
            ByteBuffer bytes = ByteBuffer.allocate(4 * values.length);
            for (float v : values) bytes.putInt(Float.floatToRawIntBits(v));
            sha.update(bytes.array());
        }

        @Override
        public String toString() { return HexFormat.of().formatHex(sha.digest(), 0, 8); }
    }

    /** StepNorm (LN and BN per step) over two steps of a sequence: TRAIN then EVAL. */
    static String stepNorm(RecurrentNorm norm, int rows, int features) {
        Rng rng = new Rng(rows * 131L + features);
        StepNorm sn = new StepNorm(norm, features, "Ih", true);
        for (Param p : sn.params()) {
            float[] v = p.value().data();
            for (int i = 0; i < v.length; i++) v[i] = (float) (p.name().startsWith("gamma") ? 1 + 0.5 * rng.nextGaussian() : 0.3 * rng.nextGaussian());
        }
        Digest y = new Digest(), dx = new Digest(), params = new Digest(), running = new Digest();
        for (Mode mode : new Mode[] {Mode.TRAIN, Mode.TRAIN, Mode.EVAL}) {
            sn.startSequence();
            List<float[]> grads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                y.add(sn.forward(t, input(rng, new int[] {rows, features}, 2 - t, 1 + t).data(), rows, mode));
                grads.add(input(rng, new int[] {rows, features}, 0, 1).data());
            }
            for (int t = 2; t >= 0; t--) dx.add(sn.backward(t, grads.get(t)));
            for (Param p : sn.params()) params.add(p.grad().data());
        }
        for (int t = 0; t < sn.stepsTracked(); t++) {
            running.add(sn.runningMean(t).data());
            running.add(sn.runningVar(t).data());
        }
        return "y=" + y + " dx=" + dx + " dparams=" + params + " running=" + running;
    }
}
