package org.normlab.jupyter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.normlab.experiment.Progress;

/**
 * Sweep progress in a notebook: one output that updates in place (Jupyter's display_id mechanism) with a bar,
 * runs done/total, elapsed time, ETA, the last finished run, and for each run still training its step count and a
 * live curve of its training loss. Runs report from their own threads, so every method holds the lock; updates from
 * training runs are sent at most every {@value #UPDATE_MILLIS} ms.
 */
final class NotebookProgress implements Progress {
    private static final long UPDATE_MILLIS = 250;
    private final BaseKernel kernel;
    private String displayId;
    private final Eta eta = new Eta();
    private String title = "", last = "";
    private volatile boolean interrupted;  // set on the thread that interrupts the sweep
    private final Map<String, Running> running = new LinkedHashMap<>();
    private long lastUpdate;

    /** A run still training: its last step, its step budget and its training loss at each log so far. */
    private record Running(int step, int totalSteps, List<Double> losses) {
        double fraction() { return totalSteps > 0 ? Math.min(1.0, (double) step / totalSteps) : 0; }
    }

    NotebookProgress(BaseKernel kernel) { this.kernel = kernel; }

    @Override
    public synchronized void start(String sweepTitle, int total) {
        title = sweepTitle;
        last = "";
        interrupted = false;
        running.clear();
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
    public synchronized void advance(String message) {
        eta.advance();
        last = message;
        running.keySet().removeIf(run -> message.startsWith(run + ":"));
        update(render(false));
    }

    @Override
    public synchronized void running(String run, int step, int totalSteps, double trainLoss) {
        if (interrupted || displayId == null) return;
        Running before = running.get(run);
        List<Double> losses = before == null ? new ArrayList<>() : before.losses();
        if (Double.isFinite(trainLoss)) losses.add(trainLoss);
        running.put(run, new Running(step, totalSteps, losses));
        long now = System.currentTimeMillis();
        if (now - lastUpdate >= UPDATE_MILLIS) update(render(false));
    }

    @Override
    public synchronized void finish() {
        running.clear();
        if (!interrupted) update(render(true));
    }

    private void update(DisplayData d) {
        lastUpdate = System.currentTimeMillis();
        kernel.getIO().display.updateDisplay(displayId, d);
    }

    @Override
    public synchronized void interrupted(String message) {
        interrupted = true;
        DisplayData d = new DisplayData(message);
        d.putHTML("<div style=\"font-family:sans-serif\"><b>" + esc(title) + "</b> " + esc(message) + "</div>");
        kernel.getIO().display.updateDisplay(displayId, d);
    }

    private DisplayData render(boolean finished) {
        int done = eta.done(), total = eta.total();
        double partial = running.values().stream().mapToDouble(Running::fraction).sum();
        String status = finished ? "done in " + Eta.format(eta.elapsed()) : eta.describe(partial);
        StringBuilder text = new StringBuilder(title + ": " + done + "/" + total + " runs, " + status + (last.isEmpty() ? "" : " — last: " + last));
        StringBuilder html = new StringBuilder("<div style=\"font-family:sans-serif\"><b>" + esc(title) + "</b> "
                + "<progress value=\"" + String.format(Locale.ROOT, "%.3f", done + partial) + "\" max=\"" + Math.max(total, 1)
                + "\" style=\"width:240px;vertical-align:middle\"></progress> " + done + "/" + total + " runs, " + esc(status)
                + (last.isEmpty() ? "" : "<br><span style=\"opacity:0.7\">last: " + esc(last) + "</span>"));
        for (Map.Entry<String, Running> e : running.entrySet()) {
            Running r = e.getValue();
            String loss = r.losses().isEmpty() ? "" : String.format(Locale.ROOT, ", train loss %.3f", r.losses().getLast());
            text.append("\n  training ").append(e.getKey()).append(": step ").append(r.step()).append('/').append(r.totalSteps()).append(loss);
            html.append("<br><span class=\"normlab-running\">training ").append(esc(e.getKey())).append(": step ").append(r.step())
                    .append('/').append(r.totalSteps()).append(esc(loss)).append("</span> ").append(sparkline(r.losses()));
        }
        DisplayData d = new DisplayData(text.toString());
        d.putHTML(html.append("</div>").toString());
        return d;
    }

    /** The training loss so far as a small inline SVG line, in the text colour of the page (light or dark theme). */
    static String sparkline(List<Double> losses) {
        if (losses.size() < 2) return "";
        double lo = losses.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double hi = losses.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        double w = 120, h = 18, span = hi > lo ? hi - lo : 1;
        StringBuilder pts = new StringBuilder();
        for (int i = 0; i < losses.size(); i++) {
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", w * i / (losses.size() - 1), 1 + (h - 2) * (hi - losses.get(i)) / span));
        }
        return "<svg width=\"" + (int) w + "\" height=\"" + (int) h + "\" style=\"vertical-align:middle\" role=\"img\">"
                + "<title>training loss over the run so far</title>"
                + "<polyline fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" points=\"" + pts.toString().trim() + "\"/></svg>";
    }

    private static String esc(String s) { return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"); }
}
