package org.normlab.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one training run recorded: metric values at logged steps, and whether (and where) it diverged.
 * A diverged run keeps everything logged before the divergence.
 */
public final class RunLog implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One logged value. {@code epoch} is fractional (step / steps per epoch). */
    public record Point(int step, double epoch, String metric, double value) implements Serializable {}

    private final List<Point> points = new ArrayList<>();
    private int divergedAtStep = -1;
    private String divergence;
    private String error;
    private double wallSeconds;

    public RunLog() {}

    /** A log read back from storage. */
    public static RunLog restore(List<Point> points, int divergedAtStep, String divergence, String error, double wallSeconds) {
        RunLog log = new RunLog();
        log.points.addAll(points);
        log.divergedAtStep = divergedAtStep;
        log.divergence = divergence;
        log.error = error;
        log.wallSeconds = wallSeconds;
        return log;
    }

    /** Logs one value (the trainer's own metrics, and those of {@link Trainer.Hook}s). */
    public void add(int step, double epoch, String metric, double value) { points.add(new Point(step, epoch, metric, value)); }

    void markDiverged(int step, String why) {
        divergedAtStep = step;
        divergence = why;
    }

    void setWallSeconds(double seconds) { wallSeconds = seconds; }

    /** Records that the run stopped on an error (a bug or bad input, not a divergence); what was logged is kept. */
    public void markFailed(String message) { error = message; }

    public List<Point> points() { return Collections.unmodifiableList(points); }
    public boolean diverged() { return divergedAtStep >= 0; }
    /** Step at which the loss became non-finite or blew up, or -1. */
    public int divergedAtStep() { return divergedAtStep; }
    /** Why the run was stopped as diverged, or null. */
    public String divergence() { return divergence; }
    public double wallSeconds() { return wallSeconds; }
    /** The error that stopped the run, or null. */
    public String error() { return error; }
    public boolean failed() { return error != null; }

    /** The last logged value of {@code metric}, or NaN. */
    public double last(String metric) {
        for (int i = points.size() - 1; i >= 0; i--) if (points.get(i).metric().equals(metric)) return points.get(i).value();
        return Double.NaN;
    }
}
