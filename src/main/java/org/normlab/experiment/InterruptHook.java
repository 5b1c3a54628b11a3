package org.normlab.experiment;

import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.spi.AbstractInterruptibleChannel;

/**
 * A wait whose interrupt runs {@code onInterrupt} before the interrupting thread's {@link Thread#interrupt} returns.
 * A notebook kernel (JJava) interrupts a cell by interrupting the cell's thread and ends the cell as soon as that call
 * returns: what the cell says later never reaches it. The JDK closes the interruptible channel a thread is blocked on
 * from within {@code interrupt()} (on whichever of the two threads gets there first, the other waiting for it), so a
 * channel that is never read or written, only blocked on while the sweep waits for its runs, is the hook.
 */
final class InterruptHook extends AbstractInterruptibleChannel {
    /** Something to wait for that throws {@link InterruptedException} when the thread is interrupted. */
    interface Wait<T> {
        T get() throws InterruptedException;
    }

    private final Runnable onInterrupt;

    InterruptHook(Runnable onInterrupt) { this.onInterrupt = onInterrupt; }

    /** {@code wait.get()}; an interrupt meanwhile (or before) runs {@code onInterrupt}, once. */
    <T> T await(Wait<T> wait) throws InterruptedException {
        begin();
        try {
            return wait.get();
        } finally {
            try {
                end(true);
            } catch (AsynchronousCloseException interrupted) {
                // onInterrupt has run; the wait threw InterruptedException, or the caller checks fired()
            }
        }
    }

    /** Whether an interrupt ran {@code onInterrupt}. */
    boolean fired() { return !isOpen(); }

    @Override
    protected void implCloseChannel() { onInterrupt.run(); }
}
