package org.normlab.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.normlab.model.MBConv;
import org.normlab.model.MbConvNet;
import org.normlab.model.Models;
import org.normlab.model.SqueezeExcite;
import org.normlab.nn.Activation;
import org.normlab.nn.AvgPool2d;
import org.normlab.nn.Conv2d;
import org.normlab.nn.DepthwiseConv2d;
import org.normlab.nn.Init;
import org.normlab.nn.Layer;
import org.normlab.nn.MaxPool2d;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.nn.Sequential;
import org.normlab.nn.loss.BceWithLogits;
import org.normlab.nn.loss.Mse;
import org.normlab.nn.loss.SoftmaxCrossEntropy;
import org.normlab.norm.Norm;
import org.normlab.optim.Sgd;
import org.normlab.kernels.Parallelism;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * A check for refactorings, not a test: prints one SHA-256 (over the float bits) per layer, call and tensor, so two
 * runs, before and after a change, can be compared with {@code diff}. Covers Conv2d, DepthwiseConv2d, AvgPool2d and
 * MaxPool2d over consecutive calls (the second of the same shape reuses the layer's buffers, a third of another shape
 * reallocates them, a fourth reuses again), at 1 and 2 kernel threads; the MBConv and SqueezeExcite blocks; the
 * losses; and a LeNet and an MBConv net through forward, loss, backward and three SGD steps.
 *
 * <pre>
 * mvn -q -o package -DskipTests
 * java -cp 'target/classes:target/test-classes:target/lib/*' org.normlab.bench.NnBits [out.txt]
 * </pre>
 */
public final class NnBits {
    private final List<String> lines = new ArrayList<>();
    private int threads;

    private NnBits() {}

    public static void main(String[] args) throws IOException {
        NnBits bits = new NnBits();
        for (int t : new int[] {1, 2}) {
            Parallelism.setThreads(t);
            bits.threads = t;
            bits.layers();
            bits.losses();
            bits.networks();
        }
        if (args.length > 0) {
            Files.write(Path.of(args[0]), bits.lines);
        } else {
            PrintStream out = System.out;
            bits.lines.forEach(out::println);
        }
    }

