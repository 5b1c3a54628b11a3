package org.normlab.train;

import org.normlab.nn.Layer;

/**
 * A layer the trainer reads at every log point: it arms each one in the model, runs one EVAL forward over held-out
 * examples, and logs the percentiles {@link Trainer#PROBE_PERCENTILES} of what each recorded, as metrics
 * {@code probe/<name>/p<q>}. Declared here so that the trainer needs no diagnostics; the diagnostics package's
 * Probe is the implementation.
 */
public interface RecordingLayer extends Layer {
    /** The name in the logged metrics. */
    String name();

    /** The next forward records the values this layer watches. */
    void arm();

    /** The q-th percentile (0–100) of the values the last armed forward recorded. */
    double percentile(double q);
}
