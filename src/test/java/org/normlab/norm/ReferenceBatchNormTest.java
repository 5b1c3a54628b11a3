package org.normlab.norm;

import static org.junit.jupiter.api.Assertions.assertThrows;
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
 * statistics over TRAIN, TRAIN, EVAL steps agree within 1e-5 relative to the value plus the size of its terms
 * ({@link Scales}; the running statistics: plus the array's root mean square).
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
        double[] dGammaScale = new double[channels], dBetaScale = new double[channels];
        for (Mode mode : new Mode[] {Mode.TRAIN, Mode.TRAIN, Mode.EVAL}) {
            Tensor x = values(rng, shape, 3 * (2 * rng.nextDouble() - 1), 0.3 + 2.7 * rng.nextDouble()), dy = values(rng, shape, 0, 1);
            String step = mode + " at " + at;
            float[] y = fast.forward(x, mode).data();
            double[] yReference = floats(reference.forward(x, mode).data());
            Scales scales = new Scales(reference, x, dy);
            assertClose(y, yReference, scales.output, "y, " + step);
            if (mode == Mode.EVAL) {  // EVAL keeps nothing for backward, in both
                assertThrows(IllegalStateException.class, () -> fast.backward(dy), "BatchNorm after EVAL");
                assertThrows(IllegalStateException.class, () -> reference.backward(dy), "ReferenceBatchNorm after EVAL");
                continue;
            }
            assertClose(fast.backward(dy).data(), floats(reference.backward(dy).data()), scales.inputGradient, "dx, " + step);
            for (int c = 0; c < channels; c++) {
                dGammaScale[c] += scales.sumOfTerms[c] * scales.condition[c];
                dBetaScale[c] += scales.sumOfTerms[c];
            }
            assertClose(fast.gamma().grad().data(), floats(reference.gamma().grad().data()), dGammaScale, "dγ, " + step);
            assertClose(fast.beta().grad().data(), floats(reference.beta().grad().data()), dBetaScale, "dβ, " + step);
            assertClose(fast.runningMean().data(), reference.runningMean(), "running mean, " + step);
            assertClose(fast.runningVar().data(), reference.runningVar(), "running variance, " + step);
        }
    }

    /**
     * The size of the terms each result is made of, which its float error scales with (a float result is good to
     * about 6e-8 of its terms, not of itself, when they cancel): y = a·x + b has terms γ/σ·|x| and |β| + γ/σ·|μ|;
     * dx = k·dy − k_x·(x − μ) + c₀ terms γ/σ·|dy|, with x − μ good to ulp(|x| + |μ|) in float; dβ_c and dγ_c are
     * sums whose lanes add terms of size |dy| (times the same conditioning of x − μ for dγ), so √(Σ dy²).
     */
    private static final class Scales {
        final double[] output, inputGradient, sumOfTerms, condition;

        Scales(ReferenceBatchNorm reference, Tensor x, Tensor dy) {
            int channels = x.dim(1), inner = x.size() / (x.dim(0) * channels);
            double[] mean = reference.mean(), invStd = reference.invStd(), maxAbsX = new double[channels];
            float[] gamma = reference.gamma().value().data(), beta = reference.beta().value().data();
            double rmsDy = 0;
            sumOfTerms = new double[channels];
            for (int i = 0; i < x.size(); i++) {
                int c = i / inner % channels;
                maxAbsX[c] = Math.max(maxAbsX[c], Math.abs(x.data()[i]));
                sumOfTerms[c] += (double) dy.data()[i] * dy.data()[i];
                rmsDy += (double) dy.data()[i] * dy.data()[i];
            }
            rmsDy = Math.sqrt(rmsDy / x.size());
            condition = new double[channels];
            for (int c = 0; c < channels; c++) {
                sumOfTerms[c] = Math.sqrt(sumOfTerms[c]);
                condition[c] = 1 + invStd[c] * (Math.abs(mean[c]) + maxAbsX[c]);
            }
            output = new double[x.size()];
            inputGradient = new double[x.size()];
            for (int i = 0; i < x.size(); i++) {
                int c = i / inner % channels;
                double k = Math.abs(gamma[c]) * invStd[c], xTerm = Math.abs(x.data()[i]) + Math.abs(mean[c]);
                output[i] = k * xTerm + Math.abs(beta[c]);
                inputGradient[i] = k * rmsDy * (1 + invStd[c] * xTerm);
            }
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
