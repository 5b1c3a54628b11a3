package org.normlab.experiment;

import java.util.HashMap;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A terminal progress bar (the progressbar library) for sweeps started from the command line. It counts hundredths of
 * a run, so that runs still training move it between finished runs; runs report from their own threads, hence the lock.
 */
final class TerminalProgress implements Progress {
    private static final int PARTS = 100;
    private ProgressBar bar;
    private int done;
    private final Map<String, Double> running = new HashMap<>();

    @Override
    public synchronized void start(String title, int total) {
        done = 0;
        running.clear();
        if (total == 0) {
            // Every run already stored: a bar of 0/0 would read "? %"; one line says it.
            bar = null;
            System.out.println(title);
            return;
        }
        // No speed column: with the task name, counts, elapsed time, ETA and the last run it left an 80-column
        // terminal no room for the bar itself.
        bar = new ProgressBarBuilder().setTaskName(title).setInitialMax((long) total * PARTS).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setUnit(" runs", PARTS).build();
        messageRoom = messageRoom(title);
    }

    /**
     * Room for the last run's description in an 80-column terminal beside the title, percentage, counts, elapsed
     * time, ETA and a bar of at least {@value #MIN_BAR} cells; none when under {@value #MIN_MESSAGE} characters.
     */
    static int messageRoom(String title) {
        int room = 80 - (title.length() + FIXED_COLUMNS + MIN_BAR);
        return room < MIN_MESSAGE ? 0 : Math.min(room, MESSAGE_LENGTH);
    }

    private static final int FIXED_COLUMNS = 40, MIN_BAR = 16, MIN_MESSAGE = 12;
    private int messageRoom;

    @Override
    public synchronized void advance(String message) {
        if (bar == null) return;
        done++;
        running.keySet().removeIf(run -> message.startsWith(run + ":"));
        moveBar();
        if (messageRoom > 0) bar.setExtraMessage(" " + shorten(message, messageRoom));
    }

    @Override
    public synchronized void running(String run, int step, int totalSteps, double trainLoss) {
        if (bar == null || totalSteps <= 0) return;
        running.put(run, Math.min(1.0, (double) step / totalSteps));
        moveBar();
    }

    private void moveBar() {
        double partial = running.values().stream().mapToDouble(Double::doubleValue).sum();
        bar.stepTo(Math.round((done + partial) * PARTS));
    }

    /** The last run's description, cut to {@code length} (at most {@value #MESSAGE_LENGTH}) characters. */
    static String shorten(String message, int length) {
        return message.length() <= length ? message : message.substring(0, length - 1) + "…";
    }

    static String shorten(String message) { return shorten(message, MESSAGE_LENGTH); }

    private static final int MESSAGE_LENGTH = 24;

    @Override
    public synchronized void finish() {
        if (bar != null) bar.close();
    }
}
