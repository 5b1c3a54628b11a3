package org.normlab.study;

import org.normlab.data.Dataset;
import org.normlab.model.MbConvNet;
import org.normlab.model.Models;
import org.normlab.model.RecurrentModels;
import org.normlab.nn.Param;
import org.normlab.nn.RecurrentNorm;
import org.normlab.norm.Norm;
import java.util.ArrayList;
import java.util.List;
import org.normlab.nn.Activation;
import org.normlab.nn.Init;
import org.normlab.nn.Layer;
import org.normlab.nn.Probe;
import org.normlab.norm.NoisyBatchNorm;
import org.normlab.norm.PreciseBn;
import org.normlab.train.LossLandscape;
import org.normlab.nn.Sequential;
import org.normlab.nn.Shift;
import org.normlab.optim.Adam;
import org.normlab.optim.LrSchedule;
import org.normlab.optim.Optimizer;
import org.normlab.optim.Sgd;
import org.normlab.tensor.Rng;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;

/** Runs one {@link RunConfig}: builds the seeded model, trains it, returns its log. */
public final class Experiment {
    /** Loss above which a 10-class run counts as diverged (chance is ln 10 ≈ 2.3). */
    public static final double DIVERGENCE_LOSS = 1e3;

    private Experiment() {}

    /** The initialized model a config describes; dropout masks (if any) come from a stream of the config's own seed. */
    public static Sequential model(RunConfig config, Rng initRng) {
        return model(config, initRng, new Rng(config.seed()).split().split());
    }

    /**
     * The initialized model a config describes: weights drawn from {@code initRng}, dropout masks from
     * {@code dropoutRng} (a separate stream, so a model with dropout starts from the same weights as one without).
     */
    public static Sequential model(RunConfig config, Rng initRng, Rng dropoutRng) {
        Init init = new Init(config.init(), config.initScale());
        Sequential model = switch (config.model()) {
            case "mlp" -> Models.mlp(config.widths(), config.activation(), config.norm(), config.placement(), init, initRng,
                    config.dropout(), dropoutRng);
            case "lenet" -> Models.lenet(config.norm(), config.placement(), config.activation(), init, initRng);
            case "rnn" -> RecurrentModels.rowRnnClassifier(singleHidden(config), recurrentNorm(config), init, initRng);
            case "lstm" -> RecurrentModels.rowLstmClassifier(singleHidden(config), recurrentNorm(config), true, init, initRng);
            case "mbconv" -> MbConvNet.build(config.norm(), init, initRng);
            default -> throw new IllegalArgumentException("Experiment: unknown model '" + config.model() + "' (known: mlp, lenet, rnn, lstm, mbconv)");
        };
        if (config.gamma0() != 1 && !config.model().equals("rnn") && !config.model().equals("lstm")) {
            for (Param p : model.params()) if (p.isNormAffine() && p.name().equals("gamma")) java.util.Arrays.fill(p.value().data(), (float) config.gamma0());
        }
        // Noisy BN draws its noise from a stream of the run's seed (split only when the model has such layers, so the
        // dropout stream of every other model is unchanged).
        for (NoisyBatchNorm noisy : NoisyBatchNorm.all(model)) noisy.reseed(dropoutRng.split());
        if (config.bnMomentum() != 0.1) for (var bn : PreciseBn.batchNorms(model)) bn.setMomentum(config.bnMomentum());
        if (config.inputShift() != 0) {
            List<Layer> layers = new ArrayList<>(model.layers());
            layers.add(0, new Shift(config.inputShift()));
            model = new Sequential(layers);
        }
        return config.probeUnit() < 0 ? model : withProbeBeforeLastActivation(model, config.probeUnit());
    }

