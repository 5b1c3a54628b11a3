package org.normlab.norm;

import java.util.ArrayList;
import java.util.List;
import org.normlab.tensor.Tensor;
import java.util.Arrays;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;

/**
 * Normalizes one quantity a (N rows × D features) inside a recurrent cell at each time step t, as
 * {@link RecurrentNorm} chooses: a layer norm over the D features of each row, or a batch norm over the N rows of
 * each feature with statistics kept per time step. The gain γ (D values, starting at γ₀) and the optional bias β
 * (D values, starting at 0) are shared by all time steps. ε = 1e-5 and momentum 0.1, PyTorch's defaults.
 *
 * <pre>
 * LAYER (Ba et al. 2016), statistics of each row n over its D features; the same in TRAIN and EVAL:
 *   μ_n = (1/D) Σ_j a[n,j],   σ²_n = (1/D) Σ_j (a[n,j] − μ_n)²,   â[n,j] = (a[n,j] − μ_n) / √(σ²_n + ε)
 *
 * BATCH_PER_STEP (Cooijmans et al. 2016), statistics of each feature j over the N rows, one set per step t:
 *   TRAIN:  μ_j = (1/N) Σ_n a[n,j],   σ²_j = (1/N) Σ_n (a[n,j] − μ_j)²                        (biased)
 *           runningMean_t ← 0.9·runningMean_t + 0.1·μ,   runningVar_t ← 0.9·runningVar_t + 0.1·σ²·N/(N − 1)
 *           (the statistics of a step first seen start at mean 0, variance 1, as a fresh BatchNorm's)
 *   EVAL:   μ, σ² = runningMean_s, runningVar_s with s = min(t, stepsTracked − 1): steps beyond the longest
 *           trained sequence reuse the last trained step's statistics (mean 0, variance 1 before any training)
 *           â[n,j] = (a[n,j] − μ_j) / √(σ²_j + ε)
 *
 * both:     y[n,j] = γ_j·â[n,j] + β_j
 *
 * backward, with g = γ ⊙ dy (the gradient of â) and means taken along the axis the statistics reduce over
 * (the features j for LAYER, the rows n for BATCH_PER_STEP):
 *   dγ_j += Σ_n dy[n,j]·â[n,j],   dβ_j += Σ_n dy[n,j]
 *   da = (g − mean(g) − â ⊙ mean(g ⊙ â)) / √(σ² + ε)      statistics of a itself (LAYER; BATCH_PER_STEP in TRAIN)
 *   da = g / √(σ² + ε)                                   running statistics, constants (BATCH_PER_STEP in EVAL)
 * </pre>
 * Sums accumulate in double (two passes: mean, then centred squares). Call {@link #startSequence()} before step 0
 * of every sequence; steps then run in order 0, 1, 2, … and backward may visit them in any order.
 */
public final class StepNorm {
    private static final double EPS = 1e-5, MOMENTUM = 0.1;

    private final RecurrentNorm norm;
    private final int features;
    private final String role;
    private final Param gamma, beta;
    // Running statistics, one pair per trained time step (BATCH_PER_STEP only).
    private final List<float[]> runningMeans = new ArrayList<>(), runningVars = new ArrayList<>();
    // What backward needs, per step of the current sequence.
    private final List<float[]> normalized = new ArrayList<>();     // â, rows × D
    private final List<double[]> inverseStd = new ArrayList<>();    // 1/√(σ² + ε): per row (LAYER) or per feature (BATCH)
    private final List<Boolean> statisticsOfInput = new ArrayList<>();

    /**
     * @param norm     LAYER or BATCH_PER_STEP, with γ₀
     * @param features D
     * @param role     names the quantity in parameter names and errors, e.g. "Ih" gives parameters "gammaIh", "betaIh"
     * @param withBias whether to learn β (a cell leaves it out where its own bias b already adds one)
     */
    public StepNorm(RecurrentNorm norm, int features, String role, boolean withBias) {
        if (!norm.normalizes()) throw new IllegalArgumentException("StepNorm: needs LAYER or BATCH_PER_STEP, got " + norm.label());
        if (features <= 0) throw new IllegalArgumentException("StepNorm: number of features must be positive, got " + features);
        this.norm = norm;
        this.features = features;
        this.role = role;
        this.gamma = Param.normAffine("gamma" + role, Tensor.full((float) norm.initialGain(), features));
        this.beta = withBias ? Param.normAffine("beta" + role, Tensor.zeros(features)) : null;
    }

