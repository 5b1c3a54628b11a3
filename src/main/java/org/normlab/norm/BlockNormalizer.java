package org.normlab.norm;

import org.normlab.kernels.BlockNorm;
import org.normlab.kernels.BlockNorm.Affine;
import org.normlab.kernels.Layout;
import org.normlab.kernels.ReusedTensor;
import org.normlab.kernels.Scratch;
import org.normlab.kernels.Statistics;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Saved;
import org.normlab.tensor.Tensor;

/**
 * The forward LayerNorm, GroupNorm and InstanceNorm share: normalize every block of a layout ({@link BlockNorm}: a
 * row, a (sample, group) or a (sample, channel)), keeping what their backward needs, the input and each block's
 * statistics. Output and gradient buffers are reused while the shape repeats: a returned tensor stays valid until
 * the layer's next forward (backward). An EVAL forward keeps nothing of the batch: not its input, and its output is
 * its own tensor, held softly until the next TRAIN step (the statistics, one triple per block, are kept either way).
 */
final class BlockNormalizer {
    private final Layer layer;
    private final Saved<Tensor> input = new Saved<>();
    private final ReusedTensor output = new ReusedTensor(), gradInput = new ReusedTensor();
    private Statistics stats;
    private final Scratch scratch = new Scratch();

    BlockNormalizer(Layer layer) { this.layer = layer; }

    /** y = affine(x̂) over the blocks with their own statistics; NaN or Inf in x is an error naming the layer. */
    Tensor normalize(Tensor x, Mode mode, Layout layout, int groups, double eps, Affine affine) {
        stats = Statistics.reuse(stats, layout.outer() * groups);
        Tensor y = output.take(mode == Mode.TRAIN, x.shape());
        finish(x, mode, BlockNorm.normalize(x.data(), y.data(), layout, groups, eps, affine, stats, scratch));
        return y;
    }

    /** y = γ_c·(x − running_mean_c)/√(running_var_c + ε) + β_c with one block per (sample, channel). */
    Tensor normalizeWithRunning(Tensor x, Mode mode, Layout layout, double eps, Affine.PerChannel affine, float[] runningMean,
                                float[] runningVar) {
        stats = Statistics.reuse(stats, layout.outer() * layout.channels());
        stats.setFromRunning(runningMean, runningVar, eps, layout.channels());
        Tensor y = output.take(mode == Mode.TRAIN, x.shape());
        finish(x, mode, BlockNorm.normalizeWith(x.data(), y.data(), layout, layout.channels(), affine, stats));
        return y;
    }

    private void finish(Tensor x, Mode mode, boolean finite) {
        if (!finite) throw new IllegalArgumentException(layer.describe() + ": input contains NaN or Inf");
        input.keep(mode, x);
    }

    /** The last TRAIN forward's input; fails naming the layer after an EVAL forward. */
    Tensor input() { return input.get(layer); }

    /** The last forward's per-block μ, σ², 1/√(σ² + ε). */
    Statistics stats() { return stats; }

    Scratch scratch() { return scratch; }

    /** The buffer for dL/dx, after checking that {@code dy} has the last input's shape. */
    Tensor gradientBuffer(Tensor dy) {
        Tensor x = input();
        Layer.checkGradient(layer, x, dy);
        return gradInput.reuse(x.shape());
    }
}
