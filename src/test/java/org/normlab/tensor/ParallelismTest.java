package org.normlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.GroupNorm;
import org.normlab.norm.InstanceNorm;
import org.normlab.norm.LayerNorm;

/** Kernels give bit-identical results at 1 and 2 threads (each channel/row is reduced by one thread, in order). */
class ParallelismTest {

    @AfterEach
    void clear() { Parallelism.clearThreadsForCurrentThread(); }

    @Test
    void forEachVisitsEveryUnitOnceWhateverTheThreadCount() {
        for (int threads : new int[] {1, 2, 3, 8}) {
            Parallelism.setThreadsForCurrentThread(threads);
            AtomicIntegerArray seen = new AtomicIntegerArray(37);
            Parallelism.forEach(37, 1L << 30, u -> seen.incrementAndGet(u));
            for (int u = 0; u < 37; u++) assertEquals(1, seen.get(u), "unit " + u + " at " + threads + " threads");
        }
    }

    @Test
    void aFailingBlockIsRethrownToTheCallerAndTheTeamStaysUsable() {
        Parallelism.setThreadsForCurrentThread(2);
        // Unit 9 lies in the helper's block whenever the job is split; the caller gets its exception.
        var e = assertThrows(IllegalStateException.class, () -> Parallelism.forEach(10, 1L << 30, u -> {
            if (u == 9) throw new IllegalStateException("unit 9 failed");
        }));
        assertEquals("unit 9 failed", e.getMessage());
        AtomicIntegerArray seen = new AtomicIntegerArray(10);
        Parallelism.forEach(10, 1L << 30, seen::incrementAndGet);
        for (int u = 0; u < 10; u++) assertEquals(1, seen.get(u), "unit " + u + " after a failed job");
    }

    @Test
    void aNestedOrConcurrentCallRunsOnItsOwnThread() throws Exception {
        Parallelism.setThreadsForCurrentThread(2);
        AtomicIntegerArray seen = new AtomicIntegerArray(8 * 8);
        Parallelism.forEach(8, 1L << 30, outer -> Parallelism.forEach(8, 1L << 30, inner -> seen.incrementAndGet(8 * outer + inner)));
        for (int u = 0; u < 64; u++) assertEquals(1, seen.get(u), "nested unit " + u);
        // Four threads calling kernels at once: each job still visits every unit exactly once.
        AtomicIntegerArray counts = new AtomicIntegerArray(4 * 1000);
        List<Thread> callers = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            int caller = k;
            callers.add(Thread.ofPlatform().start(() -> {
                Parallelism.setThreadsForCurrentThread(2);
                for (int rep = 0; rep < 200; rep++) Parallelism.forEach(1000, 1L << 30, u -> counts.incrementAndGet(1000 * caller + u));
            }));
        }
        for (Thread t : callers) t.join();
        for (int u = 0; u < 4000; u++) assertEquals(200, counts.get(u), "concurrent unit " + u);
    }

    @Test
    void threadCountIsPerThreadWhenSet() {
        Parallelism.setThreadsForCurrentThread(1);
        assertEquals(1, Parallelism.threads());
        Parallelism.clearThreadsForCurrentThread();
        assertTrue(Parallelism.threads() >= 1);
        var e = assertThrows(IllegalArgumentException.class, () -> Parallelism.setThreadsForCurrentThread(0));
        assertTrue(e.getMessage().contains("Parallelism") && e.getMessage().contains("got 0"), e.getMessage());
    }

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
        out.add(layer.forward(x, Mode.EVAL).data().clone());
        out.add(layer.backward(dy).data().clone());
        return out;
    }
}
