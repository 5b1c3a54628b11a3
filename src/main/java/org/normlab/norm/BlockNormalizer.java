package org.normlab.norm;

import org.normlab.kernels.BlockNorm;
import org.normlab.kernels.BlockNorm.Affine;
import org.normlab.kernels.Layout;
import org.normlab.kernels.Scratch;
import org.normlab.kernels.Statistics;
import org.normlab.nn.Layer;
import org.normlab.tensor.Tensor;

/**
 * The forward LayerNorm, GroupNorm and InstanceNorm share: normalize every block of a layout ({@link BlockNorm}: a
 * row, a (sample, group) or a (sample, channel)), keeping what their backward needs, the input and each block's
 * statistics. Output and gradient buffers are reused while the shape repeats: a returned tensor stays valid until
 * the layer's next forward (backward).
 */
final class BlockNormalizer {
    private final Layer layer;
    private Tensor input, output, gradInput;
    private Statistics stats;
    private final Scratch scratch = new Scratch();

    BlockNormalizer(Layer layer) { this.layer = layer; }

    /** y = affine(x̂) over the blocks with their own statistics; NaN or Inf in x is an error naming the layer. */
    Tensor normalize(Tensor x, Layout layout, int groups, double eps, Affine affine) {
        stats = Statistics.reuse(stats, layout.outer() * groups);
        output = Tensor.reuse(output, x.shape());
        finish(x, BlockNorm.normalize(x.data(), output.data(), layout, groups, eps, affine, stats, scratch));
        return output;
    }

    /** y = γ_c·(x − running_mean_c)/√(running_var_c + ε) + β_c with one block per (sample, channel). */
    Tensor normalizeWithRunning(Tensor x, Layout layout, double eps, Affine.PerChannel affine, float[] runningMean, float[] runningVar) {
        stats = Statistics.reuse(stats, layout.outer() * layout.channels());
        stats.setFromRunning(runningMean, runningVar, eps, layout.channels());
        output = Tensor.reuse(output, x.shape());
        finish(x, BlockNorm.normalizeWith(x.data(), output.data(), layout, layout.channels(), affine, stats));
        return output;
    }

    private void finish(Tensor x, boolean finite) {
        if (!finite) throw new IllegalArgumentException(layer.describe() + ": input contains NaN or Inf");
        input = x;
    }

    /** The last forward's input. */
    Tensor input() { return input; }

    /** The last forward's per-block μ, σ², 1/√(σ² + ε). */
    Statistics stats() { return stats; }

    Scratch scratch() { return scratch; }

    /** The buffer for dL/dx, after checking that {@code dy} has the last input's shape. */
    Tensor gradientBuffer(Tensor dy) {
        Layer.checkGradient(layer, input, dy);
        return gradInput = Tensor.reuse(gradInput, input.shape());
    }
}
