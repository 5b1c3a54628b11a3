package org.normlab.norm;

import java.util.Arrays;
import java.util.List;
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
 * Sums accumulate in double (two passes: mean, then centred squares).
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

    // What backward needs from the last forward.
    private Tensor input;
    private double[] mean, invStd;

    /** PyTorch defaults: eps 1e-5, elementwise affine (γ = 1, β = 0). */
    public LayerNorm(int... normalizedShape) { this(normalizedShape, 1e-5, true); }

    /**
     * @param normalizedShape the trailing dims to normalize over, e.g. {@code {features}} or {@code {C, H, W}}
     */
    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape == null || normalizedShape.length == 0) {
            throw new IllegalArgumentException("LayerNorm: normalizedShape must have at least one dim, got "
                    + Arrays.toString(normalizedShape));
        }
        long size = 1;
        for (int d : normalizedShape) {
            if (d <= 0) throw new IllegalArgumentException("LayerNorm: normalizedShape dims must be positive, got " + Arrays.toString(normalizedShape));
            size *= d;
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("LayerNorm: normalizedShape " + Arrays.toString(normalizedShape) + " is too large");
        }
        this.normalizedShape = normalizedShape.clone();
        this.rowSize = (int) size;
        if (!(eps > 0) || !Double.isFinite(eps)) throw new IllegalArgumentException(describe() + ": eps must be positive and finite, got " + eps);
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        this.gamma = elementwiseAffine ? Param.normAffine("gamma", Tensor.full(1f, normalizedShape)) : null;
        this.beta = elementwiseAffine ? Param.normAffine("beta", Tensor.zeros(normalizedShape)) : null;
    }

    public int[] normalizedShape() { return normalizedShape.clone(); }
    public double eps() { return eps; }
    /** γ, shape normalizedShape (null without elementwise affine). */
    public Param gamma() { return gamma; }
    /** β, shape normalizedShape (null without elementwise affine). */
    public Param beta() { return beta; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        checkInput(x);
        int rows = x.size() / rowSize;
        float[] in = x.data();
        mean = new double[rows];
        invStd = new double[rows];
        Tensor y = Tensor.zeros(x.shape());
        float[] out = y.data();
        float[] g = elementwiseAffine ? gamma.value().data() : null, b = elementwiseAffine ? beta.value().data() : null;
        for (int r = 0; r < rows; r++) {
            int off = r * rowSize;
            double sum = 0;
            for (int i = 0; i < rowSize; i++) sum += in[off + i];
            double mu = sum / rowSize, sq = 0;
            for (int i = 0; i < rowSize; i++) { double d = in[off + i] - mu; sq += d * d; }
            double is = 1 / Math.sqrt(sq / rowSize + eps);
            mean[r] = mu;
            invStd[r] = is;
            for (int i = 0; i < rowSize; i++) {
                double xhat = (in[off + i] - mu) * is;
                out[off + i] = (float) (elementwiseAffine ? g[i] * xhat + b[i] : xhat);
            }
        }
        input = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (input == null) throw new IllegalStateException(describe() + ": backward called before forward");
        if (!dy.sameShape(input)) {
            throw new IllegalArgumentException(describe() + ": expected gradient " + input.shapeString() + ", got " + dy.shapeString());
        }
        int rows = input.size() / rowSize;
        float[] in = input.data(), grad = dy.data();
        float[] g = elementwiseAffine ? gamma.value().data() : null;
        double[] dGamma = new double[rowSize], dBeta = new double[rowSize];
        Tensor dx = Tensor.zeros(input.shape());
        float[] out = dx.data();
        for (int r = 0; r < rows; r++) {
            int off = r * rowSize;
            double mu = mean[r], is = invStd[r];
            double sumG = 0, sumGXhat = 0;
            for (int i = 0; i < rowSize; i++) {
                double xhat = (in[off + i] - mu) * is;
                double gi = elementwiseAffine ? g[i] * grad[off + i] : grad[off + i];
                sumG += gi;
                sumGXhat += gi * xhat;
                dGamma[i] += grad[off + i] * xhat;
                dBeta[i] += grad[off + i];
            }
            double meanG = sumG / rowSize, meanGXhat = sumGXhat / rowSize;
            for (int i = 0; i < rowSize; i++) {
                double xhat = (in[off + i] - mu) * is;
                double gi = elementwiseAffine ? g[i] * grad[off + i] : grad[off + i];
                out[off + i] = (float) (is * (gi - meanG - xhat * meanGXhat));
            }
        }
        if (elementwiseAffine) {
            float[] dg = gamma.grad().data(), db = beta.grad().data();
            for (int i = 0; i < rowSize; i++) {
                dg[i] += (float) dGamma[i];
                db[i] += (float) dBeta[i];
            }
        }
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
        if (!x.isFinite()) throw new IllegalArgumentException(describe() + ": input contains NaN or Inf");
    }

    @Override
    public List<Param> params() { return elementwiseAffine ? List.of(gamma, beta) : List.of(); }

    @Override
    public String describe() { return "LayerNorm(" + Arrays.toString(normalizedShape) + ")"; }
}
