package org.normlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The hook's promise, which a notebook interrupt depends on: when {@code Thread.interrupt()} returns, onInterrupt has
 * run (JJava ends the cell right then). The waiting thread wakes inside interrupt() before the interrupter looks for
 * the hook, so a hook that unregistered itself on waking lost this race about as often as it won.
 */
class InterruptHookTest {
    private static final int TRIES = 300;

    @Test
    void onInterruptHasRunWhenInterruptReturnsEveryTime() throws Exception {
        int late = 0;
        for (int t = 0; t < TRIES; t++) {
            AtomicInteger runs = new AtomicInteger();
            InterruptHook hook = new InterruptHook(runs::incrementAndGet);
            LinkedBlockingQueue<Object> never = new LinkedBlockingQueue<>();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread waiter = new Thread(() -> {
                try {
                    hook.await(never::take);
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            waiter.start();
            while (waiter.getState() != Thread.State.WAITING) Thread.onSpinWait();
            waiter.interrupt();
            if (runs.get() != 1) late++;
            waiter.join();
            assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
            assertEquals(1, runs.get(), "onInterrupt runs once");
            assertTrue(hook.fired());
        }
        assertEquals(0, late, "interrupt() returned before onInterrupt had run, in " + late + " of " + TRIES + " tries");
    }

    @Test
    void anInterruptBeforeTheWaitRunsTheHookOnTheWaitingThread() throws Exception {
        AtomicReference<String> ranOn = new AtomicReference<>();
        InterruptHook hook = new InterruptHook(() -> ranOn.set(Thread.currentThread().getName()));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            Thread.currentThread().interrupt();
            try {
                hook.await(new LinkedBlockingQueue<>()::take);
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "waiter");
        waiter.start();
        waiter.join();
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
        assertEquals("waiter", ranOn.get());
    }
}
