package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.normlab.testing.StoreFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.nn.Activation;
import org.normlab.norm.Norm;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;

/** A notebook interrupt (JJava interrupts the cell's thread) or Ctrl-C (the CLI interrupts its main thread) cancels a sweep. */
class SweepInterruptTest {
    private static final Dataset DATA = FashionMnist.fromEnvironment().load(FashionMnist.Split.TEST);
    private static final Dataset TRAIN = DATA.head(2000), TEST = DATA.head(2200).select(IntStream.range(2000, 2200).toArray());

    private static long stored(Path root) {
        return StoreFiles.named(root, ".run.csv").size();
    }

    /** Sweep workers still alive 0.5 s after the sweep returned (a worker that is exiting gets that long; a training one would not end). */
    private static long sweepThreads() throws InterruptedException {
        List<Thread> workers = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("normlab-sweep-interrupt")).toList();
        for (Thread t : workers) t.join(500);
        return workers.stream().filter(Thread::isAlive).count();
    }

    @Test
    void anInterruptStopsRunningRunsWithinTwoSecondsAndStoresNothingMore(@TempDir Path tmp) throws Exception {
        // Small fast runs first (so some finish and are stored), then long ones that are still training when interrupted.
        RunSpec base = RunSpec.mlp(List.of(64), Activation.Kind.RELU).withTrainSize(2000).withTestSize(200).withLogEvery(10);
        Sweep<RunSpec> sweep = Sweep.of("interrupt", base).vary(Axes.EPOCHS, 1, 200).vary(Axes.NORM, Norm.NONE, Norm.BN).seeds(1);
        ResultStore store = ResultStore.at(tmp);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread cell = new Thread(() -> {
            try {
                sweep.run(TRAIN, TEST, store, Progress.none(), 2);
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "cell");
        cell.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (stored(tmp) < 2 && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(2, stored(tmp), "the two one-epoch runs finished");
        Thread.sleep(300);  // the 200-epoch runs are training now
        long t0 = System.nanoTime();
        cell.interrupt();
        cell.join(5000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertFalse(cell.isAlive());
        assertTrue(seconds < 2, "returned " + seconds + " s after the interrupt");
        assertTrue(thrown.get() instanceof Sweep.Interrupted, String.valueOf(thrown.get()));
        assertEquals("Sweep interrupt interrupted: 2 of 4 runs are stored (the rest were stopped, nothing partial kept); run it again to resume",
                thrown.get().getMessage());
        assertEquals(0, sweepThreads(), "no worker keeps training");
        Thread.sleep(1000);
        assertEquals(2, stored(tmp), "no run is stored after the sweep returned");
        assertEquals(List.of(), StoreFiles.named(tmp, ".part"), "nothing partial");
    }

    /**
     * JJava ends the cell as soon as its {@code interrupt()} of the cell's thread returns, and drops what the cell says
     * later: the progress must hear how many runs are stored before that call returns.
     */
    @Test
    void theProgressHearsTheCountBeforeTheInterruptReturns(@TempDir Path tmp) throws Exception {
        CountDownLatch training = new CountDownLatch(2), never = new CountDownLatch(1);
        Function<RunSpec, RunLog> runner = spec -> {
            if (spec.lr() < 1) return ResultStoreFaultTest.RUNNER.apply(spec);
            training.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                throw new Trainer.Cancelled(0);
            }
            throw new AssertionError("not reached");
        };
        Sweep<RunSpec> sweep = Sweep.of("heard", RunSpec.mlp(List.of(8), Activation.Kind.RELU)).vary(Axes.LR, 0.1, 2.0).seeds(2);
        List<String> heard = new CopyOnWriteArrayList<>();
        Progress progress = new Progress() {
            @Override public void start(String title, int total) {}
            @Override public void advance(String message) {}
            @Override public void finish() {}
            @Override public void interrupted(String message) { heard.add(message); }
        };
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread cell = new Thread(() -> {
            try {
                sweep.run(runner, ResultStore.at(tmp), progress, 4);
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "cell");
        cell.start();
        training.await();
        while (stored(tmp) < 2) Thread.sleep(20);
        while (cell.getState() != Thread.State.WAITING) Thread.sleep(5);  // the sweep waits for its two blocked runs
        cell.interrupt();
        String expected = "Sweep heard interrupted: 2 of 4 runs are stored (the rest were stopped, nothing partial kept); run it again to resume";
        assertEquals(List.of(expected), List.copyOf(heard), "told before interrupt() returned");
        cell.join();
        assertEquals(List.of(expected), List.copyOf(heard), "told once");
        assertTrue(thrown.get() instanceof Sweep.Interrupted, String.valueOf(thrown.get()));
        assertEquals(expected, thrown.get().getMessage());
        assertEquals(2, stored(tmp));
    }
}
