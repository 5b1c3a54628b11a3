package org.normlab.diagnostics;

import java.util.List;
import org.normlab.data.Dataset;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.norm.BatchNorm;
import org.normlab.tensor.Rng;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;

/**
 * The variance shift of Li et al. (2019, "Understanding the disharmony between dropout and batch normalization"):
 * dropout scales what it keeps by 1/(1 − p) in training and passes everything at inference, so a BatchNorm that sees
 * dropped-out values receives an input of one variance in training and another at inference, while its running
 * variance, learned in training, is the first. The held-out sample passes once in training mode (dropout on, masks
 * from a stream of the measurement's own, {@link BnInputs}; BN with the sample's statistics) and once in inference
 * mode; for the k-th BatchNorm, as metrics {@code bn<k>/<name>}:
 * <pre>
 * var_train              mean_c Var_train(x_c)
 * var_eval               mean_c Var_eval(x_c)
 * log_shift              mean_c ln(Var_eval(x_c) / Var_train(x_c))    (Li et al.'s shift ratio, in log; 0: no shift)
 * log_running_over_eval  mean_c ln(running_var_c / Var_eval(x_c))     (how far inference's statistics are from its input)
 * </pre>
 * For dropout directly before BN on inputs of mean μ and variance σ², Var_train = (σ² + μ²)/(1 − p) − μ², so the
 * shift ratio is σ²(1 − p)/(σ² + pμ²) ≤ 1 − p. Channels with a variance below 1e-12 in either mode are left out.
 */
public final class VarianceShift {
    public static final String VAR_TRAIN = "var_train", VAR_EVAL = "var_eval", LOG_SHIFT = "log_shift", LOG_RUNNING_OVER_EVAL = "log_running_over_eval";

    private VarianceShift() {}

    /** The metric {@code bn<k>/<name>} of the k-th BatchNorm (k from 1). */
    public static String metric(int k, String name) { return "bn" + k + "/" + name; }

    /** The hook that logs the metrics above at every log point on {@code sample}. */
    public static Trainer.Hook hook(Dataset sample) {
        return (step, epoch, model, log) -> record(step, epoch, model, log, sample, new Rng(step));
    }

    /** Logs the metrics for {@code model} at {@code step}; dropout masks of the training pass come from {@code masks}. */
    public static void record(int step, double epoch, Layer model, RunLog log, Dataset sample, Rng masks) {
        List<BnInputs.Moments> train = BnInputs.of(model, sample.inputs(), Mode.TRAIN, masks), eval = BnInputs.of(model, sample.inputs(), Mode.EVAL, null);
        List<BatchNorm> bns = PreciseBn.batchNorms(model);
        for (int k = 0; k < train.size(); k++) {
            double[] vt = train.get(k).var(), ve = eval.get(k).var();
            float[] running = bns.get(k).runningVar() == null ? null : bns.get(k).runningVar().data();
            double sumTrain = 0, sumEval = 0, shift = 0, runningOverEval = 0;
            int n = 0;
            for (int c = 0; c < vt.length; c++) {
                sumTrain += vt[c];
                sumEval += ve[c];
                if (!(vt[c] > 1e-12 && ve[c] > 1e-12)) continue;
                shift += Math.log(ve[c] / vt[c]);
                if (running != null) runningOverEval += Math.log(running[c] / ve[c]);
                n++;
            }
            log.add(step, epoch, metric(k + 1, VAR_TRAIN), sumTrain / vt.length);
            log.add(step, epoch, metric(k + 1, VAR_EVAL), sumEval / vt.length);
            log.add(step, epoch, metric(k + 1, LOG_SHIFT), n == 0 ? Double.NaN : shift / n);
            if (running != null) log.add(step, epoch, metric(k + 1, LOG_RUNNING_OVER_EVAL), n == 0 ? Double.NaN : runningOverEval / n);
        }
    }
}
