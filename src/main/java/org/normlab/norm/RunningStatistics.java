package org.normlab.norm;

import java.util.ArrayList;
import java.util.List;
import org.normlab.nn.Layer;

/**
 * The running statistics of every {@link BatchNorm} in a model (running mean, running variance and the count of
 * batches seen), held fixed across a block of code: saved when the block opens, put back bit for bit when it closes,
 * also when the block throws.
 * <pre>
 * try (RunningStatistics frozen = RunningStatistics.frozen(model)) {
 *     model.forward(x, Mode.TRAIN);     // moves the running statistics ...
 * }                                     // ... and they are back as they were
 * </pre>
 * For diagnostics that run TRAIN-mode forwards on a trained model (batch statistics on purpose) without changing what
 * the model does in EVAL afterwards. Covered are the BatchNorms anywhere inside the model, also inside blocks, Ghost
 * and noisy BN and wrappers; parameters, gradients and momentum are not saved, nor the running statistics of layers
 * that are not BatchNorms (BatchRenorm, InstanceNorm, the recurrent per-step norms).
 */
public final class RunningStatistics implements AutoCloseable {
    /** One BatchNorm's running statistics as they were when the block opened. */
    private record Saved(BatchNorm batchNorm, float[] mean, float[] var, long batchesTracked) {}

    private final List<Saved> saved;

    private RunningStatistics(List<Saved> saved) { this.saved = saved; }

    /** Saves the running statistics of every BatchNorm in {@code model}; {@link #close} puts them back. */
    public static RunningStatistics frozen(Layer model) {
        List<Saved> saved = new ArrayList<>();
        for (BatchNorm bn : Layer.all(model, BatchNorm.class)) {
            if (bn.runningMean() == null) continue;  // trackRunningStats = false: nothing to keep
            saved.add(new Saved(bn, bn.runningMean().data().clone(), bn.runningVar().data().clone(), bn.batchesTracked()));
        }
        return new RunningStatistics(saved);
    }

    /** Puts the saved running statistics back now; they stay saved, for a later restore or the close. */
    public void restore() {
        for (Saved s : saved) {
            System.arraycopy(s.mean(), 0, s.batchNorm().runningMean().data(), 0, s.mean().length);
            System.arraycopy(s.var(), 0, s.batchNorm().runningVar().data(), 0, s.var().length);
            s.batchNorm().setBatchesTracked(s.batchesTracked());
        }
    }

    /** Restores the running statistics as they were when the block opened. */
    @Override
    public void close() { restore(); }
}
