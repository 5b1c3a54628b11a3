package org.normlab.diagnostics;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.normlab.nn.Layer;
import org.normlab.norm.BatchNorm;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;

/**
 * What every BatchNorm of a network does at a log point: the affine map it learned against the spread of what it
 * normalizes (Ioffe &amp; Szegedy's "γ and β can recover the original activations": γ_c = σ_c, β_c = μ_c undoes the
 * normalization), and the norm of the weights before it with the effective learning rate (see
 * {@link ScaleInvariance}). For the k-th BatchNorm in forward order (k from 1), as metrics {@code bn<k>/<name>}:
 * <pre>
 * gamma              mean_c γ_c                  (1 without affine)
 * beta               mean_c β_c                  (0 without affine)
 * sigma              mean_c σ_c,  σ_c = √(running_var_c + ε): the spread of the layer's input over recent batches
 * mu                 mean_c running_mean_c
 * gamma_over_sigma   median_c γ_c / σ_c          (1: the layer hands its input's scale back)
 * weight_norm        ‖w‖ = √(mean_c ‖w_c‖²) of the Linear/Conv2d right before it (only when there is one)
 * effective_lr       lr / ‖w‖²                   (lr as the trainer logged it at this step)
 * </pre>
 * The running statistics are PyTorch's (EMA with momentum 0.1, unbiased variance), so σ is what the layer saw over its
 * last ten or so training batches (in the first twenty or so steps it still carries the initial running variance 1);
 * nothing is run through the model. A BN without running statistics is skipped.
 */
public final class BnLayerTrace {
    public static final String GAMMA = "gamma", BETA = "beta", SIGMA = "sigma", MU = "mu", GAMMA_OVER_SIGMA = "gamma_over_sigma",
            WEIGHT_NORM = "weight_norm", EFFECTIVE_LR = "effective_lr";

    private BnLayerTrace() {}

    /** The metric {@code bn<k>/<name>} of the k-th BatchNorm (k from 1). */
    public static String metric(int k, String name) { return "bn" + k + "/" + name; }

    /** The hook that logs the metrics above at every log point. */
    public static Trainer.Hook hook() { return BnLayerTrace::record; }

    /** Logs the metrics of every BatchNorm of {@code model} at {@code step}. */
    public static void record(int step, double epoch, Layer model, RunLog log) {
        Map<BatchNorm, ScaleInvariance.WeightsBeforeBn> before = new IdentityHashMap<>();
        for (ScaleInvariance.WeightsBeforeBn p : ScaleInvariance.weightsBeforeBn(model)) before.put(p.bn(), p);
        List<BatchNorm> bns = PreciseBn.batchNorms(model);
        double lr = log.last(Trainer.LR);
        for (int k = 1; k <= bns.size(); k++) {
            BatchNorm bn = bns.get(k - 1);
            if (bn.runningVar() == null) continue;  // no running statistics: nothing says what the layer saw
            int c = bn.channels();
            float[] gamma = bn.gamma() == null ? null : bn.gamma().value().data(), beta = bn.beta() == null ? null : bn.beta().value().data();
            double[] ratio = new double[c];
            double g = 0, b = 0, sigma = 0, mu = 0;
            for (int i = 0; i < c; i++) {
                double gi = gamma == null ? 1 : gamma[i], si = Math.sqrt(bn.runningVar().data()[i] + bn.eps());
                g += gi;
                b += beta == null ? 0 : beta[i];
                sigma += si;
                mu += bn.runningMean().data()[i];
                ratio[i] = gi / si;
            }
            log.add(step, epoch, metric(k, GAMMA), g / c);
            log.add(step, epoch, metric(k, BETA), b / c);
            log.add(step, epoch, metric(k, SIGMA), sigma / c);
            log.add(step, epoch, metric(k, MU), mu / c);
            log.add(step, epoch, metric(k, GAMMA_OVER_SIGMA), median(ratio));
            ScaleInvariance.WeightsBeforeBn w = before.get(bn);
            if (w != null) {
                double norm = w.weightNorm();
                log.add(step, epoch, metric(k, WEIGHT_NORM), norm);
                log.add(step, epoch, metric(k, EFFECTIVE_LR), lr / (norm * norm));
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
