package org.normlab.bench;

import java.util.Arrays;
import java.util.Locale;
import org.normlab.kernels.Gemm;
import org.normlab.model.Models;
import org.normlab.nn.Activation;
import org.normlab.nn.Init;
import org.normlab.nn.Mode;
import org.normlab.nn.Sequential;
import org.normlab.nn.loss.SoftmaxCrossEntropy;
import org.normlab.norm.Norm;
import org.normlab.optim.Sgd;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * A measurement, not a test: milliseconds per LeNet-BN training step (forward, softmax cross-entropy, backward,
 * SGD update) on random (256, 1, 28, 28) batches, after warm-up.
 *
 * <pre>
 * mvn -q test-compile &amp;&amp; mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) org.normlab.bench.LeNetStepBench [batch] [warmup] [steps]
 * </pre>
 */
public final class LeNetStepBench {
    private LeNetStepBench() {}

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        Rng rng = new Rng(42);
        Sequential model = Models.lenet(Norm.BN, Activation.Kind.SIGMOID, Init.xavier(), rng.split());
        Sgd sgd = new Sgd(model.params(), 0.1, 0.9, 0, false);
        // A few fixed random batches, cycled, so data generation stays out of the timing.
        Tensor[] images = new Tensor[4];
        int[][] labels = new int[images.length][batch];
        for (int b = 0; b < images.length; b++) {
            images[b] = Tensor.randn(rng, 1f, batch, 1, 28, 28);
            for (int i = 0; i < batch; i++) labels[b][i] = rng.nextInt(10);
        }
        double loss = 0;
        for (int s = 0; s < warmup; s++) loss = step(model, sgd, images[s % images.length], labels[s % images.length]);
        double[] millis = new double[steps];
        for (int s = 0; s < steps; s++) {
            long start = System.nanoTime();
            loss = step(model, sgd, images[s % images.length], labels[s % images.length]);
            millis[s] = (System.nanoTime() - start) / 1e6;
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(millis).average().orElse(Double.NaN);
        System.out.println(model.describe());
        System.out.printf(Locale.ROOT, "GEMM backend: %s, Java %s, %d processors%n", Gemm.backend(), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "LeNet-BN step at batch %d: median %.1f ms, mean %.1f ms, min %.1f ms, max %.1f ms over %d steps"
                + " (after %d warm-up steps; last loss %.3f)%n", batch, sorted[steps / 2], mean, sorted[0], sorted[steps - 1], steps, warmup, loss);
    }

    private static double step(Sequential model, Sgd sgd, Tensor x, int[] y) {
        sgd.zeroGrad();
        Tensor logits = model.forward(x, Mode.TRAIN);
        SoftmaxCrossEntropy.Result result = SoftmaxCrossEntropy.evaluate(logits, y);
        model.backward(result.gradLogits());
        sgd.step();
        return result.loss();
    }
}
