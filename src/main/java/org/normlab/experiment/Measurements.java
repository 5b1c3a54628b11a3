package org.normlab.experiment;

import org.normlab.diagnostics.BatchEstimates;
import org.normlab.diagnostics.BnLayerTrace;
import org.normlab.diagnostics.VarianceShift;
import java.io.Serializable;

/**
 * What a run measures besides train and test loss and accuracy.
 *
 * @param probeUnit        unit of the last hidden layer whose pre-activation percentiles are logged (−1: none)
 * @param preciseBnBatches if positive, also log test loss/accuracy with BN statistics recomputed over this many
 *                         training batches ({@link Experiment#TEST_ACC_PRECISE}), next to the usual EMA statistics
 * @param landscapeBatch   if positive, at every log point also measure the loss landscape along the gradient
 *                         (Santurkar et al.'s Fig. 4) on the first this many training examples
 * @param evalTrain        also log loss and accuracy on the training subset in EVAL mode
 *                         ({@link Experiment#TRAIN_EVAL_LOSS}, {@link Experiment#TRAIN_EVAL_ACC}) at every log: the
 *                         train side of a train/test gap, measured as the test side is
 * @param bnLayers         also log, per BatchNorm layer at every log, its mean γ and β, the σ and μ of its input
 *                         (running statistics), the median γ/σ, and the weight norm before it with the effective
 *                         learning rate lr/‖w‖² ({@link BnLayerTrace})
 * @param batchEstimates   if positive, at every log also measure how well batches of 2 … 128 estimate each BatchNorm's
 *                         input mean and variance, against the first this many images of the evaluation split
 *                         ({@link BatchEstimates})
 * @param varianceShift    if positive, at every log also measure each BatchNorm's input variance in training vs
 *                         inference mode and against its running variance, on the first this many images of the
 *                         evaluation split ({@link VarianceShift})
 */
public record Measurements(int probeUnit, int preciseBnBatches, int landscapeBatch, boolean evalTrain, boolean bnLayers, int batchEstimates,
                           int varianceShift) implements Serializable {
    /** Nothing beyond loss and accuracy. */
    public static final Measurements DEFAULT = new Measurements(-1, 0, 0, false, false, 0, 0);

    public Measurements {
        if (probeUnit < -1) throw new IllegalArgumentException("Measurements: probeUnit must be ≥ 0 or −1 (none), got " + probeUnit);
        if (preciseBnBatches < 0) throw new IllegalArgumentException("Measurements: preciseBnBatches must be ≥ 0, got " + preciseBnBatches);
        if (landscapeBatch < 0) throw new IllegalArgumentException("Measurements: landscapeBatch must be ≥ 0, got " + landscapeBatch);
        if (batchEstimates != 0 && batchEstimates < 2) throw new IllegalArgumentException("Measurements: batchEstimates must be 0 (off) or ≥ 2 images, got " + batchEstimates);
        if (varianceShift != 0 && varianceShift < 2) throw new IllegalArgumentException("Measurements: varianceShift must be 0 (off) or ≥ 2 images, got " + varianceShift);
    }

    public Measurements withProbeUnit(int u) { return new Measurements(u, preciseBnBatches, landscapeBatch, evalTrain, bnLayers, batchEstimates, varianceShift); }
    public Measurements withPreciseBnBatches(int k) { return new Measurements(probeUnit, k, landscapeBatch, evalTrain, bnLayers, batchEstimates, varianceShift); }
    public Measurements withLandscapeBatch(int n) { return new Measurements(probeUnit, preciseBnBatches, n, evalTrain, bnLayers, batchEstimates, varianceShift); }
    public Measurements withEvalTrain(boolean e) { return new Measurements(probeUnit, preciseBnBatches, landscapeBatch, e, bnLayers, batchEstimates, varianceShift); }
    public Measurements withBnLayers(boolean b) { return new Measurements(probeUnit, preciseBnBatches, landscapeBatch, evalTrain, b, batchEstimates, varianceShift); }
    public Measurements withBatchEstimates(int n) { return new Measurements(probeUnit, preciseBnBatches, landscapeBatch, evalTrain, bnLayers, n, varianceShift); }
    public Measurements withVarianceShift(int n) { return new Measurements(probeUnit, preciseBnBatches, landscapeBatch, evalTrain, bnLayers, batchEstimates, n); }
}