    public RecurrentNorm norm() { return norm; }
    public int features() { return features; }
    public Param gamma() { return gamma; }
    /** β, or null when this norm has none. */
    public Param beta() { return beta; }

    /** Number of time steps with running statistics (the longest sequence trained on); 0 for LAYER. */
    public int stepsTracked() { return runningMeans.size(); }

    /** Running mean of step {@code step} (shares storage with this norm). */
    public Tensor runningMean(int step) { checkTracked(step); return Tensor.of(runningMeans.get(step), features); }

    /** Running unbiased variance of step {@code step} (shares storage with this norm). */
    public Tensor runningVar(int step) { checkTracked(step); return Tensor.of(runningVars.get(step), features); }

    private void checkTracked(int step) {
        if (step < 0 || step >= runningMeans.size()) {
            throw new IndexOutOfBoundsException(describe() + ": no running statistics for step " + step + " (" + runningMeans.size() + " steps tracked)");
        }
    }

    /** γ back to γ₀, β back to 0; running statistics are kept. */
    public void resetParameters() {
        Arrays.fill(gamma.value().data(), (float) norm.initialGain());
        if (beta != null) Arrays.fill(beta.value().data(), 0f);
    }

    /** Forgets the per-step memory of the previous sequence. */
    public void startSequence() {
        normalized.clear();
        inverseStd.clear();
        statisticsOfInput.clear();
    }

    public List<Param> params() { return beta == null ? List.of(gamma) : List.of(gamma, beta); }

    /** y = γ ⊙ â + β for step {@code t}; {@code a} is rows × D, row-major, and is not modified. */
    public float[] forward(int t, float[] a, int rows, Mode mode) {
        if (a.length != rows * features) {
            throw new IllegalArgumentException(describe() + ": expected " + rows + "×" + features + " values, got " + a.length);
        }
        if (t != normalized.size()) {
            throw new IllegalStateException(describe() + ": step " + t + " out of order (expected step " + normalized.size() + ")");
        }
        float[] xhat = new float[a.length];
        double[] invStd;
        boolean fromInput;
        if (norm.kind() == RecurrentNorm.Kind.LAYER) {
            invStd = layerStatistics(a, rows, xhat);
            fromInput = true;
        } else if (mode == Mode.TRAIN) {
            invStd = batchStatistics(t, a, rows, xhat);
            fromInput = true;
        } else {
            invStd = runningStatistics(t, a, rows, xhat);
            fromInput = false;
        }
        float[] y = new float[a.length];
        float[] g = gamma.value().data();
        for (int n = 0; n < rows; n++) {
            int off = n * features;
            for (int j = 0; j < features; j++) y[off + j] = g[j] * xhat[off + j] + (beta == null ? 0f : beta.value().data()[j]);
        }
        normalized.add(xhat);
        inverseStd.add(invStd);
        statisticsOfInput.add(fromInput);
        return y;
    }

    private double[] layerStatistics(float[] a, int rows, float[] xhat) {
        double[] invStd = new double[rows];
        for (int n = 0; n < rows; n++) {
            int off = n * features;
            double sum = 0;
            for (int j = 0; j < features; j++) sum += a[off + j];
            double mu = sum / features, sq = 0;
            for (int j = 0; j < features; j++) { double d = a[off + j] - mu; sq += d * d; }
            double is = 1 / Math.sqrt(sq / features + EPS);
            invStd[n] = is;
            for (int j = 0; j < features; j++) xhat[off + j] = (float) ((a[off + j] - mu) * is);
        }
        return invStd;
    }

    private double[] batchStatistics(int t, float[] a, int rows, float[] xhat) {
        if (rows < 2) {
            throw new IllegalArgumentException(describe() + ": expected more than 1 row per feature when training, got " + rows);
        }
        if (t == runningMeans.size()) {
            runningMeans.add(new float[features]);
            float[] var = new float[features];
            Arrays.fill(var, 1f);
            runningVars.add(var);
        }
        float[] rm = runningMeans.get(t), rv = runningVars.get(t);
        double[] invStd = new double[features];
        for (int j = 0; j < features; j++) {
            double sum = 0;
            for (int n = 0; n < rows; n++) sum += a[n * features + j];
            double mu = sum / rows, sq = 0;
            for (int n = 0; n < rows; n++) { double d = a[n * features + j] - mu; sq += d * d; }
            double var = sq / rows, is = 1 / Math.sqrt(var + EPS);
            invStd[j] = is;
            for (int n = 0; n < rows; n++) xhat[n * features + j] = (float) ((a[n * features + j] - mu) * is);
            rm[j] = (float) ((1 - MOMENTUM) * rm[j] + MOMENTUM * mu);
            rv[j] = (float) ((1 - MOMENTUM) * rv[j] + MOMENTUM * var * rows / (rows - 1));
        }
        return invStd;
    }