    /** The model with a {@link Probe} on the input of its last activation (the last hidden layer's nonlinearity). */
    static Sequential withProbeBeforeLastActivation(Sequential model, int unit) {
        List<Layer> layers = new ArrayList<>(model.layers());
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i) instanceof Activation) {
                layers.add(i, new Probe("last-hidden-" + unit, unit));
                return new Sequential(layers);
            }
        }
        throw new IllegalArgumentException("Experiment: " + model.describe() + " has no activation to probe");
    }

    private static int singleHidden(RunConfig c) {
        if (c.hidden().size() != 1) {
            throw new IllegalArgumentException("Experiment: model '" + c.model() + "' needs one hidden size, e.g. hidden=[128], got " + c.hidden());
        }
        return c.hidden().get(0);
    }

    /** NONE, LN or BN of the config as the recurrent cells' per-step normalization, with γ₀ = {@code gamma0}. */
    static RecurrentNorm recurrentNorm(RunConfig c) {
        if (c.norm().equals(Norm.NONE)) return RecurrentNorm.NONE;
        if (c.norm().equals(Norm.LN)) return RecurrentNorm.layer(c.gamma0());
        if (c.norm().equals(Norm.BN)) return RecurrentNorm.batchPerStep(c.gamma0());
        throw new IllegalArgumentException("Experiment: recurrent model '" + c.model() + "' takes norm none, LN or BN (per time step), got " + c.norm().label());
    }

    /** A trained model and the log of its training. */
    public record Trained(Sequential model, RunLog log) {}

    public static RunLog run(RunConfig config, Dataset train, Dataset test, Trainer.Listener listener) {
        return train(config, train, test, listener).log();
    }

    /** Like {@link #run}, also returning the trained model (for diagnostics; models are not stored). */
    public static Trained train(RunConfig config, Dataset train, Dataset test, Trainer.Listener listener) {
        if (!config.dataset().equals("fashion-mnist")) {
            throw new IllegalArgumentException("Experiment: unknown dataset '" + config.dataset() + "' (known: fashion-mnist)");
        }
        Rng root = new Rng(config.seed());
        Rng initRng = root.split(), orderRng = root.split(), dropoutRng = root.split();
        Sequential model = model(config, initRng, dropoutRng);
        Optimizer optimizer = optimizer(config, model);
        Dataset trainPart = config.trainSize() < train.size() ? train.head(config.trainSize()) : train;
        Dataset testPart = config.testSize() == 0 ? null : config.testSize() < test.size() ? test.head(config.testSize()) : test;
        int perEpoch = trainPart.size() / config.batchSize();
        int totalSteps = Math.max(1, config.maxSteps() > 0 ? Math.min(config.maxSteps(), perEpoch * config.epochs()) : perEpoch * config.epochs());
        Trainer.Options options = new Trainer.Options(config.batchSize(), config.epochs(), config.maxSteps(), config.logEvery(), DIVERGENCE_LOSS,
                schedule(config.schedule(), totalSteps));
        List<Trainer.Hook> hooks = new ArrayList<>();
        if (config.preciseBnBatches() > 0 && testPart != null) hooks.add(preciseBnHook(trainPart, testPart, config));
        if (config.landscapeBatch() > 0) hooks.add(LossLandscape.hook(trainPart.head(Math.min(config.landscapeBatch(), trainPart.size())), config.lr()));
        if (config.evalTrain()) hooks.add(evalTrainHook(trainPart));
        return new Trained(model, Trainer.train(model, optimizer, trainPart, testPart, options, orderRng, listener, hooks));
    }

    /** The optimizer a config names, over the model's parameters. */
    static Optimizer optimizer(RunConfig c, Sequential model) {
        return switch (c.optimizer()) {
            case "sgd" -> new Sgd(model.params(), c.lr(), c.momentum(), c.weightDecay(), c.decayNormParams());
            case "nesterov" -> new Sgd(model.params(), c.lr(), c.momentum(), c.weightDecay(), c.decayNormParams(), true);
            case "adam" -> new Adam(model.params(), c.lr(), Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, Adam.DEFAULT_EPS, c.weightDecay(), c.decayNormParams());
            default -> throw new IllegalArgumentException("Experiment: unknown optimizer '" + c.optimizer() + "'");
        };
    }

    /** The schedule a config names, spread over the run's {@code totalSteps}. */
    static LrSchedule schedule(String name, int totalSteps) {
        return switch (name) {
            case "constant" -> LrSchedule.constant();
            case "cosine" -> LrSchedule.cosine(totalSteps, 0);
            case "step" -> LrSchedule.stepDecay(Math.max(1, totalSteps / 3), 0.1);
            case "warmup-cosine" -> {
                int warm = Math.max(1, totalSteps / 20);
                yield LrSchedule.warmup(warm, LrSchedule.cosine(Math.max(1, totalSteps - warm), 0));
            }
            default -> throw new IllegalArgumentException("Experiment: unknown schedule '" + name + "'");
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
    static Trainer.Hook preciseBnHook(Dataset train, Dataset test, RunConfig config) {
        return (step, epoch, model, log) -> {
            var saved = PreciseBn.snapshot(model);
            PreciseBn.recompute(model, train, config.preciseBnBatches(), config.batchSize());
            Trainer.Evaluation e = Trainer.evaluate(model, test, 1000);
            PreciseBn.restore(model, saved);
            log.add(step, epoch, TEST_LOSS_PRECISE, e.loss());
            log.add(step, epoch, TEST_ACC_PRECISE, e.accuracy());
        };
    }
}
