package org.normlab.experiment;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.util.concurrent.TimeUnit;

/**
 * A wait whose interrupt runs {@code onInterrupt} before the interrupting thread's {@link Thread#interrupt} returns.
 * A notebook kernel (JJava) interrupts a cell by interrupting the cell's thread and ends the cell as soon as that call
 * returns: what the cell says later never reaches it. The JDK closes the interruptible channel a thread is blocked on
 * from within {@code interrupt()}, so a channel that is never read or written, only blocked on while the sweep waits
 * for its runs, is the hook.
 *
 * <p>{@code Thread.interrupt()} wakes the waiting thread before it looks for the channel the thread is blocked on. Had
 * the woken thread unregistered the channel at once, the interrupter would find none and return before
 * {@code onInterrupt} ran. So the woken thread keeps the channel registered until the interrupter has closed it,
 * and closes it itself if that does not happen within {@link #GRACE_MILLIS} ms (an interrupt that came while it was
 * not waiting, so that no interrupter looks for the channel).
 */
final class InterruptHook extends AbstractInterruptibleChannel {
    /** Something to wait for that throws {@link InterruptedException} when the thread is interrupted. */
    interface Wait<T> {
        T get() throws InterruptedException;
    }

    static final long GRACE_MILLIS = 500;
    private final Runnable onInterrupt;
    private final Object ran = new Object();
    private boolean hasRun;  // guarded by ran: onInterrupt has returned

    InterruptHook(Runnable onInterrupt) { this.onInterrupt = onInterrupt; }

    /** {@code wait.get()}; an interrupt meanwhile (or before) runs {@code onInterrupt}, once. */
    <T> T await(Wait<T> wait) throws InterruptedException {
        begin();
        try {
            return wait.get();
        } catch (InterruptedException e) {
            awaitInterrupter();
            throw e;
        } finally {
            try {
                end(true);
            } catch (AsynchronousCloseException interrupted) {
                // onInterrupt has run; the wait threw InterruptedException, or the caller checks fired()
            }
        }
    }

    /** Waits (registered) until onInterrupt has run on the interrupter's thread; after the grace, runs it here. */
    private void awaitInterrupter() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
        synchronized (ran) {
            long left;
            while (!hasRun && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(ran, left);
                } catch (InterruptedException again) {
                    break;  // interrupted once more: stop waiting for the first interrupter
                }
            }
        }
        try {
            close();  // returns at once if the interrupter closed it; waits if it is closing it now
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Whether an interrupt ran {@code onInterrupt}. */
    boolean fired() { return !isOpen(); }

    @Override
    protected void implCloseChannel() {
        try {
            onInterrupt.run();
        } finally {
            synchronized (ran) {
                hasRun = true;
                ran.notifyAll();
            }
        }
    }
}
