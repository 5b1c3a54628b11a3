package org.normlab.norm;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.normlab.kernels.Moments;
import org.normlab.kernels.Parallelism;
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
 * Kernels: two passes over each row each way (the shared {@link Moments} kernel), sums in double, rows split over
 * {@link Parallelism#threads()} threads; backward finishes a row's dx while the row is still in cache and adds its
 * dγ, dβ terms to its block's partial sums, which a last short pass adds up by columns. Results do not depend on
 * the thread count.
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

    // Buffers reused while the shape repeats (a returned tensor is valid until this layer's next forward/backward),
    // and the kernel arguments Parallelism.forEach hands to the per-row kernels.
    private Tensor output, gradInput;
    private double[] sums, columnSums;
    private float[] kIn, kOut, kDy;
    private volatile boolean nonFinite;
    private float[] blockPartials;
    private int kRows;
    private final IntConsumer forwardRow = this::forwardRow, backwardRows = this::backwardRows, affineGradients = this::affineGradients;

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
        if (mean == null || mean.length != rows) {
            mean = new double[rows];
            invStd = new double[rows];
        }
        sums = Moments.scratch(sums, 2 * rows);
        output = Tensor.reuse(output, x.shape());
        kIn = x.data();
        kOut = output.data();
        nonFinite = false;
        Parallelism.forEach(rows, 2L * x.size(), forwardRow);
        kIn = kOut = null;
        if (nonFinite) throw new IllegalArgumentException(describe() + ": input contains NaN or Inf");
        input = x;
        return output;
    }

    /** Row r: moments (pass 1, also the finiteness check), then y = γ·(x − μ)/σ + β (pass 2). */
    private void forwardRow(int r) {
        float[] in = kIn, out = kOut;
        int off = r * rowSize;
        double shift = in[off];
        sums[2 * r] = 0;
        sums[2 * r + 1] = 0;
        Moments.addShifted(in, off, rowSize, shift, sums, 2 * r);
        if (!Double.isFinite(sums[2 * r]) || !Double.isFinite(sums[2 * r + 1])) { nonFinite = true; return; }
        double mu = Moments.mean(shift, sums[2 * r], rowSize);
        double is = 1 / Math.sqrt(Moments.variance(sums[2 * r], sums[2 * r + 1], rowSize) + eps);
        mean[r] = mu;
        invStd[r] = is;
        float a = (float) is, b = (float) (-mu * is);
        if (!elementwiseAffine) {
            Moments.affine(in, out, off, rowSize, a, b);
            return;
        }
        Moments.affineElementwise(in, out, off, rowSize, a, b, gamma.value().data(), beta.value().data());
    }

    @Override
    public Tensor backward(Tensor dy) {
        Layer.checkGradient(this, input, dy);
        int rows = input.size() / rowSize, blocks = (rows + ROW_BLOCK - 1) / ROW_BLOCK;
        gradInput = Tensor.reuse(gradInput, input.shape());
        if (elementwiseAffine) {
            columnSums = Moments.scratch(columnSums, 2 * rowSize);
            long partials = 2L * rowSize * blocks;
            if (partials > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(describe() + ": input " + input.shapeString() + " is too large");
            if (blockPartials == null || blockPartials.length < partials) blockPartials = new float[(int) partials];
        }
        kIn = input.data();
        kDy = dy.data();
        kOut = gradInput.data();
        kRows = rows;
        // Blocks of rows: each row's sums, then its dx while the row is still in cache, and the block's float
        // partial sums of dγ, dβ; then those partials added over the blocks in order, by columns.
        Parallelism.forEach(blocks, 5L * input.size(), backwardRows);
        if (elementwiseAffine) Parallelism.forEach(columnBlocks(), 2L * rowSize * blocks, affineGradients);
        kIn = kDy = kOut = null;
        return gradInput;
    }

    /** Rows per block of the backward pass; dγ, dβ are summed in float within a block, in double across blocks. */
    private static final int ROW_BLOCK = 32;

    /**
     * Rows [b·32, (b+1)·32): per row, pass 1 (Σg, Σg·(x − μ) with g = γ·dy) and pass 2
     * dx = (1/σ)·g − (Σg·(x − μ)/(D·σ³))·(x − μ) − Σg/(D·σ); and the block's partial sums
     * Σ_r dy_ri·x̂_ri, Σ_r dy_ri in float (rows in order).
     */
    private void backwardRows(int block) {
        float[] in = kIn, grad = kDy, out = kOut;
        int from = block * ROW_BLOCK, to = Math.min(kRows, from + ROW_BLOCK), partials = 2 * rowSize * block;
        if (elementwiseAffine) java.util.Arrays.fill(blockPartials, partials, partials + 2 * rowSize, 0f);
        for (int r = from; r < to; r++) {
            int off = r * rowSize;
            double mu = mean[r], is = invStd[r];
            double[] acc = sums;
            acc[2 * r] = 0;
            acc[2 * r + 1] = 0;
            float[] g = grad;
            if (elementwiseAffine) {  // g = γ·dy goes into this row of the dx buffer, which dx then overwrites
                Moments.multiplyElementwise(gamma.value().data(), grad, out, off, rowSize);
                g = out;
            }
            Moments.addGradientSums(g, in, off, rowSize, mu, acc, 2 * r);
            float k = (float) is, kx = (float) (is * is * is * acc[2 * r + 1] / rowSize), c0 = (float) (-is * acc[2 * r] / rowSize);
            Moments.inputGradient(g, in, out, off, rowSize, k, kx, (float) mu, c0);
            if (elementwiseAffine) Moments.addAffineGradientPartials(grad, in, off, rowSize, (float) mu, k, blockPartials, partials, partials + rowSize);
        }
    }

    /**
     * Columns per block of the final dγ, dβ pass: at least about four blocks per thread. Every column is summed over
     * the row blocks in the same order whatever the block size, so this may depend on the thread count without
     * changing any result.
     */
    private int columnBlock;

    private int columnBlocks() {
        int wanted = (rowSize + 4 * Parallelism.threads() - 1) / (4 * Parallelism.threads());
        columnBlock = Math.max(512, Math.min(8192, (wanted + 63) / 64 * 64));
        return (rowSize + columnBlock - 1) / columnBlock;
    }

    /** Columns [b·B, (b+1)·B): dγ_i += Σ_blocks (Σ_r dy_ri·x̂_ri), dβ_i += Σ_blocks (Σ_r dy_ri), blocks added in double, in order. */
    private void affineGradients(int block) {
        int from = block * columnBlock, to = Math.min(rowSize, from + columnBlock), blocks = (kRows + ROW_BLOCK - 1) / ROW_BLOCK;
        float[] pg = blockPartials;
        double[] sg = columnSums;  // [0, rowSize): Σ dy·x̂; [rowSize, 2·rowSize): Σ dy
        java.util.Arrays.fill(sg, from, to, 0);
        java.util.Arrays.fill(sg, rowSize + from, rowSize + to, 0);
        for (int b = 0; b < blocks; b++) {
            int p = 2 * rowSize * b;
            for (int i = from; i < to; i++) {
                sg[i] += pg[p + i];
                sg[rowSize + i] += pg[p + rowSize + i];
            }
        }
        float[] dg = gamma.grad().data(), db = beta.grad().data();
        for (int i = from; i < to; i++) {
            dg[i] += (float) sg[i];
            db[i] += (float) sg[rowSize + i];
        }
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

    @Override
    public List<Param> params() { return elementwiseAffine ? List.of(gamma, beta) : List.of(); }

    @Override
    public String describe() { return "LayerNorm(" + Arrays.toString(normalizedShape) + ")"; }
}
