package org.normlab.train;

import java.util.List;
import org.normlab.data.Batches;
import org.normlab.data.Dataset;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.nn.loss.SoftmaxCrossEntropy;
import org.normlab.optim.LrSchedule;
import org.normlab.optim.Optimizer;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * Mini-batch training of a classifier with softmax cross-entropy.
 *
 * <p>Every {@code logEvery} steps (and at the end) it logs the mean training loss and accuracy over the steps since
 * the last log ({@code train_loss}, {@code train_acc}, measured in TRAIN mode on the batches as they were trained),
 * and the loss and accuracy on the test set in EVAL mode ({@code test_loss}, {@code test_acc}).
 * Wall time is kept per run ({@link RunLog#wallSeconds()}), not among the metrics, so equal configs give equal tables.
 * A non-finite loss, or one above {@code divergenceLoss}, stops the run and marks it diverged at that step.
 */
public final class Trainer {
    public static final String TRAIN_LOSS = "train_loss", TRAIN_ACC = "train_acc", TEST_LOSS = "test_loss", TEST_ACC = "test_acc",
            GRAD_NORM = "grad_norm", WEIGHT_NORM = "weight_norm", LR = "lr";
    /** Percentiles logged for every {@link RecordingLayer} in the model, as metrics {@code probe/<name>/p15} etc. */
    public static final double[] PROBE_PERCENTILES = {15, 50, 85};
    /** How many held-out examples the probes look at. */
    public static final int PROBE_BATCH = 1000;

    /**
     * @param maxSteps       stop after this many steps even within an epoch (0: no limit)
     * @param divergenceLoss a training loss above this counts as diverged (for 10 classes, ln 10 ≈ 2.3 is chance)
     */
    public record Options(int batchSize, int epochs, int maxSteps, int logEvery, double divergenceLoss, LrSchedule schedule) {
        /** A constant learning rate. */
        public Options(int batchSize, int epochs, int maxSteps, int logEvery, double divergenceLoss) {
            this(batchSize, epochs, maxSteps, logEvery, divergenceLoss, LrSchedule.constant());
        }

        public Options {
            if (batchSize <= 0 || epochs <= 0 || maxSteps < 0 || logEvery <= 0) {
                throw new IllegalArgumentException("Trainer.Options: batchSize, epochs, logEvery must be positive and maxSteps ≥ 0, got "
                        + batchSize + ", " + epochs + ", " + logEvery + ", " + maxSteps);
            }
        }
    }

    /** Called after each log, e.g. to show progress. */
    @FunctionalInterface
    public interface Listener {
        void logged(int step, int totalSteps, RunLog log);
    }

    /** Extra measurements at every log point (e.g. test accuracy with recomputed BN statistics). */
    @FunctionalInterface
    public interface Hook {
        /** Called after the trainer's own metrics; may add metrics to {@code log}, must leave the model as it found it. */
        void atLog(int step, double epoch, Layer model, RunLog log);
    }

    /** Loss and accuracy of a model on a dataset. */
    public record Evaluation(double loss, double accuracy) {}

    private Trainer() {}

    public static RunLog train(Layer model, Optimizer optimizer, Dataset train, Dataset test, Options options, Rng dataOrder, Listener listener) {
        return train(model, optimizer, train, test, options, dataOrder, listener, List.of());
    }

    public static RunLog train(Layer model, Optimizer optimizer, Dataset train, Dataset test, Options options, Rng dataOrder, Listener listener,
                               List<Hook> hooks) {
        RunLog log = new RunLog();
        long start = System.nanoTime();
        // The last incomplete batch of an epoch is dropped: a batch of one example would make BatchNorm fail, and a
        // few-example batch gives noisy statistics (PyTorch's DataLoader(drop_last=True)).
        int perEpoch = new Batches(train, options.batchSize(), null, true).count();
        if (perEpoch == 0) {
            throw new IllegalArgumentException("Trainer: " + train.size() + " training examples make no full batch of " + options.batchSize());
        }
        int total = perEpoch * options.epochs();
        if (options.maxSteps() > 0) total = Math.min(total, options.maxSteps());
        double baseLr = optimizer.lr();
        List<RecordingLayer> probes = probes(model);
        Dataset probeBatch = test == null ? null : test.head(PROBE_BATCH);
        int step = 0;
        double lossSum = 0;
        long correct = 0, seen = 0;
        training:
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
            for (Dataset batch : new Batches(train, options.batchSize(), dataOrder, true)) {
                if (step >= total) break training;
                checkCancelled(step);
                optimizer.zeroGrad();
                Tensor logits = model.forward(batch.inputs(), Mode.TRAIN);
                SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.evaluate(logits, batch.labels());
                step++;
                if (!Double.isFinite(r.loss()) || r.loss() > options.divergenceLoss()) {
                    log.markDiverged(step, "training loss " + r.loss() + " at step " + step);
                    break training;
                }
                model.backwardToParameters(r.gradLogits());
                boolean logNow = step % options.logEvery() == 0 || step == total;
                double gradNorm = logNow ? norm(params(model), true) : 0;
                optimizer.setLr(options.schedule().lr(step - 1, baseLr));  // step counts from 0 for the schedule
                optimizer.step();
                lossSum += r.loss() * batch.size();
                correct += r.correct();
                seen += batch.size();
                if (logNow) {
                    double ep = (double) step / perEpoch;
                    log.add(step, ep, TRAIN_LOSS, lossSum / seen);
                    log.add(step, ep, TRAIN_ACC, (double) correct / seen);
                    log.add(step, ep, GRAD_NORM, gradNorm);
                    log.add(step, ep, WEIGHT_NORM, norm(params(model), false));
                    log.add(step, ep, LR, optimizer.lr());
                    lossSum = 0;
                    correct = seen = 0;
                    if (test != null) {
                        Evaluation e = evaluate(model, test, 1000);
                        log.add(step, ep, TEST_LOSS, e.loss());
                        log.add(step, ep, TEST_ACC, e.accuracy());
                    }
                    if (test != null && !probes.isEmpty()) {
                        for (RecordingLayer p : probes) p.arm();
                        model.forward(probeBatch.inputs(), Mode.EVAL);
                        for (RecordingLayer p : probes) {
                            for (double q : PROBE_PERCENTILES) log.add(step, ep, "probe/" + p.name() + "/p" + (int) q, p.percentile(q));
                        }
                    }
                    for (Hook hook : hooks) hook.atLog(step, ep, model, log);
                    if (listener != null) listener.logged(step, total, log);
                }
            }
        }
        log.setWallSeconds((System.nanoTime() - start) / 1e9);
        return log;
    }

    /**
     * Thrown when the thread training a run is interrupted (a notebook interrupt, Ctrl-C, a sweep cancelled): the run
     * stops at its next step and nothing of it is kept.
     */
    public static final class Cancelled extends RuntimeException {
        public Cancelled(int step) { super("training cancelled before step " + (step + 1), null, false, false); }
    }

    /** Stops the run if its thread was interrupted (the interrupt stays set for the caller to see). */
    public static void checkCancelled(int step) {
        if (Thread.currentThread().isInterrupted()) throw new Cancelled(step);
    }

    private static List<Param> params(Layer model) { return model.params(); }

    /** L2 norm over all parameters' values (or gradients), accumulated in double. */
    static double norm(List<Param> params, boolean gradients) {
        double sq = 0;
        for (Param p : params) for (float v : (gradients ? p.grad() : p.value()).data()) sq += (double) v * v;
        return Math.sqrt(sq);
    }

    /** Every {@link RecordingLayer} inside the model, in order. */
    static List<RecordingLayer> probes(Layer model) { return Layer.all(model, RecordingLayer.class); }

    /** Mean loss and accuracy in EVAL mode, in batches of {@code batchSize} (no parameter or statistic changes). */
    public static Evaluation evaluate(Layer model, Dataset data, int batchSize) {
        double loss = 0;
        long correct = 0;
        for (Dataset batch : new Batches(data, batchSize, null, false)) {
            SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.evaluate(model.forward(batch.inputs(), Mode.EVAL), batch.labels());
            loss += r.loss() * batch.size();
            correct += r.correct();
        }
        return new Evaluation(loss / data.size(), (double) correct / data.size());
    }
}
