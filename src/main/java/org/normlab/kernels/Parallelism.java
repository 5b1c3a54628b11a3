package org.normlab.kernels;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
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
    /** Below this many floats per call, threads cost more than they save. */
    private static final int MIN_WORK_PER_THREAD = 1 << 15;

    private Parallelism() {}

    /** 0 when NORMLAB_THREADS is invalid: {@link #defaultThreads()} then says why, where it is first needed. */
    private static int initialThreads() {
        try {
            return defaultThreadsSetting();
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    /**
     * The kernel thread count {@code NORMLAB_THREADS} (or {@code -Dnormlab.threads}) asks for, the number of cores if
     * unset; a one-line error naming the setting if it is not a whole number ≥ 1.
     */
    public static int defaultThreadsSetting() {
        boolean property = System.getProperty("normlab.threads") != null;
        String s = property ? System.getProperty("normlab.threads") : System.getenv("NORMLAB_THREADS");
        if (s == null || s.isBlank()) return CORES;
        String setting = property ? "-Dnormlab.threads" : "NORMLAB_THREADS";
        int t;
        try {
            t = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            t = 0;
        }
        if (t < 1) throw new IllegalArgumentException(setting + "=" + s + " is not a thread count; use a whole number ≥ 1 (or unset it: one per core)");
        return t;
    }

    /** Threads a kernel called on this thread may use. */
    public static int threads() {
        Integer local = PER_THREAD.get();
        if (local != null) return local;
        int t = defaultThreads;
        return t > 0 ? t : defaultThreadsSetting();
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
     * {@link #threads()} threads (never more than the machine's cores): the caller computes the first block, the
     * team's helper k always the block k + 1. {@code floatsTouched} is the size of the whole job, used to stay on one
     * thread when the job is small. While another kernel holds the team (a concurrent or nested call) the job runs
     * on the calling thread alone. An exception thrown by the body on any thread is rethrown here.
     */
    public static void forEach(int units, long floatsTouched, IntConsumer body) {
        int t = (int) Math.min(Math.min(Math.min(threads(), CORES), units), Math.max(1, floatsTouched / MIN_WORK_PER_THREAD));
        if (t <= 1 || !TEAM_BUSY.compareAndSet(false, true)) {
            for (int u = 0; u < units; u++) body.accept(u);
            return;
        }
        try {
            Helper[] helpers = team(t - 1);
            Thread caller = Thread.currentThread();
            for (int k = 0; k < t - 1; k++) helpers[k].post(body, (int) ((long) units * (k + 1) / t), (int) ((long) units * (k + 2) / t), caller);
            Throwable failure = null;
            try {
                for (int u = 0, end = units / t; u < end; u++) body.accept(u);
            } catch (Throwable e) {
                failure = e;
            }
            for (int k = 0; k < t - 1; k++) {
                Throwable helperFailure = helpers[k].await();
                if (failure == null) failure = helperFailure;
                else if (helperFailure != null && helperFailure != failure) failure.addSuppressed(helperFailure);
            }
            if (failure instanceof RuntimeException e) throw e;
            if (failure instanceof Error e) throw e;
            if (failure != null) throw new IllegalStateException("Parallelism: a kernel failed", failure);
        } finally {
            TEAM_BUSY.set(false);
        }
    }

    // ---- The team: helper threads that live as long as the JVM, each always taking the same block of a job.
    // Why not a ForkJoinPool: its idle workers take whichever task comes, so a block moved between cores from one
    // call to the next and lost its core's cache: a BatchNorm whose halves fit each core's L2 ran several times
    // slower that way (docs/decisions/kernels.md). A helper also spins a little before parking, because kernels come in quick succession
    // (forward, backward, the next layer) and waking a parked thread costs tens of microseconds.

    /** Held by the one kernel using the team; anyone else finds it taken and runs alone. */
    private static final AtomicBoolean TEAM_BUSY = new AtomicBoolean();
    private static Helper[] team = new Helper[0];
    /** How long a helper (and a caller awaiting one) spins before parking. */
    private static final long SPIN_NANOS = 200_000;

    /** At least {@code size} helpers (called only while holding {@link #TEAM_BUSY}). */
    private static Helper[] team(int size) {
        if (team.length < size) {
            Helper[] grown = Arrays.copyOf(team, size);
            for (int k = team.length; k < size; k++) {
                grown[k] = new Helper(k);
                grown[k].start();
            }
            team = grown;
        }
        return team;
    }

    private static final class Helper extends Thread {
        /** The job number last posted to this helper, and the last one it finished. */
        private volatile long posted, finished;
        // The job: written by the caller before it publishes {@code posted}, read by the helper after it sees it.
        private IntConsumer body;
        private int from, to;
        private Thread caller;
        private Throwable failure;

        Helper(int index) {
            super("normlab-kernel-" + (index + 1));
            setDaemon(true);
        }

        void post(IntConsumer job, int fromUnit, int toUnit, Thread by) {
            body = job;
            from = fromUnit;
            to = toUnit;
            caller = by;
            failure = null;
            posted = posted + 1;  // only the team's holder writes it
            LockSupport.unpark(this);
        }

        /** Waits for the job last posted; its failure, or null. */
        Throwable await() {
            long job = posted, spinUntil = System.nanoTime() + SPIN_NANOS;
            while (finished != job) {
                if (System.nanoTime() < spinUntil) Thread.onSpinWait();
                else LockSupport.parkNanos(this, 50_000);
            }
            Throwable f = failure;
            body = null;
            caller = null;
            return f;
        }

        @Override public void run() {
            long done = 0;
            while (true) {
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                while (posted == done) {
                    if (System.nanoTime() < spinUntil) Thread.onSpinWait();
                    else LockSupport.park(this);
                }
                done = posted;
                try {
                    for (int u = from; u < to; u++) body.accept(u);
                } catch (Throwable e) {
                    failure = e;
                }
                Thread waiting = caller;
                finished = done;
                LockSupport.unpark(waiting);
            }
        }
    }
}