    private double[] runningStatistics(int t, float[] a, int rows, float[] xhat) {
        int tracked = runningMeans.size();
        double[] invStd = new double[features];
        for (int j = 0; j < features; j++) {
            double mu = tracked == 0 ? 0 : runningMeans.get(Math.min(t, tracked - 1))[j];
            double var = tracked == 0 ? 1 : runningVars.get(Math.min(t, tracked - 1))[j];
            double is = 1 / Math.sqrt(var + EPS);
            invStd[j] = is;
            for (int n = 0; n < rows; n++) xhat[n * features + j] = (float) ((a[n * features + j] - mu) * is);
        }
        return invStd;
    }

    /** dL/da for step {@code t} given dL/dy ({@code dy}, rows × D); adds dL/dγ and dL/dβ. */
    public float[] backward(int t, float[] dy) {
        if (t < 0 || t >= normalized.size()) {
            throw new IllegalStateException(describe() + ": backward for step " + t + " but forward ran " + normalized.size() + " steps");
        }
        float[] xhat = normalized.get(t);
        if (dy.length != xhat.length) {
            throw new IllegalArgumentException(describe() + ": expected a gradient of " + xhat.length + " values at step " + t + ", got " + dy.length);
        }
        double[] invStd = inverseStd.get(t);
        int rows = xhat.length / features;
        float[] g = gamma.value().data();
        float[] da = new float[dy.length];

        double[] dGamma = new double[features], dBeta = new double[features];
        for (int n = 0; n < rows; n++) {
            int off = n * features;
            for (int j = 0; j < features; j++) {
                dGamma[j] += (double) dy[off + j] * xhat[off + j];
                dBeta[j] += dy[off + j];
            }
        }
        float[] gammaGrad = gamma.grad().data();
        for (int j = 0; j < features; j++) gammaGrad[j] += (float) dGamma[j];
        if (beta != null) {
            float[] betaGrad = beta.grad().data();
            for (int j = 0; j < features; j++) betaGrad[j] += (float) dBeta[j];
        }

        if (norm.kind() == RecurrentNorm.Kind.LAYER) {
            // Per row: the statistics reduce over the features, so γ_j varies inside the means.
            for (int n = 0; n < rows; n++) {
                int off = n * features;
                double meanG = 0, meanGXhat = 0;
                for (int j = 0; j < features; j++) {
                    double gj = (double) g[j] * dy[off + j];
                    meanG += gj;
                    meanGXhat += gj * xhat[off + j];
                }
                meanG /= features;
                meanGXhat /= features;
                for (int j = 0; j < features; j++) {
                    double gj = (double) g[j] * dy[off + j];
                    da[off + j] = (float) (invStd[n] * (gj - meanG - xhat[off + j] * meanGXhat));
                }
            }
        } else if (statisticsOfInput.get(t)) {
            // Per feature: γ_j is constant over the rows, so mean(g) = γ_j·mean(dy) = γ_j·dβ_j/N.
            for (int j = 0; j < features; j++) {
                double meanDy = dBeta[j] / rows, meanDyXhat = dGamma[j] / rows, scale = g[j] * invStd[j];
                for (int n = 0; n < rows; n++) {
                    int i = n * features + j;
                    da[i] = (float) (scale * (dy[i] - meanDy - xhat[i] * meanDyXhat));
                }
            }
        } else {
            for (int j = 0; j < features; j++) {
                float scale = (float) (g[j] * invStd[j]);
                for (int n = 0; n < rows; n++) da[n * features + j] = scale * dy[n * features + j];
            }
        }
        return da;
    }

    /** e.g. "StepNorm(LN, Ih, D=16)" or "StepNorm(BN per step γ₀=0.1, Hh, D=16)". */
    public String describe() { return "StepNorm(" + norm.label() + ", " + role + ", D=" + features + ")"; }
}
