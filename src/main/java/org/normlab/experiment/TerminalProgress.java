package org.normlab.experiment;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal progress bar (the progressbar library) for sweeps started from the command line. */
final class TerminalProgress implements Progress {
    private ProgressBar bar;

    @Override
    public void start(String title, int total) {
        // No speed column: with the task name, counts, elapsed time, ETA and the last run it left an 80-column
        // terminal no room for the bar itself.
        bar = new ProgressBarBuilder().setTaskName(title).setInitialMax(total).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setUnit(" runs", 1).build();
    }

    @Override
    public void advance(String message) {
        bar.step();
        bar.setExtraMessage(" " + shorten(message));
    }

    /** The last run's description, cut to {@value #MESSAGE_LENGTH} characters. */
    static String shorten(String message) {
        return message.length() <= MESSAGE_LENGTH ? message : message.substring(0, MESSAGE_LENGTH - 1) + "…";
    }

    private static final int MESSAGE_LENGTH = 24;

    @Override
    public void finish() { bar.close(); }
}
