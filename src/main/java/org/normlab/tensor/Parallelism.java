package org.normlab.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * How many threads one kernel (BatchNorm, LayerNorm, …) may use, and the loop that splits its work.
 *
 * <p>Work is split by independent units (channels, rows): each unit is computed start to finish by one thread in
 * a fixed order, so results are bit-identical whatever the thread count. The default is the number of cores
 * ({@code -Dnormlab.threads} or {@code NORMLAB_THREADS} override it). A {@code Sweep} that already runs whole
 * training runs in parallel sets 1 for each of its workers ({@link #setThreadsForCurrentThread}), so intra-op
 * threads never oversubscribe the machine.
 */
public final class Parallelism {
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static volatile int defaultThreads = initialThreads();
    private static final ThreadLocal<Integer> PER_THREAD = new ThreadLocal<>();
    private static final ForkJoinPool POOL = new ForkJoinPool(Math.max(1, CORES), pool -> {
        var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("normlab-kernel-" + t.getPoolIndex());
        t.setDaemon(true);
        return t;
    }, null, false);
    /** Below this many floats per call, threads cost more than they save. */
    private static final int MIN_WORK_PER_THREAD = 1 << 15;

    private Parallelism() {}

    private static int initialThreads() {
        String s = System.getProperty("normlab.threads", System.getenv("NORMLAB_THREADS"));
        if (s == null || s.isBlank()) return CORES;
        int t = Integer.parseInt(s.trim());
        if (t < 1) throw new IllegalArgumentException("Parallelism: normlab.threads must be ≥ 1, got " + t);
        return t;
    }

    /** Threads a kernel called on this thread may use. */
    public static int threads() {
        Integer local = PER_THREAD.get();
        return local != null ? local : defaultThreads;
    }

    /** Sets the default for every thread without its own setting. */
    public static void setThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("Parallelism: threads must be ≥ 1, got " + threads);
        defaultThreads = threads;
    }

    /** Sets the thread count of kernels called from the current thread only (e.g. 1 inside a sweep worker). */
    public static void setThreadsForCurrentThread(int threads) {
        if (threads < 1) throw new IllegalArgumentException("Parallelism: threads must be ≥ 1, got " + threads);
        PER_THREAD.set(threads);
    }

    /** Removes the current thread's own setting. */
    public static void clearThreadsForCurrentThread() { PER_THREAD.remove(); }

    /**
     * Runs {@code body.accept(u)} for every unit u in [0, units), in contiguous blocks over at most
     * {@link #threads()} threads (the caller computes one block). {@code floatsTouched} is the size of the whole job,
     * used to stay on one thread when the job is small.
     */
    public static void forEach(int units, long floatsTouched, IntConsumer body) {
        int t = (int) Math.min(Math.min(threads(), units), Math.max(1, floatsTouched / MIN_WORK_PER_THREAD));
        if (t <= 1 || ForkJoinTask.inForkJoinPool()) {
            for (int u = 0; u < units; u++) body.accept(u);
            return;
        }
        ForkJoinTask<?>[] others = new ForkJoinTask<?>[t - 1];
        for (int k = 1; k < t; k++) {
            int from = (int) ((long) units * k / t), to = (int) ((long) units * (k + 1) / t);
            others[k - 1] = POOL.submit(new Block(from, to, body));
        }
        int firstEnd = units / t;
        for (int u = 0; u < firstEnd; u++) body.accept(u);
        for (ForkJoinTask<?> f : others) f.join();
    }

    private static final class Block extends RecursiveAction {
        private final int from, to;
        private final IntConsumer body;

        Block(int from, int to, IntConsumer body) { this.from = from; this.to = to; this.body = body; }

        @Override protected void compute() { for (int u = from; u < to; u++) body.accept(u); }
    }
}
