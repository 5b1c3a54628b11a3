package org.normlab.diagnostics;

import java.util.ArrayList;
import java.util.List;
import org.normlab.data.Batches;
import org.normlab.data.Dataset;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.RunningStatistics;

/**
 * Precise BatchNorm statistics (Wu &amp; Johnson 2021, "Rethinking 'Batch' in BatchNorm"): with the weights frozen,
 * replace every BatchNorm's exponential moving averages by population statistics recomputed over {@code k} batches.
 *
 * <pre>
 * for each BatchNorm: running_mean, running_var ← 0, 1;  momentum ← null (cumulative)
 * for b = 1..k: forward(batch_b, TRAIN)          (only BN's running statistics change; no backward, no update)
 *   ⇒ running_mean = (1/k) Σ_b μ_b,   running_var = (1/k) Σ_b σ²_b·m/(m−1)
 * restore each momentum
 * </pre>
 * This is the equal-weight average fvcore's {@code update_bn_stats} computes. The EMA, by contrast, is dominated by
 * the last ~1/momentum batches, taken while the weights were still moving: the cause of d2l's test accuracy swinging
 * between runs at learning rate 1.0 while training accuracy stays put. To measure with precise statistics and keep
 * the EMA ones, recompute inside {@link RunningStatistics#frozen}.
 */
public final class PreciseBn {
    private PreciseBn() {}

    /** Every BatchNorm inside {@code model}, in order. */
    public static List<BatchNorm> batchNorms(Layer model) {
        // Inside blocks, wrappers (e.g. a fault injected by Faults), Ghost and noisy BN alike.
        return Layer.all(model, BatchNorm.class);
    }

    /** Recomputes the running statistics over the first {@code batches} batches of {@code data} (data order). */
    public static void recompute(Layer model, Dataset data, int batches, int batchSize) {
        if (batches < 1) throw new IllegalArgumentException("PreciseBn: needs at least one batch, got " + batches);
        List<BatchNorm> bns = batchNorms(model);
        List<Double> momenta = new ArrayList<>();
        for (BatchNorm bn : bns) {
            momenta.add(bn.momentum());
            bn.resetRunningStats();
            bn.setMomentum(null);
        }
        try {
            int seen = 0;
            for (Dataset batch : new Batches(data, batchSize, null, true)) {
                if (seen++ == batches) break;
                model.forward(batch.inputs(), Mode.TRAIN);
            }
            if (seen == 0) throw new IllegalArgumentException("PreciseBn: " + data.size() + " examples make no full batch of " + batchSize);
        } finally {
            for (int i = 0; i < bns.size(); i++) bns.get(i).setMomentum(momenta.get(i));
        }
    }
}
