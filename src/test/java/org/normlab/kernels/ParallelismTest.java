package org.normlab.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Parallelism.forEach visits every unit once, whatever the thread count, nesting or concurrency. */
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
}
