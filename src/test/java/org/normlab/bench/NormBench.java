package org.normlab.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.GroupNorm;
import org.normlab.norm.LayerNorm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * A measurement, not a test: BN / LN / GN forward (TRAIN) + backward times at (256,16,10,10) and (128,64,32,32)
 * float32, with the effective bandwidth of the minimal memory traffic (forward reads x and writes y; backward reads
 * x and dy and writes dx: 20 bytes per element in all), then one LeNet-BN training step at batch 256. Run by
 * {@code make bench}.
 */
public final class NormBench {
    private NormBench() {}

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        System.out.printf(Locale.ROOT, "Java %s, %d processors, %s%n", System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.arch"));
        System.out.printf(Locale.ROOT, "%-6s %-18s %12s %12s %14s%n", "layer", "shape", "fwd ms", "fwd+bwd ms", "eff. GB/s");
        for (int[] shape : new int[][] {{256, 16, 10, 10}, {128, 64, 32, 32}}) {
            Map<String, Supplier<Layer>> layers = new LinkedHashMap<>();
            int c = shape[1];
            layers.put("BN", () -> new BatchNorm(c));
            layers.put("LN", () -> new LayerNorm(new int[] {c, shape[2], shape[3]}));
            layers.put("GN", () -> new GroupNorm(4, c));
            Tensor x = Tensor.randn(new Rng(1), 1f, shape), dy = Tensor.randn(new Rng(2), 1f, shape);
            for (var e : layers.entrySet()) {
                Layer layer = e.getValue().get();
                double[] fwd = new double[reps], both = new double[reps];
                for (int r = -5; r < reps; r++) {  // 5 warm-up repetitions
                    long t0 = System.nanoTime();
                    layer.forward(x, Mode.TRAIN);
                    long t1 = System.nanoTime();
                    layer.backward(dy);
                    long t2 = System.nanoTime();
                    if (r >= 0) { fwd[r] = (t1 - t0) / 1e6; both[r] = (t2 - t0) / 1e6; }
                }
                double f = median(fwd), b = median(both);
                double gbs = 20.0 * x.size() / (b * 1e6);
                System.out.printf(Locale.ROOT, "%-6s %-18s %12.2f %12.2f %14.2f%n", e.getKey(), Arrays.toString(shape), f, b, gbs);
            }
        }
        LeNetStepBench.main(new String[] {"256", "20", String.valueOf(Math.max(reps, 20))});
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
