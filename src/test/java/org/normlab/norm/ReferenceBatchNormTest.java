package org.normlab.norm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.normlab.kernels.ChannelNorm;
import org.normlab.nn.Mode;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * The fast {@link BatchNorm} (its kernels' memory orders, pairs of streams, column blocks, Vector API) against the
 * plain-loop {@link ReferenceBatchNorm} on random shapes and values: outputs, input gradients, dγ, dβ and running
 * statistics over TRAIN, TRAIN, EVAL steps agree within a float tolerance, 1e-5 relative (to the value, or to the
 * array's root mean square for values near zero).
 */
class ReferenceBatchNormTest {
    private static final double TOLERANCE = 1e-5;

    @Property
    void fastBatchNormMatchesThePlainLoops(@ForAll long seed) {
        Rng rng = new Rng(seed);
        int rank = 2 + rng.nextInt(3), channels = rng.nextInt(8) == 0 ? 32 + rng.nextInt(40) : 1 + rng.nextInt(9);
        int[] shape = new int[rank];
        shape[0] = 2 + rng.nextInt(11);
        shape[1] = channels;
        for (int d = 2; d < rank; d++) shape[d] = 1 + rng.nextInt(rank == 3 ? 90 : 12);
        int order = rng.nextInt(3);  // the kernels' choice of memory order, or either order forced
        ChannelNorm.channelPassesForTests = order == 0 ? null : order == 1;
        try {
            compare(rng, shape, seed);
        } finally {
            ChannelNorm.channelPassesForTests = null;
        }
    }

    private static void compare(Rng rng, int[] shape, long seed) {
        int channels = shape[1];
        BatchNorm fast = new BatchNorm(channels, 1e-5, 0.1, true, true);
        ReferenceBatchNorm reference = new ReferenceBatchNorm(channels, 1e-5, 0.1);
        for (int c = 0; c < channels; c++) {
            float g = (float) (1 + 0.5 * rng.nextGaussian()), b = (float) (0.5 * rng.nextGaussian());
            fast.gamma().value().data()[c] = reference.gamma().value().data()[c] = g;
            fast.beta().value().data()[c] = reference.beta().value().data()[c] = b;
        }
        String at = Arrays.toString(shape) + " (seed " + seed + ", channel passes " + ChannelNorm.channelPassesForTests + ")";
        double[] sumScale = new double[channels];  // Σ over steps of √(Σ dy²) per channel: the natural size of dβ_c, dγ_c
        for (Mode mode : new Mode[] {Mode.TRAIN, Mode.TRAIN, Mode.EVAL}) {
            Tensor x = values(rng, shape, 3 * (2 * rng.nextDouble() - 1), 0.3 + 2.7 * rng.nextDouble()), dy = values(rng, shape, 0, 1);
            String step = mode + " at " + at;
            assertClose(fast.forward(x, mode).data(), floats(reference.forward(x, mode).data()), "y, " + step);
            assertClose(fast.backward(dy).data(), floats(reference.backward(dy).data()), gradientScale(reference, dy), "dx, " + step);
            addSumScale(sumScale, dy);
            assertClose(fast.gamma().grad().data(), floats(reference.gamma().grad().data()), sumScale, "dγ, " + step);
            assertClose(fast.beta().grad().data(), floats(reference.beta().grad().data()), sumScale, "dβ, " + step);
            assertClose(fast.runningMean().data(), reference.runningMean(), "running mean, " + step);
            assertClose(fast.runningVar().data(), reference.runningVar(), "running variance, " + step);
        }
    }

    private static Tensor values(Rng rng, int[] shape, double offset, double scale) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) t.data()[i] = (float) (offset + scale * rng.nextGaussian());
        return t;
    }

    private static double[] floats(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    /**
     * The size of dx's terms, γ_c/σ_c·rms(dy): dx is their difference, which cancels to about zero when a channel
     * has few values (exactly zero for two), so its float error scales with the terms, not with dx.
     */
    private static double[] gradientScale(ReferenceBatchNorm reference, Tensor dy) {
        double rmsDy = Math.sqrt(floatsSquaredMean(dy.data()));
        int channels = dy.dim(1), inner = dy.size() / (dy.dim(0) * channels);
        double[] invStd = reference.invStd(), scale = new double[dy.size()];
        for (int i = 0; i < scale.length; i++) {
            int c = i / inner % channels;
            scale[i] = Math.abs(reference.gamma().value().data()[c]) * invStd[c] * rmsDy;
        }
        return scale;
    }

    /**
     * dβ_c and dγ_c are sums of m terms of size |dy| (|x̂| is about 1) that partly cancel; float lanes make their
     * error scale with √(Σ dy²), not with the sum.
     */
    private static void addSumScale(double[] scale, Tensor dy) {
        int channels = dy.dim(1), inner = dy.size() / (dy.dim(0) * channels);
        double[] squares = new double[channels];
        for (int i = 0; i < dy.size(); i++) squares[i / inner % channels] += (double) dy.data()[i] * dy.data()[i];
        for (int c = 0; c < channels; c++) scale[c] += Math.sqrt(squares[c]);
    }

    private static double floatsSquaredMean(float[] v) {
        double sum = 0;
        for (float x : v) sum += (double) x * x;
        return sum / v.length;
    }

    private static void assertClose(float[] fast, double[] reference, String what) {
        double rms = Math.sqrt(Arrays.stream(reference).map(r -> r * r).average().orElse(0));
        double[] scale = new double[reference.length];
        Arrays.fill(scale, rms);
        assertClose(fast, reference, scale, what);
    }

    /** |fast − reference| ≤ 1e-5·(|reference| + scale) for every value. */
    private static void assertClose(float[] fast, double[] reference, double[] scale, String what) {
        for (int i = 0; i < reference.length; i++) {
            double bound = TOLERANCE * (Math.abs(reference[i]) + scale[i]);
            int index = i;
            assertTrue(Math.abs(fast[i] - reference[i]) <= bound,
                    () -> what + ": value " + index + " is " + fast[index] + ", the reference gives " + reference[index]);
        }
    }
}
