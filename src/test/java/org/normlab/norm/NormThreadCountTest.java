package org.normlab.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.normlab.kernels.Parallelism;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/** The normalization layers give bit-identical results at 1 and 2 threads (each channel/row is reduced by one thread, in order). */
class NormThreadCountTest {

    @AfterEach
    void clear() { Parallelism.clearThreadsForCurrentThread(); }

    @Test
    void normKernelsAreBitIdenticalAtOneAndTwoThreads() {
        // Large enough that the kernels really split (more than one block of work per thread).
        int[] shape = {16, 8, 24, 24};
        Tensor x = Tensor.randn(new Rng(1), 2f, shape), dy = Tensor.randn(new Rng(2), 1f, shape);
        for (int i = 0; i < x.size(); i++) x.data()[i] += 3f;
        List<Supplier<Layer>> layers = List.of(() -> new BatchNorm(8), () -> new LayerNorm(new int[] {8, 24, 24}),
                () -> new GroupNorm(4, 8), () -> new InstanceNorm(8, 1e-5, 0.1, true, true));
        for (Supplier<Layer> factory : layers) {
            List<float[]> one = run(factory.get(), x, dy, 1), two = run(factory.get(), x, dy, 2);
            String name = factory.get().describe();
            for (int k = 0; k < one.size(); k++) assertArrayEquals(one.get(k), two.get(k), name + ": result " + k + " differs between 1 and 2 threads");
        }
        // (N, C) input: BatchNorm's column kernels (blocks of channels walking tiles of rows, then rows); 77 columns
        // leave some over for the plain loop.
        for (int[] nc : new int[][] {{512, 256}, {700, 77}}) {
            Tensor x2 = Tensor.randn(new Rng(3), 2f, nc), dy2 = Tensor.randn(new Rng(4), 1f, nc);
            List<float[]> one = run(new BatchNorm(nc[1]), x2, dy2, 1), two = run(new BatchNorm(nc[1]), x2, dy2, 2);
            for (int k = 0; k < one.size(); k++) {
                assertArrayEquals(one.get(k), two.get(k), "BatchNorm " + Arrays.toString(nc) + ": result " + k + " differs between 1 and 2 threads");
            }
        }
    }

    /** Two TRAIN steps and one EVAL forward: outputs, input gradients, parameter gradients. */
    private static List<float[]> run(Layer layer, Tensor x, Tensor dy, int threads) {
        Parallelism.setThreadsForCurrentThread(threads);
        List<float[]> out = new ArrayList<>();
        for (int step = 0; step < 2; step++) {
            for (Param p : layer.params()) p.zeroGrad();
            out.add(layer.forward(x, Mode.TRAIN).data().clone());
            out.add(layer.backward(dy).data().clone());
            for (Param p : layer.params()) out.add(p.grad().data().clone());
        }
        out.add(layer.forward(x, Mode.EVAL).data().clone());  // EVAL keeps nothing for a backward
        return out;
    }
}
