package org.normlab.experiment;

import java.util.List;
import org.normlab.model.ModelSpec;
import org.normlab.nn.Activation;
import org.normlab.nn.Init;
import org.normlab.norm.Norm;
import org.normlab.model.Placement;

/**
 * The predefined axes of a {@link RunSpec} sweep, each named by the column it shows in result tables:
 * <pre>
 * Sweep.of("lr-demo", base).vary(Axes.NORM, Norm.NONE, Norm.BN).vary(Axes.LR, 0.01, 0.1, 1.0).seeds(3)
 * </pre>
 */
public final class Axes {
    private Axes() {}

    public static final Axis<RunSpec, ModelSpec> MODEL = Axis.of("model", RunSpec::model, RunSpec::withModel);
    public static final Axis<RunSpec, Norm> NORM = Axis.of("norm", RunSpec::norm, RunSpec::withNorm);
    /** An MLP's hidden widths. */
    public static final Axis<RunSpec, List<Integer>> HIDDEN = Axis.of("hidden", RunSpec::hidden, RunSpec::withHidden);
    public static final Axis<RunSpec, Activation.Kind> ACTIVATION = Axis.of("activation", RunSpec::activation, RunSpec::withActivation);
    public static final Axis<RunSpec, Placement> PLACEMENT = Axis.of("placement", RunSpec::placement, RunSpec::withPlacement);
    public static final Axis<RunSpec, Double> DROPOUT = Axis.of("dropout", RunSpec::dropout, RunSpec::withDropout);
    public static final Axis<RunSpec, Init.Kind> INIT = Axis.of("init", s -> s.init().kind(), RunSpec::withInit);
    public static final Axis<RunSpec, Double> INIT_SCALE = Axis.of("initScale", RunSpec::initScale, RunSpec::withInitScale);
    public static final Axis<RunSpec, Double> GAMMA0 = Axis.of("gamma0", RunSpec::gamma0, RunSpec::withGamma0);
    public static final Axis<RunSpec, Double> BN_MOMENTUM = Axis.of("bnMomentum", RunSpec::bnMomentum, RunSpec::withBnMomentum);
    public static final Axis<RunSpec, Double> INPUT_SHIFT = Axis.of("inputShift", RunSpec::inputShift, RunSpec::withInputShift);
    /** Whether the norm layers have their learned γ, β (false: y = x̂, BN only). */
    public static final Axis<RunSpec, Boolean> NORM_AFFINE = Axis.of("normAffine", RunSpec::normAffine, RunSpec::withNormAffine);
    public static final Axis<RunSpec, Double> LR = Axis.of("lr", RunSpec::lr, RunSpec::withLr);
    public static final Axis<RunSpec, Double> WEIGHT_DECAY = Axis.of("weightDecay", RunSpec::weightDecay, RunSpec::withWeightDecay);
    public static final Axis<RunSpec, Boolean> DECAY_NORM_PARAMS = Axis.of("decayNormParams", RunSpec::decayNormParams, RunSpec::withDecayNormParams);
    public static final Axis<RunSpec, Schedule> SCHEDULE = Axis.of("schedule", RunSpec::schedule, RunSpec::withSchedule);
    public static final Axis<RunSpec, Integer> TRAIN_SIZE = Axis.of("trainSize", RunSpec::trainSize, RunSpec::withTrainSize);
    public static final Axis<RunSpec, Integer> BATCH_SIZE = Axis.of("batchSize", RunSpec::batchSize, RunSpec::withBatchSize);
    public static final Axis<RunSpec, Integer> EPOCHS = Axis.of("epochs", RunSpec::epochs, RunSpec::withEpochs);
    public static final Axis<RunSpec, Integer> MAX_STEPS = Axis.of("maxSteps", RunSpec::maxSteps, RunSpec::withMaxSteps);
    public static final Axis<RunSpec, Integer> LOG_EVERY = Axis.of("logEvery", RunSpec::logEvery, RunSpec::withLogEvery);

    /** Every predefined axis, in the order above. */
    public static List<Axis<RunSpec, ?>> all() {
        return List.of(MODEL, NORM, HIDDEN, ACTIVATION, PLACEMENT, DROPOUT, INIT, INIT_SCALE, GAMMA0, BN_MOMENTUM, INPUT_SHIFT, NORM_AFFINE, LR, WEIGHT_DECAY,
                DECAY_NORM_PARAMS, SCHEDULE, TRAIN_SIZE, BATCH_SIZE, EPOCHS, MAX_STEPS, LOG_EVERY);
    }
}
