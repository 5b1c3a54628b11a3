package org.normlab.experiment;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal progress bar (the progressbar library) for sweeps started from the command line. */
final class TerminalProgress implements Progress {
    private ProgressBar bar;

    @Override
    public void start(String title, int total) {
        bar = new ProgressBarBuilder().setTaskName(title).setInitialMax(total).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setUnit(" runs", 1).showSpeed().build();
    }

    @Override
    public void advance(String message) {
        bar.step();
        bar.setExtraMessage(message);
    }

    @Override
    public void finish() { bar.close(); }
}
