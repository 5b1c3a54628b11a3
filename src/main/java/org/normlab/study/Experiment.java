package org.normlab.study;

import org.normlab.data.Dataset;
import org.normlab.model.Models;
import org.normlab.nn.Activation;
import org.normlab.nn.Init;
import org.normlab.nn.Sequential;
import org.normlab.optim.Sgd;
import org.normlab.tensor.Rng;
import org.normlab.train.RunLog;
import org.normlab.train.Trainer;

/** Runs one {@link RunConfig}: builds the seeded model, trains it, returns its log. */
public final class Experiment {
    /** Loss above which a 10-class run counts as diverged (chance is ln 10 ≈ 2.3). */
    public static final double DIVERGENCE_LOSS = 1e3;

    private Experiment() {}

    public static RunLog run(RunConfig config, Dataset train, Dataset test, Trainer.Listener listener) {
        Rng root = new Rng(config.seed());
        Rng initRng = root.split(), orderRng = root.split();
        Init init = config.activation() == Activation.Kind.RELU ? Init.he() : Init.xavier();
        Sequential model = Models.mlp(config.widths(), config.activation(), config.norm(), config.placement(), init, initRng);
        Sgd sgd = new Sgd(model.params(), config.lr(), config.momentum(), 0, false);
        Dataset trainPart = config.trainSize() < train.size() ? train.head(config.trainSize()) : train;
        Trainer.Options options = new Trainer.Options(config.batchSize(), config.epochs(), config.maxSteps(), config.logEvery(), DIVERGENCE_LOSS);
        return Trainer.train(model, sgd, trainPart, test, options, orderRng, listener);
    }
}
