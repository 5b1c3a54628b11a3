package org.normlab.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.normlab.model.Models;
import org.normlab.nn.Activation;
import org.normlab.nn.Conv2d;
import org.normlab.nn.Init;
import org.normlab.nn.Layer;
import org.normlab.nn.Linear;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.nn.Sequential;
import org.normlab.nn.loss.SoftmaxCrossEntropy;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.Norm;
import org.normlab.optim.Sgd;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * A measurement, not a test: what detecting a layer input changed between forward and backward would cost a LeNet-BN
 * training step (batch 256, as {@link LeNetStepBench}). Three identical models, stepped in interleaved blocks:
 * <ul>
 *   <li>plain;</li>
 *   <li>"counter": each layer wrapped in a check that records an int at forward and compares it at backward — the
 *       cost of a version-counter check (a field read and a compare per layer), without the bookkeeping a counter
 *       needs on every write;</li>
 *   <li>"fingerprint": each layer that reads its input in backward (Conv2d, Linear, BatchNorm) hashes that input at
 *       forward and again at backward — a check that sees writes made through {@link Tensor#data()}.</li>
 * </ul>
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) org.normlab.bench.InputMutationCheckBench [rounds] [steps per block]
 * </pre>
 */
public final class InputMutationCheckBench {
    private InputMutationCheckBench() {}

    /** Wraps one layer; the check is either the counter-like compare or the content fingerprint. */
    private static final class Checked implements Layer {
        private final Layer inner;
        private final boolean fingerprint;
        private Tensor input;
        private long recorded;
        static long hashNanos, hashes;

        Checked(Layer inner, boolean fingerprint) { this.inner = inner; this.fingerprint = fingerprint; }

        @Override
        public Tensor forward(Tensor x, Mode mode) {
            Tensor y = inner.forward(x, mode);
            input = x;
            recorded = fingerprint ? timedFingerprint(x.data()) : x.size();
            return y;
        }

        @Override
        public Tensor backward(Tensor dy) {
            long now = fingerprint ? timedFingerprint(input.data()) : input.size();
            if (now != recorded) throw new IllegalStateException(inner.describe() + ": input changed between forward and backward");
            return inner.backward(dy);
        }

        private static long timedFingerprint(float[] v) {
            long start = System.nanoTime();
            long h = fingerprint(v);
            hashNanos += System.nanoTime() - start;
            hashes++;
            return h;
        }

        @Override public List<Param> params() { return inner.params(); }
        @Override public List<Layer> children() { return List.of(inner); }
        @Override public String describe() { return inner.describe(); }
    }

    /** Four interleaved polynomial hashes of the raw float bits: any single changed value changes the result. */
    static long fingerprint(float[] v) {
        long h0 = 0, h1 = 0, h2 = 0, h3 = 0;
        final long p = 0x100000001b3L;
        int i = 0;
        for (; i + 3 < v.length; i += 4) {
            h0 = h0 * p + Float.floatToRawIntBits(v[i]);
            h1 = h1 * p + Float.floatToRawIntBits(v[i + 1]);
            h2 = h2 * p + Float.floatToRawIntBits(v[i + 2]);
            h3 = h3 * p + Float.floatToRawIntBits(v[i + 3]);
        }
        for (; i < v.length; i++) h0 = h0 * p + Float.floatToRawIntBits(v[i]);
        return ((h0 * 31 + h1) * 31 + h2) * 31 + h3;
    }

    private static Sequential model(int variant) {
        Sequential plain = Models.lenet(Norm.BN, Activation.Kind.SIGMOID, Init.xavier(), new Rng(42).split());
        if (variant == 0) return plain;
        List<Layer> wrapped = new ArrayList<>();
        for (Layer l : plain.layers()) {
            boolean readsInput = l instanceof Conv2d || l instanceof Linear || l instanceof BatchNorm;
            wrapped.add(variant == 1 ? new Checked(l, false) : readsInput ? new Checked(l, true) : l);
        }
        return new Sequential(wrapped);
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        int block = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int batch = 256;
        String[] names = {"plain", "counter", "fingerprint"};
        Sequential[] models = new Sequential[names.length];
        Sgd[] sgds = new Sgd[names.length];
        for (int v = 0; v < names.length; v++) {
            models[v] = model(v);
            sgds[v] = new Sgd(models[v].params(), 0.1, 0.9, 0, false);
        }
        Rng rng = new Rng(7);
        Tensor[] images = new Tensor[4];
        int[][] labels = new int[images.length][batch];
        for (int b = 0; b < images.length; b++) {
            images[b] = Tensor.randn(rng, 1f, batch, 1, 28, 28);
            for (int i = 0; i < batch; i++) labels[b][i] = rng.nextInt(10);
        }
        for (int s = 0; s < 30; s++) for (int v = 0; v < names.length; v++) step(models[v], sgds[v], images[s % 4], labels[s % 4]);
        Checked.hashNanos = Checked.hashes = 0;
        double[][] millis = new double[names.length][rounds * block];
        double[][] ratios = new double[names.length][rounds];
        for (int r = 0; r < rounds; r++) {
            double[] blockMedian = new double[names.length];
            for (int k = 0; k < names.length; k++) {
                int v = (r + k) % names.length;  // rotate the order, so no variant always runs first
                double[] t = new double[block];
                for (int s = 0; s < block; s++) {
                    long start = System.nanoTime();
                    step(models[v], sgds[v], images[s % 4], labels[s % 4]);
                    t[s] = (System.nanoTime() - start) / 1e6;
                    millis[v][r * block + s] = t[s];
                }
                blockMedian[v] = median(t);
            }
            for (int v = 0; v < names.length; v++) ratios[v][r] = blockMedian[v] / blockMedian[0];
        }
        System.out.printf(Locale.ROOT, "LeNet-BN step, batch %d, %d interleaved rounds of %d steps per variant, %d processors%n",
                batch, rounds, block, Runtime.getRuntime().availableProcessors());
        for (int v = 0; v < names.length; v++) {
            double[] rs = ratios[v].clone();
            Arrays.sort(rs);
            System.out.printf(Locale.ROOT, "  %-12s median %.2f ms; ratio to plain per round: median %.3f, range %.3f–%.3f%n",
                    names[v], median(millis[v]), median(ratios[v]), rs[0], rs[rs.length - 1]);
        }
        double hashMillisPerStep = Checked.hashNanos / 1e6 / (rounds * block);
        System.out.printf(Locale.ROOT, "  fingerprint hashing, timed inside the steps: %.2f ms per step (%d hashes per step), %.1f%% of plain's median%n",
                hashMillisPerStep, Checked.hashes / (rounds * block), 100 * hashMillisPerStep / median(millis[0]));
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static void step(Sequential model, Sgd sgd, Tensor x, int[] y) {
        sgd.zeroGrad();
        Tensor logits = model.forward(x, Mode.TRAIN);
        SoftmaxCrossEntropy.Result result = SoftmaxCrossEntropy.evaluate(logits, y);
        model.backward(result.gradLogits());
        sgd.step();
    }
}
