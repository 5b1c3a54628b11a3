package org.normlab.jupyter;

import java.util.UUID;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.normlab.experiment.Progress;

/**
 * Sweep progress in a notebook: one output that updates in place (Jupyter's display_id mechanism) with a bar,
 * runs done/total, elapsed time, ETA and the last finished run.
 */
final class NotebookProgress implements Progress {
    private final BaseKernel kernel;
    private String displayId;
    private final Eta eta = new Eta();
    private String title = "", last = "";
    private volatile boolean interrupted;  // set on the thread that interrupts the sweep

    NotebookProgress(BaseKernel kernel) { this.kernel = kernel; }

    @Override
    public void start(String sweepTitle, int total) {
        title = sweepTitle;
        last = "";
        interrupted = false;
        // A fresh id per sweep: a study that runs two sweeps through one Progress gets two outputs, each kept at its
        // own final state (one shared id would make the second sweep overwrite the first's output).
        displayId = "normlab-progress-" + UUID.randomUUID();
        eta.start(total);
        DisplayData d = render(false);
        // The protocol's transient display_id (DisplayData.setDisplayId changed its signature between JJava alphas).
        d.putTransientData("display_id", displayId);
        kernel.display(d);
    }

    @Override
    public void advance(String message) {
        eta.advance();
        last = message;
        kernel.getIO().display.updateDisplay(displayId, render(false));
    }

    @Override
    public void finish() {
        if (!interrupted) kernel.getIO().display.updateDisplay(displayId, render(true));
    }

    @Override
    public void interrupted(String message) {
        interrupted = true;
        DisplayData d = new DisplayData(message);
        d.putHTML("<div style=\"font-family:sans-serif\"><b>" + esc(title) + "</b> " + esc(message) + "</div>");
        kernel.getIO().display.updateDisplay(displayId, d);
    }

    private DisplayData render(boolean finished) {
        int done = eta.done(), total = eta.total();
        String status = finished ? "done in " + Eta.format(eta.elapsed()) : eta.describe();
        String text = title + ": " + done + "/" + total + " runs, " + status + (last.isEmpty() ? "" : " — last: " + last);
        DisplayData d = new DisplayData(text);
        d.putHTML("<div style=\"font-family:sans-serif\"><b>" + esc(title) + "</b> "
                + "<progress value=\"" + done + "\" max=\"" + Math.max(total, 1) + "\" style=\"width:240px;vertical-align:middle\"></progress> "
                + done + "/" + total + " runs, " + esc(status)
                + (last.isEmpty() ? "" : "<br><span style=\"color:#57606a\">last: " + esc(last) + "</span>") + "</div>");
        return d;
    }

    private static String esc(String s) { return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"); }
}
