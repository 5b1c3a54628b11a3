package org.normlab.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one training run recorded: metric values at logged steps, and whether (and where) it diverged.
 * A diverged run keeps everything logged before the divergence.
 */
public final class RunLog {
    /** One logged value. {@code epoch} is fractional (step / steps per epoch). */
    public record Point(int step, double epoch, String metric, double value) {}

    private final List<Point> points = new ArrayList<>();
    private int divergedAtStep = -1;
    private String divergence;
    private double wallSeconds;

    void add(int step, double epoch, String metric, double value) { points.add(new Point(step, epoch, metric, value)); }

    void markDiverged(int step, String why) {
        divergedAtStep = step;
        divergence = why;
    }

    void setWallSeconds(double seconds) { wallSeconds = seconds; }

    public List<Point> points() { return Collections.unmodifiableList(points); }
    public boolean diverged() { return divergedAtStep >= 0; }
    /** Step at which the loss became non-finite or blew up, or -1. */
    public int divergedAtStep() { return divergedAtStep; }
    /** Why the run was stopped as diverged, or null. */
    public String divergence() { return divergence; }
    public double wallSeconds() { return wallSeconds; }

    /** The last logged value of {@code metric}, or NaN. */
    public double last(String metric) {
        for (int i = points.size() - 1; i >= 0; i--) if (points.get(i).metric().equals(metric)) return points.get(i).value();
        return Double.NaN;
    }
}
