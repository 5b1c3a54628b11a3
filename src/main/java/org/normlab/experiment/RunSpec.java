package org.normlab.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.normlab.data.Dataset;
import org.normlab.model.DropoutPlacement;
import org.normlab.model.ModelSpec;
import org.normlab.model.NetworkSpec;
import org.normlab.nn.Activation;
import org.normlab.nn.Init;
import org.normlab.norm.Norm;
import org.normlab.model.Placement;

/**
 * Everything that determines one supervised training run, in typed parts: the network (architecture, norm,
 * initializer, how norm layers start), the optimizer and its schedule, the data, the budget, what is measured
 * besides loss and accuracy, and the seed. Two equal specs give identical results.
 *
 * <pre>
 * RunSpec.mlp(List.of(128, 128), Activation.Kind.RELU).withNorm(Norm.BN).withLr(0.05).withBatchSize(32)
 * </pre>
 * Each wither checks its value (a one-line error naming the setting, the expected and the actual value).
 */
public record RunSpec(NetworkSpec network, OptimizerSpec optimizer, Schedule schedule, DataSpec data, Budget budget,
                      Measurements measurements, long seed) implements Spec<RunSpec> {

    /** A ReLU MLP with no hidden layer, no norm, He init, SGD lr 0.1, batch 64, one epoch of all of Fashion-MNIST. */
    public static final RunSpec DEFAULT = mlp(List.of(), Activation.Kind.RELU);

    public RunSpec {
        if (network == null || optimizer == null || schedule == null || data == null || budget == null || measurements == null) {
            throw new IllegalArgumentException("RunSpec: every part must be given, got " + network + ", " + optimizer + ", " + schedule + ", "
                    + data + ", " + budget + ", " + measurements);
        }
    }

    /** An MLP with textbook defaults: no norm, He init for ReLU (Xavier otherwise), SGD lr 0.1, batch 64, 1 epoch. */
    public static RunSpec mlp(List<Integer> hidden, Activation.Kind activation) {
        return of(new ModelSpec.Mlp(hidden, activation), initFor(activation));
    }

    /** d2l's LeNet on Fashion-MNIST; otherwise as {@link #mlp}. */
    public static RunSpec lenet(Activation.Kind activation) { return of(new ModelSpec.LeNet(activation), initFor(activation)); }

    /** A row-by-row recurrent classifier with Xavier init (which suits tanh); otherwise as {@link #mlp}. */
    public static RunSpec recurrent(ModelSpec.Recurrent.Cell cell, int hidden) { return of(new ModelSpec.Recurrent(cell, hidden), Init.xavier()); }

    /** The small EfficientNet-style network with He init; otherwise as {@link #mlp}. */
    public static RunSpec mbconv() { return of(new ModelSpec.MbConv(), Init.he()); }

    private static RunSpec of(ModelSpec model, Init init) {
        return new RunSpec(new NetworkSpec(model, Norm.NONE, init), OptimizerSpec.Sgd.DEFAULT, Schedule.CONSTANT, DataSpec.DEFAULT,
                Budget.DEFAULT, Measurements.DEFAULT, 0);
    }

    private static Init initFor(Activation.Kind activation) { return activation == Activation.Kind.RELU ? Init.he() : Init.xavier(); }

    // ---- the parts' settings, read directly ----
    public ModelSpec model() { return network.model(); }
    public Norm norm() { return network.norm(); }
    public Init init() { return network.init(); }
    public double initScale() { return network.init().scale(); }
    public double gamma0() { return network.gamma0(); }
    public double bnMomentum() { return network.bnMomentum(); }
    public double inputShift() { return network.inputShift(); }
    public boolean normAffine() { return network.normAffine(); }
    public double lr() { return optimizer.lr(); }
    public double weightDecay() { return optimizer.weightDecay(); }
    public boolean decayNormParams() { return optimizer.decayNormParams(); }
    public int trainSize() { return data.trainSize(); }
    public int testSize() { return data.testSize(); }
    public int batchSize() { return budget.batchSize(); }
    public int epochs() { return budget.epochs(); }
    public int maxSteps() { return budget.maxSteps(); }
    public int logEvery() { return budget.logEvery(); }

    /** The activation of an MLP or LeNet (null for the other models, which fix their own). */
    public Activation.Kind activation() {
        return switch (network.model()) {
            case ModelSpec.Mlp m -> m.activation();
            case ModelSpec.LeNet l -> l.activation();
            default -> null;
        };
    }

    /** Where an MLP or LeNet puts its norm (null for the other models). */
    public Placement placement() {
        return switch (network.model()) {
            case ModelSpec.Mlp m -> m.placement();
            case ModelSpec.LeNet l -> l.placement();
            default -> null;
        };
    }

    /** An MLP's hidden widths (empty for the other models). */
    public List<Integer> hidden() { return network.model() instanceof ModelSpec.Mlp m ? m.hidden() : List.of(); }

    /** An MLP's dropout probability (0 for the other models). */
    public double dropout() { return network.model() instanceof ModelSpec.Mlp m ? m.dropout() : 0; }

    /** Where an MLP's dropout layers sit (null for the other models). */
    public DropoutPlacement dropoutPlacement() { return network.model() instanceof ModelSpec.Mlp m ? m.dropoutPlacement() : null; }

    /**
     * This run's settings in a few labelled lines — model, optimizer, data, budget, what it measures besides loss and
     * accuracy, but not the seed — which {@link #describe()} shows as
     * <pre>
     * model      MLP 784-128-128-10, sigmoid, norm before the activation, norm BN, xavier init
     * optimizer  SGD lr 0.1
     * data       Fashion-MNIST, first 2048 training / 1000 test images
     * budget     1 epoch of batch 64, log every 4 steps
     * </pre>
     */
    @Override
    public Map<String, String> outline(Set<String> grid) {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("model", SpecText.model(network, grid));
        lines.put("optimizer", SpecText.optimizer(optimizer, schedule, grid));
        lines.put("data", SpecText.data(data, grid));
        lines.put("budget", SpecText.budget(budget, grid));
        String m = SpecText.measurements(measurements);
        if (!m.isEmpty()) lines.put("measures", m);
        return lines;
    }

    // ---- typed withers ----
    public RunSpec withNetwork(NetworkSpec n) { return new RunSpec(n, optimizer, schedule, data, budget, measurements, seed); }
    public RunSpec withOptimizer(OptimizerSpec o) { return new RunSpec(network, o, schedule, data, budget, measurements, seed); }
    public RunSpec withSchedule(Schedule s) { return new RunSpec(network, optimizer, s, data, budget, measurements, seed); }
    public RunSpec withData(DataSpec d) { return new RunSpec(network, optimizer, schedule, d, budget, measurements, seed); }
    public RunSpec withBudget(Budget b) { return new RunSpec(network, optimizer, schedule, data, b, measurements, seed); }
    public RunSpec withMeasurements(Measurements m) { return new RunSpec(network, optimizer, schedule, data, budget, m, seed); }
    @Override public RunSpec withSeed(long s) { return new RunSpec(network, optimizer, schedule, data, budget, measurements, s); }

    public RunSpec withModel(ModelSpec m) { return withNetwork(network.withModel(m)); }
    public RunSpec withNorm(Norm n) { return withNetwork(network.withNorm(n)); }
    public RunSpec withInit(Init.Kind kind) { return withNetwork(network.withInit(new Init(kind, initScale()))); }
    public RunSpec withInitScale(double scale) { return withNetwork(network.withInit(new Init(network.init().kind(), scale))); }
    public RunSpec withGamma0(double g) { return withNetwork(network.withGamma0(g)); }
    public RunSpec withBnMomentum(double m) { return withNetwork(network.withBnMomentum(m)); }
    public RunSpec withInputShift(double s) { return withNetwork(network.withInputShift(s)); }
    public RunSpec withNormAffine(boolean a) { return withNetwork(network.withNormAffine(a)); }

    public RunSpec withHidden(List<Integer> hidden) {
        if (!(network.model() instanceof ModelSpec.Mlp m)) throw notFor("hidden", "mlp");
        return withModel(m.withHidden(hidden));
    }

    public RunSpec withActivation(Activation.Kind a) {
        return switch (network.model()) {
            case ModelSpec.Mlp m -> withModel(m.withActivation(a));
            case ModelSpec.LeNet l -> withModel(new ModelSpec.LeNet(a, l.placement()));
            default -> throw notFor("activation", "mlp or lenet");
        };
    }

    public RunSpec withPlacement(Placement p) {
        return switch (network.model()) {
            case ModelSpec.Mlp m -> withModel(m.withPlacement(p));
            case ModelSpec.LeNet l -> withModel(new ModelSpec.LeNet(l.activation(), p));
            default -> throw notFor("placement", "mlp or lenet");
        };
    }

    public RunSpec withDropout(double p) {
        if (!(network.model() instanceof ModelSpec.Mlp m)) throw notFor("dropout", "mlp");
        return withModel(m.withDropout(p));
    }

    /** Where an MLP's dropout layers sit: after every hidden block (the default) or once before the output layer. */
    public RunSpec withDropoutPlacement(DropoutPlacement d) {
        if (!(network.model() instanceof ModelSpec.Mlp m)) throw notFor("dropoutPlacement", "mlp");
        return withModel(m.withDropoutPlacement(d));
    }

    /** An MLP's input size: values per example, flattened (784 for Fashion-MNIST). */
    public RunSpec withInputs(int n) {
        if (!(network.model() instanceof ModelSpec.Mlp m)) throw notFor("inputs", "mlp");
        return withModel(m.withInputs(n));
    }

    /** An MLP's class count (10 for Fashion-MNIST). */
    public RunSpec withClasses(int k) {
        if (!(network.model() instanceof ModelSpec.Mlp m)) throw notFor("classes", "mlp");
        return withModel(m.withClasses(k));
    }

    /** An MLP sized for {@code data}: its values per example as inputs, its class count as outputs. */
    public RunSpec sizedFor(Dataset data) { return withInputs(data.sampleSize()).withClasses(data.classes()); }

    private IllegalArgumentException notFor(String setting, String models) {
        return new IllegalArgumentException("RunSpec: " + setting + " is a setting of model " + models + ", got model " + network.model().name());
    }

    public RunSpec withLr(double lr) { return withOptimizer(optimizer.withLr(lr)); }
    public RunSpec withWeightDecay(double w) { return withOptimizer(optimizer.withWeightDecay(w)); }
    public RunSpec withDecayNormParams(boolean d) { return withOptimizer(optimizer.withDecayNormParams(d)); }

    /** SGD's momentum (the optimizer must be SGD). */
    public RunSpec withMomentum(double m) {
        if (!(optimizer instanceof OptimizerSpec.Sgd sgd)) throw new IllegalArgumentException("RunSpec: momentum is a setting of optimizer sgd, got " + optimizer);
        return withOptimizer(sgd.withMomentum(m));
    }

    public RunSpec withTrainSize(int n) { return withData(data.withTrainSize(n)); }
    public RunSpec withTestSize(int n) { return withData(data.withTestSize(n)); }
    public RunSpec withValidationSize(int n) { return withData(data.withValidationSize(n)); }
    public RunSpec withSampling(DataSpec.Sampling s) { return withData(data.withSampling(s)); }
    public RunSpec withEvaluation(DataSpec.Evaluation e) { return withData(data.withEvaluation(e)); }
    public RunSpec withBatchSize(int b) { return withBudget(budget.withBatchSize(b)); }
    public RunSpec withEpochs(int e) { return withBudget(budget.withEpochs(e)); }
    public RunSpec withMaxSteps(int s) { return withBudget(budget.withMaxSteps(s)); }
    public RunSpec withLogEvery(int l) { return withBudget(budget.withLogEvery(l)); }
    public RunSpec withProbeUnit(int u) { return withMeasurements(measurements.withProbeUnit(u)); }
    public RunSpec withPreciseBnBatches(int k) { return withMeasurements(measurements.withPreciseBnBatches(k)); }
    public RunSpec withLandscapeBatch(int n) { return withMeasurements(measurements.withLandscapeBatch(n)); }
    public RunSpec withEvalTrain(boolean e) { return withMeasurements(measurements.withEvalTrain(e)); }
    public RunSpec withBnLayers(boolean b) { return withMeasurements(measurements.withBnLayers(b)); }
    public RunSpec withBatchEstimates(int n) { return withMeasurements(measurements.withBatchEstimates(n)); }
    public RunSpec withVarianceShift(int n) { return withMeasurements(measurements.withVarianceShift(n)); }

    /**
     * {@code v1;run} and each setting that differs from {@link #DEFAULT}'s (the model's own settings from that
     * model's defaults; an MLP's inputs and classes after its dropout and dropout placement), in this order: model, its settings, norm, init, initScale, gamma0, bnMomentum, inputShift, normAffine,
     * optimizer, its settings, schedule, dataset, trainSize, testSize, validationSize, sampling, evaluate, batchSize, epochs, maxSteps, logEvery,
     * probeUnit, preciseBnBatches, landscapeBatch, evalTrain, bnLayers, batchEstimates, varianceShift, seed.
     */
    @Override
    public String canonical() {
        Canonical c = new Canonical("run").add("model", model().name(), "mlp");
        switch (model()) {
            case ModelSpec.Mlp m -> c.add("hidden", m.hidden(), List.of()).add("activation", m.activation(), Activation.Kind.RELU)
                    .add("placement", m.placement(), Placement.BEFORE).add("dropout", m.dropout(), 0.0)
                    .add("dropoutPlacement", m.dropoutPlacement(), DropoutPlacement.EVERY_BLOCK)
                    .add("inputs", m.inputs(), ModelSpec.Mlp.IMAGE_INPUTS).add("classes", m.classes(), ModelSpec.Mlp.IMAGE_CLASSES);
            case ModelSpec.LeNet l -> c.add("activation", l.activation(), Activation.Kind.RELU).add("placement", l.placement(), Placement.BEFORE);
            case ModelSpec.Recurrent r -> c.add("hidden", r.hidden(), null);
            case ModelSpec.MbConv m -> { }
        }
        c.add("norm", norm(), Norm.NONE).add("init", init().kind(), Init.Kind.HE).add("initScale", initScale(), 1.0)
                .add("gamma0", gamma0(), 1.0).add("bnMomentum", bnMomentum(), 0.1).add("inputShift", inputShift(), 0.0)
                .add("normAffine", normAffine(), true);
        switch (optimizer) {
            case OptimizerSpec.Sgd s -> c.add("lr", s.lr(), 0.1).add("momentum", s.momentum(), 0.0).add("nesterov", s.nesterov(), false)
                    .add("weightDecay", s.weightDecay(), 0.0).add("decayNormParams", s.decayNormParams(), true);
            case OptimizerSpec.Adam a -> {
                OptimizerSpec.Adam d = new OptimizerSpec.Adam(1e-3);
                c.add("optimizer", "adam", null).add("lr", a.lr(), d.lr()).add("beta1", a.beta1(), d.beta1()).add("beta2", a.beta2(), d.beta2())
                        .add("eps", a.eps(), d.eps()).add("weightDecay", a.weightDecay(), 0.0).add("decayNormParams", a.decayNormParams(), true);
            }
        }
        return c.add("schedule", schedule, Schedule.CONSTANT).add("dataset", data.source(), DataSpec.Source.FASHION_MNIST)
                .add("trainSize", trainSize(), 60_000).add("testSize", testSize(), 10_000)
                .add("validationSize", data.validationSize(), 0).add("sampling", data.sampling(), DataSpec.Sampling.FIRST)
                .add("evaluate", data.evaluate(), DataSpec.Evaluation.TEST)
                .add("batchSize", batchSize(), 64).add("epochs", epochs(), 1).add("maxSteps", maxSteps(), 0).add("logEvery", logEvery(), 50)
                .add("probeUnit", measurements.probeUnit(), -1).add("preciseBnBatches", measurements.preciseBnBatches(), 0)
                .add("landscapeBatch", measurements.landscapeBatch(), 0).add("evalTrain", measurements.evalTrain(), false)
                .add("bnLayers", measurements.bnLayers(), false)
                .add("batchEstimates", measurements.batchEstimates(), 0).add("varianceShift", measurements.varianceShift(), 0)
                .add("seed", seed, 0L).text();
    }
}
