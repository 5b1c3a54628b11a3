package org.normlab.diagnostics;

import java.util.List;
import org.normlab.data.Dataset;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.tensor.Rng;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;

/**
 * How well a mini-batch estimates the mean and variance each BatchNorm normalizes with, at the current weights (claim
 * C19: small batches give inaccurate estimates). The population is the layer's input over a held-out sample of P
 * images in one training-mode pass (μ_c, σ²_c, the fourth central moment μ4_c, {@link BnInputs}); then {@value #BATCHES}
 * batches of each size B are drawn from the sample with replacement and passed in training mode, every BN normalizing
 * with its own batch's statistics as in training, and for the k-th BN (values per channel n = B·H·W; n = B in an MLP):
 * <pre>
 * mean_sq_err            mean over batches and channels of (μ̂_c − μ_c)² / σ²_c                 (iid values: 1/n)
 * var_rel_mse            mean over batches and channels of (s²_c / σ²_c − 1)²,  s² = σ̂²·n/(n − 1) (unbiased)
 * var_rel_mse_predicted  mean over channels of 2/(n − 1) + κ_c/n,  κ_c = μ4_c/σ⁴_c − 3
 * </pre>
 * For n iid draws from a distribution with excess kurtosis κ, Var(s²)/σ⁴ = 2/(n − 1) + κ/n exactly (2/(n − 1) for a
 * Gaussian), so for the first BN of an MLP, whose input values are iid over the batch, measured and predicted agree up
 * to sampling noise; deeper BNs see values already normalized with the batch's own statistics, which are no longer
 * independent. Metrics are {@code bn<k>/b<B>/<name>}. Channels with σ² below 1e-12 are left out.
 */
public final class BatchEstimates {
    public static final String MEAN_SQ_ERR = "mean_sq_err", VAR_REL_MSE = "var_rel_mse", VAR_REL_MSE_PREDICTED = "var_rel_mse_predicted";
    /** Batches drawn per batch size at each log point. */
    public static final int BATCHES = 16;
    /** The batch sizes a run measures. */
    public static final List<Integer> BATCH_SIZES = List.of(2, 4, 8, 16, 32, 128);

    private BatchEstimates() {}

    /** The metric {@code bn<k>/b<batch>/<name>} of the k-th BatchNorm (k from 1). */
    public static String metric(int k, int batch, String name) { return "bn" + k + "/b" + batch + "/" + name; }

    /** The hook that logs the metrics above at every log point, the population being {@code sample}. */
    public static Trainer.Hook hook(Dataset sample, List<Integer> batchSizes) {
        for (int b : batchSizes) if (b < 2) throw new IllegalArgumentException("BatchEstimates: batch sizes must be ≥ 2, got " + batchSizes);
        return (step, epoch, model, log) -> record(step, epoch, model, log, sample, batchSizes, new Rng(step));
    }

    /** Logs the metrics for {@code model} at {@code step}; batches are drawn from {@code draws}. */
    public static void record(int step, double epoch, Layer model, RunLog log, Dataset sample, List<Integer> batchSizes, Rng draws) {
        List<BnInputs.Moments> population = BnInputs.of(model, sample.inputs(), Mode.TRAIN, draws);
        int layers = population.size();
        for (int b : batchSizes) {
            double[] meanErr = new double[layers], varErr = new double[layers];
            int[] counted = new int[layers];
            int valuesPerChannel = 0;
            for (int draw = 0; draw < BATCHES; draw++) {
                int[] idx = new int[b];
                for (int i = 0; i < b; i++) idx[i] = draws.nextInt(sample.size());
                List<BnInputs.Moments> batch = BnInputs.of(model, sample.select(idx).inputs(), Mode.TRAIN, draws);
                for (int k = 0; k < layers; k++) {
                    BnInputs.Moments pop = population.get(k), est = batch.get(k);
                    int n = est.valuesPerChannel();
                    valuesPerChannel = n;
                    for (int c = 0; c < pop.var().length; c++) {
                        if (!(pop.var()[c] > 1e-12)) continue;
                        double dm = est.mean()[c] - pop.mean()[c], unbiased = est.var()[c] * n / (n - 1), dv = unbiased / pop.var()[c] - 1;
                        meanErr[k] += dm * dm / pop.var()[c];
                        varErr[k] += dv * dv;
                        counted[k]++;
                    }
                }
            }
            for (int k = 0; k < layers; k++) {
                BnInputs.Moments pop = population.get(k);
                double predicted = 0;
                int channels = 0;
                for (int c = 0; c < pop.var().length; c++) {
                    if (!(pop.var()[c] > 1e-12)) continue;
                    double kurtosis = pop.m4()[c] / (pop.var()[c] * pop.var()[c]) - 3;
                    predicted += 2.0 / (valuesPerChannel - 1) + kurtosis / valuesPerChannel;
                    channels++;
                }
                log.add(step, epoch, metric(k + 1, b, MEAN_SQ_ERR), meanErr[k] / counted[k]);
                log.add(step, epoch, metric(k + 1, b, VAR_REL_MSE), varErr[k] / counted[k]);
                log.add(step, epoch, metric(k + 1, b, VAR_REL_MSE_PREDICTED), predicted / channels);
            }
        }
    }
}
