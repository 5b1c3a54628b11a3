package org.normlab.norm;

import java.util.Arrays;
import java.util.List;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.nn.Saved;
import org.normlab.tensor.Tensor;

/**
 * BatchNorm in plain loops, every sum in double: the teaching text, and the oracle {@link BatchNorm}'s fast
 * kernels are tested against. Same equations, same PyTorch conventions (affine, running statistics, eps, momentum);
 * input (N, C, *), value (n, c, i) at index (n·C + c)·S + i, S the spatial size.
 *
 * <pre>
 * forward TRAIN:  μ_c = mean(x_c),  σ²_c = mean((x_c − μ_c)²),  x̂ = (x − μ_c)/√(σ²_c + ε),  y = γ_c·x̂ + β_c
 *                 running_mean_c ← (1 − f)·running_mean_c + f·μ_c,  running_var_c ← (1 − f)·running_var_c + f·σ²_c·m/(m − 1)
 * forward EVAL:   the same x̂ and y with μ_c, σ²_c = running_mean_c, running_var_c
 * backward:       dβ_c += Σ dy,  dγ_c += Σ dy·x̂
 *                 dx = γ_c/√(σ²_c + ε)·(dy − mean(dy) − x̂·mean(dy·x̂))   (after a TRAIN forward: μ, σ² depend on x)
 * </pre>
 * An EVAL forward keeps nothing for backward, as in {@link BatchNorm}.
 */
public final class ReferenceBatchNorm implements Layer {
    private final int channels;
    private final double eps, momentum;
    private final Param gamma, beta;
    private final double[] runningMean, runningVar;
    private final Saved<Tensor> savedInput = new Saved<>();  // of the last TRAIN forward
    private boolean train;
    private double[] mean, invStd;

    public ReferenceBatchNorm(int channels, double eps, double momentum) {
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        this.gamma = Param.normAffine("gamma", Tensor.full(1f, channels));
        this.beta = Param.normAffine("beta", Tensor.zeros(channels));
        this.runningMean = new double[channels];
        this.runningVar = new double[channels];
        Arrays.fill(runningVar, 1);
    }

    public Param gamma() { return gamma; }
    public Param beta() { return beta; }
    public double[] runningMean() { return runningMean.clone(); }
    public double[] runningVar() { return runningVar.clone(); }
    /** μ_c and 1/√(σ²_c + ε) of the last forward. */
    public double[] mean() { return mean.clone(); }
    public double[] invStd() { return invStd.clone(); }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        int n = x.dim(0), spatial = x.size() / (n * channels), m = n * spatial;
        float[] in = x.data(), out = new float[x.size()];
        train = mode == Mode.TRAIN;
        mean = new double[channels];
        invStd = new double[channels];
        for (int c = 0; c < channels; c++) {
            double mu = runningMean[c], var = runningVar[c];
            if (train) {
                double sum = 0, squares = 0;
                for (int s = 0; s < n; s++) for (int i = 0; i < spatial; i++) sum += in[(s * channels + c) * spatial + i];
                mu = sum / m;
                for (int s = 0; s < n; s++) for (int i = 0; i < spatial; i++) squares += Math.pow(in[(s * channels + c) * spatial + i] - mu, 2);
                var = squares / m;
                runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mu;
                runningVar[c] = (1 - momentum) * runningVar[c] + momentum * var * m / (m - 1);
            }
            mean[c] = mu;
            invStd[c] = 1 / Math.sqrt(var + eps);
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < spatial; i++) {
                    int at = (s * channels + c) * spatial + i;
                    out[at] = (float) (gamma.value().data()[c] * (in[at] - mu) * invStd[c] + beta.value().data()[c]);
                }
            }
        }
        savedInput.keep(mode, x);
        return Tensor.of(out, x.shape());
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor input = savedInput.get(this);
        int n = input.dim(0), spatial = input.size() / (n * channels), m = n * spatial;
        float[] in = input.data(), g = dy.data(), dx = new float[input.size()];
        for (int c = 0; c < channels; c++) {
            double sumDy = 0, sumDyXhat = 0, k = gamma.value().data()[c] * invStd[c];
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < spatial; i++) {
                    int at = (s * channels + c) * spatial + i;
                    sumDy += g[at];
                    sumDyXhat += g[at] * (in[at] - mean[c]) * invStd[c];
                }
            }
            gamma.grad().data()[c] += (float) sumDyXhat;
            beta.grad().data()[c] += (float) sumDy;
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < spatial; i++) {
                    int at = (s * channels + c) * spatial + i;
                    double xHat = (in[at] - mean[c]) * invStd[c];
                    dx[at] = (float) (k * (g[at] - sumDy / m - xHat * sumDyXhat / m));
                }
            }
        }
        return Tensor.of(dx, input.shape());
    }

    @Override public List<Param> params() { return List.of(gamma, beta); }
    @Override public String describe() { return "ReferenceBatchNorm(C=" + channels + ")"; }
}
