package org.normlab.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.testing.GradCheck;

class GroupNormTest {

    private static Tensor input(long seed, int... shape) {
        Tensor x = Tensor.randn(new Rng(seed), 2f, shape);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) d[i] += 0.5f;
        return x;
    }

    private static void randomAffine(GroupNorm gn, long seed) {
        Rng rng = new Rng(seed);
        for (int c = 0; c < gn.numChannels(); c++) {
            gn.gamma().value().data()[c] = (float) (0.5 + rng.nextDouble());
            gn.beta().value().data()[c] = (float) rng.nextGaussian();
        }
    }

    @Test
    void eachGroupOfEachSampleIsStandardized() {
        GroupNorm gn = new GroupNorm(2, 4, 1e-5, false);
        Tensor y = gn.forward(input(1, 3, 4, 2, 2), Mode.TRAIN);
        // Group 1 of sample 2 is channels 2..3: 8 contiguous values.
        int off = (2 * 4 + 2) * 4;
        double mean = 0, sq = 0;
        for (int i = 0; i < 8; i++) mean += y.data()[off + i];
        mean /= 8;
        for (int i = 0; i < 8; i++) sq += Math.pow(y.data()[off + i] - mean, 2);
        assertEquals(0, mean, 1e-6);
        assertEquals(1, sq / 8, 1e-3);
    }

    @Test
    void trainAndEvalAreIdentical() {
        GroupNorm gn = new GroupNorm(3, 6);
        randomAffine(gn, 2);
        Tensor x = input(3, 2, 6, 3, 3);
        assertArrayEquals(gn.forward(x, Mode.TRAIN).data(), gn.forward(x, Mode.EVAL).data(), 0f);
    }

    @Test
    void gradients2d() {
        GroupNorm gn = new GroupNorm(2, 6);
        randomAffine(gn, 4);
        GradCheck.check(gn, input(5, 3, 6), Mode.TRAIN, 31);
    }

    @Test
    void gradients4d() {
        GroupNorm gn = new GroupNorm(2, 4);
        randomAffine(gn, 6);
        GradCheck.check(gn, input(7, 2, 4, 3, 3), Mode.TRAIN, 32);
    }

    @Test
    void gradientsWithoutAffine() {
        GradCheck.check(new GroupNorm(3, 3, 1e-5, false), input(8, 2, 3, 4), Mode.TRAIN, 33);
    }

    /** Runs forward and backward with a fixed upstream gradient; returns {y, dx}. */
    private static Tensor[] forwardBackward(Layer layer, Tensor x, Tensor dy) {
        Tensor y = layer.forward(x, Mode.TRAIN);
        return new Tensor[] {y, layer.backward(dy)};
    }

    @Test
    void oneGroupEqualsLayerNormOverChannelsAndSpace() {
        Tensor x = input(9, 3, 4, 3, 2), dy = Tensor.randn(new Rng(10), 1f, 3, 4, 3, 2);
        Tensor[] gn = forwardBackward(new GroupNorm(1, 4, 1e-5, false), x, dy);
        Tensor[] ln = forwardBackward(new LayerNorm(new int[] {4, 3, 2}, 1e-5, false), x, dy);
        assertArrayEquals(ln[0].data(), gn[0].data(), 1e-6f);
        assertArrayEquals(ln[1].data(), gn[1].data(), 1e-6f);
    }

    @Test
    void oneGroupPerChannelEqualsInstanceNorm() {
        Tensor x = input(11, 3, 4, 3, 2), dy = Tensor.randn(new Rng(12), 1f, 3, 4, 3, 2);
        Tensor[] gn = forwardBackward(new GroupNorm(4, 4, 1e-5, false), x, dy);
        Tensor[] in = forwardBackward(new InstanceNorm(4), x, dy);
        assertArrayEquals(in[0].data(), gn[0].data(), 1e-6f);
        assertArrayEquals(in[1].data(), gn[1].data(), 1e-6f);
    }

    @Test
    void groupsMustDivideChannels() {
        assertEquals("GroupNorm(G=3, C=16): number of groups 3 must divide number of channels 16",
                assertThrows(IllegalArgumentException.class, () -> new GroupNorm(3, 16)).getMessage());
    }

    @Test
    void wrongChannelCountNamesLayerAndShapes() {
        GroupNorm gn = new GroupNorm(2, 4);
        assertEquals("GroupNorm(G=2, C=4): expected input [N,4,*], got [2, 3, 5, 5]",
                assertThrows(IllegalArgumentException.class, () -> gn.forward(Tensor.zeros(2, 3, 5, 5), Mode.TRAIN)).getMessage());
        assertEquals("GroupNorm(G=2, C=4): expected input [N,4,*], got [4]",
                assertThrows(IllegalArgumentException.class, () -> gn.forward(Tensor.zeros(4), Mode.TRAIN)).getMessage());
    }

    @Test
    void nanOrInfInputIsRejected() {
        GroupNorm gn = new GroupNorm(2, 4);
        Tensor x = Tensor.zeros(2, 4, 3);
        x.data()[5] = Float.POSITIVE_INFINITY;
        assertEquals("GroupNorm(G=2, C=4): input contains NaN or Inf",
                assertThrows(IllegalArgumentException.class, () -> gn.forward(x, Mode.TRAIN)).getMessage());
    }

    @Test
    void invalidHyperParametersAreRejected() {
        assertEquals("GroupNorm: numbers of groups and channels must be positive, got G=0, C=4",
                assertThrows(IllegalArgumentException.class, () -> new GroupNorm(0, 4)).getMessage());
        assertEquals("GroupNorm(G=2, C=4): eps must be positive and finite, got NaN",
                assertThrows(IllegalArgumentException.class, () -> new GroupNorm(2, 4, Double.NaN, true)).getMessage());
    }
}
