package org.normlab.experiment;

import java.util.ArrayList;
import java.util.List;
import org.normlab.data.Dataset;
import org.normlab.model.ModelSpec;
import org.normlab.model.Models;
import org.normlab.diagnostics.BatchEstimates;
import org.normlab.diagnostics.BnLayerTrace;
import org.normlab.diagnostics.LossLandscape;
import org.normlab.diagnostics.PreciseBn;
import org.normlab.diagnostics.Probe;
import org.normlab.diagnostics.VarianceShift;
import org.normlab.nn.Sequential;
import org.normlab.norm.RunningStatistics;
import org.normlab.optim.Adam;
import org.normlab.optim.Optimizer;
import org.normlab.optim.Sgd;
import org.normlab.tensor.Rng;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;

/** Runs one {@link RunSpec}: builds the seeded model, trains it, returns its log. */
public final class Experiment {
    /** Loss above which a 10-class run counts as diverged (chance is ln 10 ≈ 2.3). */
    public static final double DIVERGENCE_LOSS = 1e3;

    /**
     * The version of this training procedure in the store's cache key: raise it when a change to training (not to a
     * spec) changes what a run gives, so stored runs are recomputed.
     */
    public static final String RUNNER_VERSION = "1";

    private Experiment() {}

    /** The initialized model a spec describes; dropout masks (if any) come from a stream of the spec's own seed. */
    public static Sequential model(RunSpec spec, Rng initRng) {
        return model(spec, initRng, new Rng(spec.seed()).split().split());
    }

    /**
     * The initialized model a spec describes: weights drawn from {@code initRng}, dropout masks and noisy-BN noise from
     * {@code streams} (a separate stream, so a model with dropout starts from the same weights as one without), a
     * {@link Probe} on the last activation's input when the spec measures a probe unit.
     */
    public static Sequential model(RunSpec spec, Rng initRng, Rng streams) {
        int unit = spec.measurements().probeUnit();
        return Models.build(spec.network(), unit < 0 ? null : new Probe("last-hidden-" + unit, unit), initRng, streams);
    }

    /** A trained model and the log of its training. */
    public record Trained(Sequential model, RunLog log) {}

    public static RunLog run(RunSpec spec, Dataset train, Dataset test, Trainer.Listener listener) {
        return train(spec, train, test, listener).log();
    }

    /**
     * Fails with one line when an MLP's input size or class count is not the data's (e.g. the default 784 inputs and
     * 10 classes on a data set of your own: {@link RunSpec#sizedFor} sizes the MLP for it).
     */
    public static void requireFits(RunSpec spec, Dataset data) {
        if (!(spec.model() instanceof ModelSpec.Mlp m)) return;
        int perExample = data.sampleSize();
        if (m.inputs() != perExample || m.classes() != data.classes()) {
            throw new IllegalArgumentException("RunSpec: the MLP takes " + m.inputs() + " inputs and " + m.classes() + " classes, but dataset "
                    + data.name() + " has " + perExample + " values per example and " + data.classes()
                    + " classes; size it with withInputs/withClasses or sizedFor(data)");
        }
    }

    /** Like {@link #run}, also returning the trained model (for diagnostics; models are not stored). */
    public static Trained train(RunSpec spec, Dataset train, Dataset test, Trainer.Listener listener) {
        requireFits(spec, train);
        if (test != null) requireFits(spec, test);
        Rng root = new Rng(spec.seed());
        Rng initRng = root.split(), orderRng = root.split(), streams = root.split();
        Sequential model = model(spec, initRng, streams);
        Optimizer optimizer = optimizer(spec.optimizer(), model);
        // The data stream is split off after the others, so a spec without splits trains exactly as before.
        DataSpec.Split split = spec.data().split(train, root.split());
        Dataset trainPart = split.train();
        Dataset testPart = spec.data().evaluate() == DataSpec.Evaluation.VALIDATION ? split.validation()
                : spec.testSize() == 0 ? null : spec.testSize() < test.size() ? test.head(spec.testSize()) : test;
        Budget budget = spec.budget();
        int perEpoch = trainPart.size() / budget.batchSize();
        int totalSteps = Math.max(1, budget.maxSteps() > 0 ? Math.min(budget.maxSteps(), perEpoch * budget.epochs()) : perEpoch * budget.epochs());
        Trainer.Options options = new Trainer.Options(budget.batchSize(), budget.epochs(), budget.maxSteps(), budget.logEvery(), DIVERGENCE_LOSS,
                spec.schedule().over(totalSteps));
        Measurements m = spec.measurements();
        List<Trainer.Hook> hooks = new ArrayList<>();
        if (m.preciseBnBatches() > 0 && testPart != null) hooks.add(preciseBnHook(trainPart, testPart, m.preciseBnBatches(), budget.batchSize()));
        if (m.landscapeBatch() > 0) hooks.add(LossLandscape.hook(trainPart.head(Math.min(m.landscapeBatch(), trainPart.size())), spec.lr()));
        if (m.evalTrain()) hooks.add(evalTrainHook(trainPart));
        if (m.bnLayers()) hooks.add(BnLayerTrace.hook());
        if (m.batchEstimates() > 0 && testPart != null) hooks.add(BatchEstimates.hook(testPart.head(Math.min(m.batchEstimates(), testPart.size())),
                BatchEstimates.BATCH_SIZES));
        if (m.varianceShift() > 0 && testPart != null) hooks.add(VarianceShift.hook(testPart.head(Math.min(m.varianceShift(), testPart.size()))));
        return new Trained(model, Trainer.train(model, optimizer, trainPart, testPart, options, orderRng, listener, hooks));
    }

    /** The optimizer a spec describes, over the model's parameters. */
    static Optimizer optimizer(OptimizerSpec spec, Sequential model) {
        return switch (spec) {
            case OptimizerSpec.Sgd s -> new Sgd(model.params(), s.lr(), s.momentum(), s.weightDecay(), s.decayNormParams(), s.nesterov());
            case OptimizerSpec.Adam a -> new Adam(model.params(), a.lr(), a.beta1(), a.beta2(), a.eps(), a.weightDecay(), a.decayNormParams());
        };
    }

    public static final String TRAIN_EVAL_LOSS = "train_eval_loss", TRAIN_EVAL_ACC = "train_eval_acc";

    /** Loss and accuracy on the training subset in EVAL mode (dropout off, BN with running statistics). */
    static Trainer.Hook evalTrainHook(Dataset train) {
        return (step, epoch, model, log) -> {
            Trainer.Evaluation e = Trainer.evaluate(model, train, 1000);
            log.add(step, epoch, TRAIN_EVAL_LOSS, e.loss());
            log.add(step, epoch, TRAIN_EVAL_ACC, e.accuracy());
        };
    }

    public static final String TEST_ACC_PRECISE = "test_acc_precise_bn", TEST_LOSS_PRECISE = "test_loss_precise_bn";

    /** Test metrics with BN statistics recomputed over k training batches; the EMA statistics are put back after. */
    @SuppressWarnings("try")  // the resource is not named in the body: closing it restores the running statistics
    static Trainer.Hook preciseBnHook(Dataset train, Dataset test, int batches, int batchSize) {
        return (step, epoch, model, log) -> {
            Trainer.Evaluation e;
            try (RunningStatistics frozen = RunningStatistics.frozen(model)) {
                PreciseBn.recompute(model, train, batches, batchSize);
                e = Trainer.evaluate(model, test, 1000);
            }
            log.add(step, epoch, TEST_LOSS_PRECISE, e.loss());
            log.add(step, epoch, TEST_ACC_PRECISE, e.accuracy());
        };
    }
}
