package org.normlab.norm;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.tensor.Parallelism;
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
 * Kernels: two passes over memory each way, sums in double, on {@link Parallelism#threads()} threads. Forward and
 * backward pass 1 split the rows (the shared {@link Moments} kernel); backward pass 2 splits the columns, so dx and
 * dγ, dβ (summed over rows in order) come from one pass. Results do not depend on the thread count.
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
    private float[] rowK, rowKx, rowC0, rowMu, columnPartials;
    private final IntConsumer forwardRow = this::forwardRow, rowGradientSums = this::rowGradientSums,
            inputAndAffineGradients = this::inputAndAffineGradients;

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
        output = Moments.reuse(output, x);
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
        int rows = input.size() / rowSize;
        gradInput = Moments.reuse(gradInput, input);
        if (rowK == null || rowK.length != rows) {
            rowK = new float[rows];
            rowKx = new float[rows];
            rowC0 = new float[rows];
            rowMu = new float[rows];
        }
        if (elementwiseAffine) {
            columnSums = Moments.scratch(columnSums, 2 * rowSize);
            if (columnPartials == null || columnPartials.length < 2 * rowSize) columnPartials = new float[2 * rowSize];
        }
        kIn = input.data();
        kDy = dy.data();
        kOut = gradInput.data();
        // Pass 1 by rows: Σg and Σg·(x − μ) per row (g = γ·dy).
        Parallelism.forEach(rows, 2L * input.size(), rowGradientSums);
        for (int r = 0; r < rows; r++) {
            double is = invStd[r];
            rowK[r] = (float) is;
            rowKx[r] = (float) (is * is * is * sums[2 * r + 1] / rowSize);
            rowC0[r] = (float) (-is * sums[2 * r] / rowSize);
            rowMu[r] = (float) mean[r];
        }
        // Pass 2 by blocks of columns: dx, and dγ_i, dβ_i summed over the rows in order.
        Parallelism.forEach(columnBlocks(), 3L * input.size(), inputAndAffineGradients);
        kIn = kDy = kOut = null;
        return gradInput;
    }

    /** Row r: Σg, Σg·(x − μ) with g = γ·dy, in double. */
    private void rowGradientSums(int r) {
        float[] in = kIn, grad = kDy;
        int off = r * rowSize;
        double mu = mean[r];
        sums[2 * r] = 0;
        sums[2 * r + 1] = 0;
        if (!elementwiseAffine) {
            Moments.addGradientSums(grad, in, off, rowSize, mu, sums, 2 * r);
            return;
        }
        // g = γ·dy goes into this row of the dx buffer (pass 2 overwrites it), then the shared sums kernel.
        float[] g = gamma.value().data(), gRow = kOut;
        for (int i = 0; i < rowSize; i++) gRow[off + i] = g[i] * grad[off + i];
        Moments.addGradientSums(gRow, in, off, rowSize, mu, sums, 2 * r);
    }

    private static final int FLUSH = 32;
    /**
     * Columns per block of backward pass 2: long runs per row (few restarts of the hardware prefetcher), at least
     * about four blocks per thread. Every column is summed over the rows in the same order whatever the block
     * size, so this may depend on the thread count without changing any result.
     */
    private int columnBlock;

    private int columnBlocks() {
        int wanted = (rowSize + 4 * Parallelism.threads() - 1) / (4 * Parallelism.threads());
        columnBlock = Math.max(512, Math.min(8192, (wanted + 63) / 64 * 64));
        return (rowSize + columnBlock - 1) / columnBlock;
    }

    /**
     * Columns [b·B, (b+1)·B) of every row (B = {@link #columnBlock}): dx = (1/σ)·g − (Σg·(x − μ)/(D·σ³))·(x − μ) − Σg/(D·σ), and
     * dγ_i += Σ_r dy_ri·x̂_ri, dβ_i += Σ_r dy_ri (rows in order: float over 32 rows, then double).
     */
    private void inputAndAffineGradients(int block) {
        float[] in = kIn, grad = kDy, out = kOut;
        int from = block * columnBlock, to = Math.min(rowSize, from + columnBlock), rows = input.size() / rowSize;
        if (!elementwiseAffine) {
            for (int r = 0; r < rows; r++) Moments.inputGradient(grad, in, out, r * rowSize + from, to - from, rowK[r], rowKx[r], rowMu[r], rowC0[r]);
            return;
        }
        float[] g = gamma.value().data(), pg = columnPartials;
        double[] sg = columnSums;  // [0, rowSize): Σ dy·x̂; [rowSize, 2·rowSize): Σ dy
        java.util.Arrays.fill(sg, from, to, 0);
        java.util.Arrays.fill(sg, rowSize + from, rowSize + to, 0);
        java.util.Arrays.fill(pg, from, to, 0f);
        java.util.Arrays.fill(pg, rowSize + from, rowSize + to, 0f);
        for (int r = 0; r < rows; r++) {
            int off = r * rowSize;
            float k = rowK[r], kx = rowKx[r], c0 = rowC0[r], mu = rowMu[r], is = (float) invStd[r];
            for (int i = from; i < to; i++) out[off + i] = k * (g[i] * grad[off + i]) - kx * (in[off + i] - mu) + c0;
            // Float partial sums over at most FLUSH rows (the JIT vectorizes these loops), then added in double.
            for (int i = from; i < to; i++) pg[i] += grad[off + i] * ((in[off + i] - mu) * is);
            for (int i = from; i < to; i++) pg[rowSize + i] += grad[off + i];
            if ((r + 1) % FLUSH == 0 || r == rows - 1) {
                for (int i = from; i < to; i++) {
                    sg[i] += pg[i];
                    sg[rowSize + i] += pg[rowSize + i];
                    pg[i] = 0f;
                    pg[rowSize + i] = 0f;
                }
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
