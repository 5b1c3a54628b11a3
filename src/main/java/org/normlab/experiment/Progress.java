package org.normlab.experiment;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Progress of a sweep: runs done out of total, with an ETA. Where it shows depends on where NormLab runs:
 * in a notebook an updating display (installed by the kernel extension), in a terminal a progress bar,
 * elsewhere (CI logs) one line per finished run. {@link #auto()} picks.
 */
public interface Progress {
    /** A sweep of {@code total} runs begins ({@code cached} of them were already stored). */
    void start(String title, int total);

    /** One run finished; {@code message} begins with the run's label and a colon, then says how it went. */
    void advance(String message);

    /**
     * A run still training logged its metrics: {@code step} of {@code totalSteps} done, its mean training loss since
     * the last log. Called on the thread that trains the run (several at once when runs train in parallel), at every
     * log point of a {@link RunSpec} sweep; {@code run} is the label {@link #advance} will begin with.
     */
    default void running(String run, int step, int totalSteps, double trainLoss) {}

    /** The sweep ended. */
    void finish();

    /**
     * The sweep was interrupted; {@code message} says how many runs are stored. Shown where the progress is shown: a
     * notebook's kernel reports an interrupt by itself and drops the exception's text, so the display must say it.
     * Called on the interrupting thread, before its {@code interrupt()} returns, when the interrupt came while the sweep
     * waited for its runs (the kernel ends the cell right after); no {@link #start}, {@link #advance} or {@link #finish}
     * runs meanwhile, but {@link #running} may, from a run that has not yet stopped: a display ignores it from then on.
     */
    default void interrupted(String message) {}

    /** Where progress goes by default; the notebook extension replaces it with an updating display. */
    final class Defaults {
        private static volatile Supplier<Progress> factory;

        private Defaults() {}

        /** Used by the kernel extension: every {@link #auto()} from then on gives a notebook display. */
        public static void install(Supplier<Progress> notebookFactory) { factory = notebookFactory; }
    }

    static Progress auto() {
        Supplier<Progress> f = Defaults.factory;
        if (f != null) return f.get();
        return System.console() != null ? new TerminalProgress() : lines(System.out);
    }

    static Progress none() {
        return new Progress() {
            @Override public void start(String title, int total) {}
            @Override public void advance(String message) {}
            @Override public void finish() {}
        };
    }

    /** One line per finished run, with the count and an ETA. */
    static Progress lines(PrintStream out) {
        return new Progress() {
            private final Eta eta = new Eta();
            private String title;
            private volatile boolean interrupted;

            @Override public void start(String t, int total) {
                title = t;
                interrupted = false;
                eta.start(total);
                out.println(title + ": " + total + " runs");
            }

            @Override public void advance(String message) {
                eta.advance();
                out.println("[" + eta.done() + "/" + eta.total() + "] " + message + " — " + eta.describe());
            }

            @Override public void interrupted(String message) { interrupted = true; }

            @Override public void finish() { out.println(title + (interrupted ? ": interrupted after " : ": done in ") + Eta.format(eta.elapsed())); }
        };
    }

    /** Counts and a naive ETA (mean time per finished run × runs left). */
    final class Eta {
        private int total, done;
        private long startNanos;

        public void start(int totalRuns) { total = totalRuns; done = 0; startNanos = System.nanoTime(); }
        public void advance() { done++; }
        public int done() { return done; }
        public int total() { return total; }
        public Duration elapsed() { return Duration.ofNanos(System.nanoTime() - startNanos); }

        public Duration remaining() {
            if (done == 0) return null;
            return elapsed().multipliedBy(total - done).dividedBy(done);
        }

        /** Remaining time when the runs still training have done {@code partial} runs' worth of steps between them. */
        public Duration remaining(double partial) {
            double progress = done + partial;
            if (!(progress > 0)) return null;
            return Duration.ofNanos(Math.round(elapsed().toNanos() * Math.max(0, total - progress) / progress));
        }

        public String describe(double partial) {
            Duration r = remaining(partial);
            return "elapsed " + format(elapsed()) + (r == null || done == total ? "" : ", ETA " + format(r));
        }

        public String describe() {
            Duration r = remaining();
            return "elapsed " + format(elapsed()) + (r == null || done == total ? "" : ", ETA " + format(r));
        }

        public static String format(Duration d) {
            long s = Math.round(d.toMillis() / 1000.0);
            return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
        }
    }
}