    private void layers() {
        // Conv2d: kernel sizes, strides, paddings, odd and non-square images; the last ones are big enough for two threads.
        int[][] convs = { // in, out, kH, kW, stride, padding, N, H, W, bias
            {1, 6, 5, 5, 1, 0, 4, 28, 28, 1}, {6, 16, 5, 5, 1, 0, 3, 12, 12, 0}, {3, 4, 3, 3, 1, 1, 2, 7, 9, 1},
            {3, 5, 3, 3, 2, 1, 3, 11, 13, 1}, {2, 3, 1, 1, 1, 0, 2, 5, 5, 1}, {4, 2, 2, 3, 3, 2, 2, 9, 8, 1},
            {2, 3, 7, 7, 2, 3, 2, 15, 17, 0}, {1, 16, 3, 3, 2, 1, 16, 28, 28, 1}, {1, 16, 3, 3, 1, 1, 16, 28, 28, 1},
            {16, 32, 3, 3, 1, 1, 8, 14, 14, 1},
            // Padding so wide that some kernel offsets see only padding, at stride 1 (row copies) and 2.
            {2, 3, 7, 7, 1, 2, 2, 3, 3, 1}, {1, 2, 5, 5, 1, 3, 2, 1, 1, 1}, {2, 2, 5, 3, 2, 3, 2, 2, 4, 0},
        };
        for (int[] c : convs) {
            String name = "Conv2d in" + c[0] + " out" + c[1] + " k" + c[2] + "x" + c[3] + " s" + c[4] + " p" + c[5] + " x[" + c[6] + ","
                    + c[0] + "," + c[7] + "," + c[8] + "]" + (c[9] == 0 ? " nobias" : "");
            Supplier<Layer> make = () -> new Conv2d(c[0], c[1], c[2], c[3], c[4], c[5], c[9] != 0);
            layerSteps(name, make, new int[] {c[6], c[0], c[7], c[8]}, true);
        }
        int[][] depthwise = { // C, kH, kW, stride, padding, N, H, W, bias
            {4, 3, 3, 1, 1, 2, 7, 9, 1}, {3, 5, 5, 2, 2, 3, 11, 13, 0}, {2, 3, 3, 2, 1, 2, 14, 14, 1}, {5, 1, 3, 1, 0, 2, 6, 5, 1},
            {64, 3, 3, 1, 1, 8, 14, 14, 1}, {3, 5, 5, 1, 3, 2, 2, 2, 1}, {2, 7, 3, 2, 3, 2, 4, 3, 0},
        };
        for (int[] d : depthwise) {
            String name = "DepthwiseConv2d C" + d[0] + " k" + d[1] + "x" + d[2] + " s" + d[3] + " p" + d[4] + " x[" + d[5] + "," + d[0]
                    + "," + d[6] + "," + d[7] + "]" + (d[8] == 0 ? " nobias" : "");
            layerSteps(name, () -> new DepthwiseConv2d(d[0], d[1], d[2], d[3], d[4], d[8] != 0), new int[] {d[5], d[0], d[6], d[7]}, false);
        }
        int[][] pools = { // kernel, stride, N, C, H, W
            {2, 2, 4, 6, 24, 24}, {2, 2, 3, 2, 7, 9}, {2, 2, 2, 3, 8, 5}, {3, 1, 2, 3, 7, 8}, {3, 2, 2, 2, 9, 11}, {2, 1, 2, 2, 5, 6},
            {1, 1, 2, 2, 3, 4}, {4, 3, 2, 2, 10, 13}, {2, 2, 32, 16, 24, 24}, {3, 2, 16, 8, 25, 25},
        };
        for (int[] p : pools) {
            String shape = " k" + p[0] + " s" + p[1] + " x[" + p[2] + "," + p[3] + "," + p[4] + "," + p[5] + "]";
            int[] inShape = {p[2], p[3], p[4], p[5]};
            layerSteps("AvgPool2d" + shape, () -> new AvgPool2d(p[0], p[1]), inShape, false);
            layerSteps("MaxPool2d" + shape, () -> new MaxPool2d(p[0], p[1]), inShape, false);
        }
        layerSteps("SqueezeExcite C8 R2", () -> init(new SqueezeExcite(8, 2)), new int[] {3, 8, 5, 6}, false);
        layerSteps("MBConv 8->8 e1 s1 BN", () -> init(new MBConv(8, 8, 1, 1, Norm.BN)), new int[] {3, 8, 7, 7}, false);
        layerSteps("MBConv 8->12 e4 s2 none", () -> init(new MBConv(8, 12, 4, 2, Norm.NONE)), new int[] {3, 8, 9, 9}, false);
        layerSteps("MBConv 8->8 e4 k5 s1 GN2", () -> init(new MBConv(8, 8, 4, 5, 1, Norm.GN(2))), new int[] {2, 8, 6, 6}, false);
    }

    private static Layer init(Layer layer) {
        Init.he().apply(layer, new Rng(5));
        return layer;
    }

    /**
     * Four forward/backward calls on one layer: shapes s, s, s' (the batch grown by one), s'. Gradients accumulate over
     * the calls (no zeroing), as backward adds into them. Conv2d's parameter-only backward is hashed on a second layer.
     */
    private void layerSteps(String name, Supplier<Layer> make, int[] shape, boolean parameterOnlyToo) {
        Rng rng = new Rng(name.hashCode());
        Layer layer = make.get();
        randomParams(layer, rng);
        int[] grown = shape.clone();
        grown[0]++;
        int[][] shapes = {shape, shape, grown, grown};
        for (int call = 0; call < shapes.length; call++) {
            Tensor x = input(rng, shapes[call], name.startsWith("MaxPool2d"));
            Tensor y = layer.forward(x, Mode.TRAIN);
            record(name, call, "y", y);
            Tensor dy = Tensor.randn(rng, 1f, y.shape());
            Tensor dx = layer.backward(dy);
            record(name, call, "dx", dx);
            for (Param p : layer.params()) record(name, call, "d" + p.name(), p.grad());
        }
        if (!parameterOnlyToo) return;
        Layer second = make.get();
        randomParams(second, rng);
        for (int call = 0; call < shapes.length; call++) {
            Tensor x = input(rng, shapes[call], false);
            Tensor y = second.forward(x, Mode.TRAIN);
            record(name + " paramsOnly", call, "y", y);
            second.backwardToParameters(Tensor.randn(rng, 1f, y.shape()));
            for (Param p : second.params()) record(name + " paramsOnly", call, "d" + p.name(), p.grad());
        }
    }

