package org.normlab.train;

import org.normlab.data.Batches;
import org.normlab.data.Dataset;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.SoftmaxCrossEntropy;
import org.normlab.optim.Sgd;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * Mini-batch training of a classifier with softmax cross-entropy.
 *
 * <p>Every {@code logEvery} steps (and at the end) it logs the mean training loss and accuracy over the steps since
 * the last log ({@code train_loss}, {@code train_acc}, measured in TRAIN mode on the batches as they were trained),
 * and the loss and accuracy on the test set in EVAL mode ({@code test_loss}, {@code test_acc}).
 * A non-finite loss, or one above {@code divergenceLoss}, stops the run and marks it diverged at that step.
 */
public final class Trainer {
    public static final String TRAIN_LOSS = "train_loss", TRAIN_ACC = "train_acc", TEST_LOSS = "test_loss", TEST_ACC = "test_acc";

    /**
     * @param maxSteps       stop after this many steps even within an epoch (0: no limit)
     * @param divergenceLoss a training loss above this counts as diverged (for 10 classes, ln 10 ≈ 2.3 is chance)
     */
    public record Options(int batchSize, int epochs, int maxSteps, int logEvery, double divergenceLoss) {
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

    /** Loss and accuracy of a model on a dataset. */
    public record Evaluation(double loss, double accuracy) {}

    private Trainer() {}

    public static RunLog train(Layer model, Sgd optimizer, Dataset train, Dataset test, Options options, Rng dataOrder, Listener listener) {
        RunLog log = new RunLog();
        long start = System.nanoTime();
        int perEpoch = new Batches(train, options.batchSize(), null, false).count();
        int total = perEpoch * options.epochs();
        if (options.maxSteps() > 0) total = Math.min(total, options.maxSteps());
        int step = 0;
        double lossSum = 0;
        long correct = 0, seen = 0;
        training:
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
            for (Dataset batch : new Batches(train, options.batchSize(), dataOrder, false)) {
                if (step >= total) break training;
                optimizer.zeroGrad();
                Tensor logits = model.forward(batch.inputs(), Mode.TRAIN);
                SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.evaluate(logits, batch.labels());
                step++;
                if (!Double.isFinite(r.loss()) || r.loss() > options.divergenceLoss()) {
                    log.markDiverged(step, "training loss " + r.loss() + " at step " + step);
                    break training;
                }
                model.backward(r.gradLogits());
                optimizer.step();
                lossSum += r.loss() * batch.size();
                correct += r.correct();
                seen += batch.size();
                if (step % options.logEvery() == 0 || step == total) {
                    double ep = (double) step / perEpoch;
                    log.add(step, ep, TRAIN_LOSS, lossSum / seen);
                    log.add(step, ep, TRAIN_ACC, (double) correct / seen);
                    lossSum = 0;
                    correct = seen = 0;
                    if (test != null) {
                        Evaluation e = evaluate(model, test, 1000);
                        log.add(step, ep, TEST_LOSS, e.loss());
                        log.add(step, ep, TEST_ACC, e.accuracy());
                    }
                    if (listener != null) listener.logged(step, total, log);
                }
            }
        }
        log.setWallSeconds((System.nanoTime() - start) / 1e9);
        return log;
    }

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
