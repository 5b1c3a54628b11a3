package org.normlab.norm;

import java.util.Arrays;
import java.util.List;
import org.normlab.kernels.BlockNorm;
import org.normlab.kernels.BlockNorm.Affine;
import org.normlab.kernels.Layout;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.tensor.Tensor;

/**
 * Layer normalization (Ba, Kiros &amp; Hinton 2016) with PyTorch's conventions ({@code torch.nn.LayerNorm}).
 * Each sample is normalized over its trailing dims {@code normalizedShape}; the input is (*, normalizedShape)
 * with at least one leading (batch) dim. A "row" below is one sample's D = Π normalizedShape values.
 *
 * <pre>
 * forward (the same in TRAIN and EVAL; there are no running statistics):
 *   μ_r  = (1/D) Σ_i x_ri                    σ²_r = (1/D) Σ_i (x_ri − μ_r)²       (biased)
 *   x̂_ri = (x_ri − μ_r) / √(σ²_r + ε)       y_ri = γ_i·x̂_ri + β_i               (γ, β elementwise, shape normalizedShape)
 *
 * backward (μ_r, σ²_r depend on the row's x):
 *   dβ_i += Σ_r dy_ri                        dγ_i += Σ_r dy_ri·x̂_ri
 *   g_ri  = γ_i·dy_ri
 *   dx_ri = 1/√(σ²_r + ε) · (g_ri − mean_i(g_r) − x̂_ri·mean_i(g_r·x̂_r))
 * </pre>
 * Kernels: {@link BlockNorm} with one block per row (forward, shared with GroupNorm and InstanceNorm) and its
 * elementwise backward; results do not depend on the thread count.
 *
 * <p>For convolutional features (N,C,H,W) the LN of the GroupNorm paper normalizes over (C,H,W) with a
 * per-channel affine: that is {@code GroupNorm(1, C)}; {@code LayerNorm(C, H, W)} normalizes the same values
 * but with an elementwise (C·H·W) affine.
 */
public final class LayerNorm implements Layer {
    private final int[] normalizedShape;
    private final int rowSize;
    private final double eps;
    private final boolean elementwiseAffine;
    private final Param gamma, beta;

    private final BlockNormalizer rows = new BlockNormalizer(this);  // one block per row; keeps the input and μ_r, 1/σ_r

    /** PyTorch defaults: eps 1e-5, elementwise affine (γ = 1, β = 0). */
    public LayerNorm(int... normalizedShape) { this(normalizedShape, 1e-5, true); }

    /** @param normalizedShape the trailing dims to normalize over, e.g. {@code {features}} or {@code {C, H, W}} */
    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape == null || normalizedShape.length == 0) {
            throw new IllegalArgumentException("LayerNorm: normalizedShape must have at least one dim, got " + Arrays.toString(normalizedShape));
        }
        long size = 1;
        for (int d : normalizedShape) {
            if (d <= 0) throw new IllegalArgumentException("LayerNorm: normalizedShape dims must be positive, got " + Arrays.toString(normalizedShape));
            size *= d;
        }
        if (size > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("LayerNorm: normalizedShape " + Arrays.toString(normalizedShape) + " is too large");
        this.normalizedShape = normalizedShape.clone();
        this.rowSize = (int) size;
        if (!(eps > 0) || !Double.isFinite(eps)) throw new IllegalArgumentException(describe() + ": eps must be positive and finite, got " + eps);
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        this.gamma = elementwiseAffine ? Param.normAffine("gamma", Tensor.full(1f, normalizedShape)) : null;
        this.beta = elementwiseAffine ? Param.normAffine("beta", Tensor.zeros(normalizedShape)) : null;
    }

    /** γ, β, shape normalizedShape (null without elementwise affine). */
    public Param gamma() { return gamma; }
    public Param beta() { return beta; }
    public int[] normalizedShape() { return normalizedShape.clone(); }
    public double eps() { return eps; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        checkInput(x);
        Affine affine = elementwiseAffine ? new Affine.Elementwise(gamma.value().data(), beta.value().data()) : new Affine.Standardize();
        return rows.normalize(x, mode, new Layout(x.size() / rowSize, 1, rowSize), 1, eps, affine);  // μ_r, σ²_r, x̂_r, y_r = γ·x̂_r + β
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor dx = rows.gradientBuffer(dy), x = rows.input();
        int count = x.size() / rowSize;
        if (elementwiseAffine && BlockNorm.elementwisePartials(count, rowSize) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(describe() + ": input " + x.shapeString() + " is too large");
        }
        // dβ_i, dγ_i, g = γ·dy, dx = (g − mean(g) − x̂·mean(g·x̂))/σ_r
        BlockNorm.elementwiseInputGradient(dy.data(), x.data(), dx.data(), count, rowSize, elementwiseAffine ? gamma.value().data() : null,
                rows.stats(), elementwiseAffine ? gamma.grad().data() : null, elementwiseAffine ? beta.grad().data() : null, rows.scratch());
        return dx;
    }

    private void checkInput(Tensor x) {
        int r = x.rank(), k = normalizedShape.length;
        boolean ok = r > k;
        for (int i = 0; ok && i < k; i++) ok = x.dim(r - k + i) == normalizedShape[i];
        if (!ok) {
            StringBuilder expected = new StringBuilder("[*");
            for (int d : normalizedShape) expected.append(", ").append(d);
            throw new IllegalArgumentException(describe() + ": expected input " + expected + "] (at least one leading dim), got " + x.shapeString());
        }
        if (x.size() == 0) throw new IllegalArgumentException(describe() + ": got an empty input " + x.shapeString());
    }

    @Override public List<Param> params() { return elementwiseAffine ? List.of(gamma, beta) : List.of(); }
    @Override public String describe() { return "LayerNorm(" + Arrays.toString(normalizedShape) + ")"; }
}