    private static void randomParams(Layer layer, Rng rng) {
        for (Param p : layer.params()) {
            float[] v = p.value().data();
            for (int i = 0; i < v.length; i++) v[i] = (float) (0.5 * rng.nextGaussian());
        }
    }

    /** Gaussian values; for max pooling, values rounded to a coarse grid (ties) and an occasional NaN. */
    private static Tensor input(Rng rng, int[] shape, boolean tiesAndNaN) {
        Tensor x = Tensor.randn(rng, 1f, shape);
        if (tiesAndNaN) {
            float[] d = x.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = Math.round(d[i] * 2) / 2f;
                if (rng.nextInt(97) == 0) d[i] = Float.NaN;
            }
        }
        return x;
    }

    private void losses() {
        Rng rng = new Rng(11);
        Tensor logits = Tensor.randn(rng, 2f, 9, 10);
        int[] labels = new int[9];
        for (int i = 0; i < labels.length; i++) labels[i] = rng.nextInt(10);
        SoftmaxCrossEntropy.Result ce = SoftmaxCrossEntropy.evaluate(logits, labels);
        record("SoftmaxCrossEntropy", 0, "loss " + Double.doubleToRawLongBits(ce.loss()) + " correct " + ce.correct(), ce.gradLogits());
        Tensor targets = Tensor.randn(rng, 1f, 9, 10);
        float[] t = targets.data();
        for (int i = 0; i < t.length; i++) t[i] = t[i] > 0 ? 1f : 0f;
        BceWithLogits.Result bce = BceWithLogits.evaluate(logits, targets);
        record("BceWithLogits", 0, "loss " + Double.doubleToRawLongBits(bce.loss()), bce.gradLogits());
        Mse.Result mse = Mse.evaluate(logits, Tensor.randn(rng, 1f, 9, 10));
        record("Mse", 0, "loss " + Double.doubleToRawLongBits(mse.loss()), mse.gradPredictions());
    }

    private void networks() {
        for (Norm norm : new Norm[] {Norm.BN, Norm.NONE}) {
            Rng rng = new Rng(3);
            network("LeNet " + norm.label(), Models.lenet(norm, Activation.Kind.SIGMOID, Init.xavier(), rng.split()), rng, 32);
            Rng mb = new Rng(4);
            network("MbConvNet " + norm.label(), MbConvNet.build(norm, Init.he(), mb.split()), mb, 8);
        }
    }

    /** Forward, softmax cross-entropy, backward and an SGD step with momentum, three times; then an EVAL forward. */
    private void network(String name, Sequential model, Rng rng, int batch) {
        Sgd sgd = new Sgd(model.params(), 0.05, 0.9, 1e-4, false);
        for (int step = 0; step < 3; step++) {
            Tensor x = Tensor.randn(rng, 1f, batch, 1, 28, 28);
            int[] labels = new int[batch];
            for (int i = 0; i < batch; i++) labels[i] = rng.nextInt(10);
            sgd.zeroGrad();
            Tensor logits = model.forward(x, Mode.TRAIN);
            record(name, step, "logits", logits);
            SoftmaxCrossEntropy.Result loss = SoftmaxCrossEntropy.evaluate(logits, labels);
            record(name, step, "loss " + Double.doubleToRawLongBits(loss.loss()), loss.gradLogits());
            model.backward(loss.gradLogits());
            List<Param> params = model.params();
            for (int i = 0; i < params.size(); i++) record(name, step, "grad " + i + " " + params.get(i).name(), params.get(i).grad());
            sgd.step();
            for (int i = 0; i < params.size(); i++) record(name, step, "value " + i + " " + params.get(i).name(), params.get(i).value());
        }
        record(name, 3, "eval logits", model.forward(Tensor.randn(rng, 1f, batch, 1, 28, 28), Mode.EVAL));
    }

    private void record(String name, int call, String what, Tensor t) {
        lines.add(name + " | threads " + threads + " | call " + call + " | " + what + " " + t.shapeString() + " | " + sha256(t.data()));
    }

    private static String sha256(float[] values) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer bytes = ByteBuffer.allocate(4 * values.length);
            for (float v : values) bytes.putInt(Float.floatToRawIntBits(v));
            return HexFormat.of().formatHex(digest.digest(bytes.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
