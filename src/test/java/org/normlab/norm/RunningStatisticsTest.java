package org.normlab.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.nn.Activation;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Residual;
import org.normlab.nn.Sequential;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/** A frozen block gives back every BatchNorm's running statistics bit for bit, also when it throws. */
@SuppressWarnings("try")  // most blocks do not name their resource: closing it is what is tested
class RunningStatisticsTest {
    /** A top-level BN, a Ghost BN inside a residual block, and a BN without running statistics. */
    private static Sequential model() {
        return new Sequential(new BatchNorm(4), new Activation(Activation.Kind.RELU), new Residual(new GhostBatchNorm(4, 4)),
                new BatchNorm(4, 1e-5, 0.1, true, false));
    }

    private static Tensor batch(long seed) {
        Tensor x = Tensor.randn(new Rng(seed), 2f, 8, 4);
        for (int i = 0; i < x.size(); i++) x.data()[i] += 0.5f * (i % 4);  // channel means away from the initial 0
        return x;
    }

    /** The raw bits of every tracked BatchNorm's running mean and variance, and its count of batches. */
    private static List<Object> bits(Layer model) {
        List<Object> out = new ArrayList<>();
        for (BatchNorm bn : Layer.all(model, BatchNorm.class)) {
            if (bn.runningMean() == null) continue;
            for (Tensor t : List.of(bn.runningMean(), bn.runningVar())) {
                int[] raw = new int[t.size()];
                for (int i = 0; i < raw.length; i++) raw[i] = Float.floatToRawIntBits(t.data()[i]);
                out.add(raw);
            }
            out.add(bn.batchesTracked());
        }
        return out;
    }

    private static void assertSameBits(List<Object> expected, List<Object> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i) instanceof int[] e) assertArrayEquals(e, (int[]) actual.get(i), "buffer " + i);
            else assertEquals(expected.get(i), actual.get(i), "batches tracked, entry " + i);
        }
    }

    private static Sequential trained() {
        Sequential m = model();
        for (int s = 0; s < 3; s++) m.forward(batch(s), Mode.TRAIN);  // some history, so nothing is at its initial value
        return m;
    }

    @Test
    void closingPutsBackEveryRunningStatisticToTheBit() {
        Sequential m = trained();
        List<Object> before = bits(m);
        assertEquals(6, before.size(), "two tracked BatchNorms (one inside Ghost BN in a block), the untracked one skipped");
        try (RunningStatistics frozen = RunningStatistics.frozen(m)) {
            for (int s = 10; s < 14; s++) m.forward(batch(s), Mode.TRAIN);
            assertFalse(sameBits(before, bits(m)), "the block moved the running statistics");
        }
        assertSameBits(before, bits(m));
    }

    @Test
    void theyArePutBackWhenTheBlockThrows() {
        Sequential m = trained();
        List<Object> before = bits(m);
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
            try (RunningStatistics frozen = RunningStatistics.frozen(m)) {
                m.forward(batch(20), Mode.TRAIN);
                assertFalse(sameBits(before, bits(m)), "the block moved the running statistics");
                throw new IllegalStateException("failure inside the block");
            }
        });
        assertEquals("failure inside the block", thrown.getMessage());
        assertSameBits(before, bits(m));
    }

    @Test
    void restoreInsideTheBlockPutsThemBackAndKeepsTheSavedCopy() {
        Sequential m = trained();
        List<Object> before = bits(m);
        try (RunningStatistics frozen = RunningStatistics.frozen(m)) {
            m.forward(batch(30), Mode.TRAIN);
            frozen.restore();
            assertSameBits(before, bits(m));
            m.forward(batch(31), Mode.TRAIN);
            assertFalse(sameBits(before, bits(m)));
        }
        assertSameBits(before, bits(m));
    }

    @Test
    void aCumulativeAverageContinuesAsIfTheBlockHadNotRun() {
        // With momentum null the next update weighs the batch by 1/(batches seen + 1): the count must come back too.
        Sequential frozenOne = trained(), untouched = trained();
        for (Sequential m : List.of(frozenOne, untouched)) for (BatchNorm bn : Layer.all(m, BatchNorm.class)) bn.setMomentum(null);
        try (RunningStatistics frozen = RunningStatistics.frozen(frozenOne)) {
            for (int s = 40; s < 45; s++) frozenOne.forward(batch(s), Mode.TRAIN);
        }
        frozenOne.forward(batch(50), Mode.TRAIN);
        untouched.forward(batch(50), Mode.TRAIN);
        assertSameBits(bits(untouched), bits(frozenOne));
    }

    private static boolean sameBits(List<Object> a, List<Object> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            boolean same = a.get(i) instanceof int[] x ? Arrays.equals(x, (int[]) b.get(i)) : a.get(i).equals(b.get(i));
            if (!same) return false;
        }
        return true;
    }
}
