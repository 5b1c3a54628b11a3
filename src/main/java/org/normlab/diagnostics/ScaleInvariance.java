package org.normlab.diagnostics;

import java.util.ArrayList;
import java.util.List;
import org.normlab.data.Dataset;
import org.normlab.nn.Conv2d;
import org.normlab.nn.Layer;
import org.normlab.nn.Linear;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.nn.loss.SoftmaxCrossEntropy;
import org.normlab.norm.BatchNorm;
import org.normlab.norm.RunningStatistics;

/**
 * The scale invariance BatchNorm gives the weights before it (van Laarhoven 2017; Arora, Li &amp; Lyu 2018). For a
 * bias-free layer z = W·u followed by BN in training mode, each output channel's weights w_c enter only through
 * x̂_c = (z_c − μ_c)/√(σ²_c + ε), and scaling w_c by a > 0 scales z_c, μ_c and σ_c by a:
 * <pre>
 * BN(a·W·u) = BN(W·u)            (exactly as ε → 0; ε = 1e-5 makes it approximate when a·σ is tiny)
 * ∇_{a·w} L = ∇_w L / a          ⟨w_c, ∇_{w_c} L⟩ = 0
 * </pre>
 * so SGD's step on w_c changes its direction by about lr·‖∇‖/‖w_c‖ = (lr/‖w_c‖²)·‖∇_{ŵ} L‖ for the unit vector
 * ŵ = w_c/‖w_c‖: the effective learning rate is lr/‖w_c‖². Without weight decay the orthogonal steps only lengthen w
 * (‖w_{t+1}‖² = ‖w_t‖² + lr²‖∇‖² for plain SGD), so the effective rate falls; weight decay shrinks w and the two
 * settle at an equilibrium.
 */
public final class ScaleInvariance {
    private ScaleInvariance() {}

    /** A layer's weights and the BatchNorm right after it in a container (e.g. Linear → BN, Conv2d → BN). */
    public record WeightsBeforeBn(Param weight, BatchNorm bn) {
        /**
         * ‖w‖ = √(mean_c ‖w_c‖²) = ‖W‖_F / √C: the root mean square of the per-channel weight norms (each output
         * channel's weights are one scale-invariant group), in double.
         */
        public double weightNorm() {
            double sq = 0;
            for (float v : weight.value().data()) sq += (double) v * v;
            return Math.sqrt(sq / weight.value().dim(0));
        }
    }

    /**
     * Every BatchNorm of {@code model} that directly follows a Linear or Conv2d in some container, with those weights,
     * in forward order. A BN after an activation (placement after) is not scale-invariant in the weights and is left out.
     */
    public static List<WeightsBeforeBn> weightsBeforeBn(Layer model) {
        List<WeightsBeforeBn> found = new ArrayList<>();
        collect(model, found);
        return found;
    }

    private static void collect(Layer layer, List<WeightsBeforeBn> found) {
        List<Layer> children = layer.children();
        for (int i = 0; i < children.size(); i++) {
            if (i > 0 && children.get(i) instanceof BatchNorm bn) {
                Param w = switch (children.get(i - 1)) {
                    case Linear l -> l.weight();
                    case Conv2d c -> c.weight();
                    default -> null;
                };
                if (w != null) found.add(new WeightsBeforeBn(w, bn));
            }
            collect(children.get(i), found);
        }
    }

    /**
     * |L(a·W) − L(W)| / L(W): the relative change of the training-mode loss on {@code batch} when every weight tensor
     * directly before a BN is multiplied by {@code factor}. Weights and running statistics are put back afterwards.
     */
    @SuppressWarnings("try")  // the resource is not named in the body: closing it restores the running statistics
    public static double relativeLossChange(Layer model, Dataset batch, double factor) {
        if (!(factor > 0) || !Double.isFinite(factor)) throw new IllegalArgumentException("ScaleInvariance: factor must be positive and finite, got " + factor);
        List<WeightsBeforeBn> pairs = weightsBeforeBn(model);
        if (pairs.isEmpty()) throw new IllegalArgumentException("ScaleInvariance: " + model.describe() + " has no Linear or Conv2d directly followed by BatchNorm");
        try (RunningStatistics frozen = RunningStatistics.frozen(model)) {
            double before = SoftmaxCrossEntropy.evaluate(model.forward(batch.inputs(), Mode.TRAIN), batch.labels()).loss();
            List<float[]> saved = new ArrayList<>();
            for (WeightsBeforeBn p : pairs) {
                float[] w = p.weight().value().data();
                saved.add(w.clone());
                for (int i = 0; i < w.length; i++) w[i] = (float) (w[i] * factor);
            }
            double after = SoftmaxCrossEntropy.evaluate(model.forward(batch.inputs(), Mode.TRAIN), batch.labels()).loss();
            for (int k = 0; k < pairs.size(); k++) System.arraycopy(saved.get(k), 0, pairs.get(k).weight().value().data(), 0, saved.get(k).length);
            return Math.abs(after - before) / before;
        }
    }
}
