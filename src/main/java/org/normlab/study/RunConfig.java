package org.normlab.study;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.normlab.model.Placement;
import org.normlab.nn.Activation;
import org.normlab.nn.Init;
import org.normlab.norm.Norm;

/**
 * Everything that determines one training run. Two equal configs give identical results: the seed fixes
 * initialization and data order, and nothing else (thread count, run order) enters.
 *
 * @param dataset     "fashion-mnist"
 * @param model       "mlp" (Flatten → [Linear → Norm → act]×hidden → Linear), "lenet" (d2l's LeNet; hidden is ignored; placement is honoured; IN sits after the convs only),
 *                    "rnn" / "lstm" (row-by-row classifiers, hidden = [H]; norm NONE, LN or BN per time step),
 *                    "mbconv" (the small EfficientNet-style {@code MbConvNet}; hidden and activation are ignored)
 * @param hidden      hidden-layer widths of the MLP (input 784 and output 10 are implied)
 * @param init        weight initializer; {@code initScale} multiplies its standard deviation
 * @param optimizer   "sgd" (momentum {@code momentum}), "nesterov" (SGD with Nesterov momentum) or "adam" (PyTorch's
 *                    defaults β = 0.9, 0.999); {@code weightDecay} is L2 for all three
 * @param schedule    learning-rate schedule over the run: "constant", "cosine" (to 0), "step" (×0.1 after each third
 *                    of the run) or "warmup-cosine" (linear warm-up over the first 5%, then cosine to 0)
 * @param trainSize   how many training images to use (the first ones; 60 000 = all)
 * @param testSize    how many test images to evaluate on (the first ones; 10 000 = all)
 * @param maxSteps    stop after this many steps (0: run all epochs)
 * @param logEvery    log metrics every this many steps
 * @param probeUnit   unit of the last hidden layer whose pre-activation percentiles are logged (−1: none)
 * @param preciseBnBatches if positive, also log test loss/accuracy with BN statistics recomputed over this many
 *                    training batches ({@code test_acc_precise_bn}), next to the usual EMA statistics
 * @param bnMomentum  momentum of every BatchNorm's running statistics (PyTorch's default 0.1)
 * @param dropout     MLP only: dropout probability after each hidden block (0: no dropout layers)
 * @param decayNormParams whether weight decay also applies to the γ/β of normalization layers (PyTorch applies it to
 *                    every parameter; many recipes exempt γ/β)
 * @param gamma0      starting value of every normalization gain γ (1 is PyTorch's; 0.1 is Cooijmans et al.'s for
 *                    recurrent BN)
 * @param landscapeBatch if positive, at every log point also measure the loss landscape along the gradient
 *                    (Santurkar et al.'s Fig. 4; {@link org.normlab.train.LossLandscape}) on the first this many
 *                    training examples: metrics {@code landscape/loss_range}, {@code …/grad_change}, {@code …/beta_smoothness}
 * @param inputShift  a constant added to every input pixel by the model's first layer ({@link org.normlab.nn.Shift};
 *                    0: none), e.g. −0.5 to centre [0, 1] pixels
 * @param evalTrain   also log loss and accuracy on the training subset in EVAL mode ({@code train_eval_loss},
 *                    {@code train_eval_acc}) at every log: the train side of a train/test gap, measured as the test
 *                    side is (no dropout, BN with running statistics), not the running average over TRAIN-mode batches
 */
public record RunConfig(String dataset, String model, List<Integer> hidden, Activation.Kind activation,
                        Norm norm, Placement placement, Init.Kind init, double initScale,
                        String optimizer, String schedule, double lr, double momentum, double weightDecay,
                        int batchSize, int epochs, int maxSteps, int trainSize, int testSize, int logEvery, int probeUnit, int preciseBnBatches, double bnMomentum,
                        double dropout, boolean decayNormParams, double gamma0, int landscapeBatch, double inputShift, boolean evalTrain, long seed) {

    public RunConfig {
        hidden = List.copyOf(hidden);
        if (!List.of("sgd", "nesterov", "adam").contains(optimizer)) {
            throw new IllegalArgumentException("RunConfig: unknown optimizer '" + optimizer + "' (known: sgd, nesterov, adam)");
        }
        if (!List.of("constant", "cosine", "step", "warmup-cosine").contains(schedule)) {
            throw new IllegalArgumentException("RunConfig: unknown schedule '" + schedule + "' (known: constant, cosine, step, warmup-cosine)");
        }
        if (!(lr > 0)) throw new IllegalArgumentException("RunConfig: lr must be positive, got " + lr);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("RunConfig: dropout must be in [0,1), got " + dropout);
        if (!(gamma0 > 0) || !Double.isFinite(gamma0)) throw new IllegalArgumentException("RunConfig: gamma0 must be positive and finite, got " + gamma0);
        if (!Double.isFinite(inputShift)) throw new IllegalArgumentException("RunConfig: inputShift must be finite, got " + inputShift);
        if (landscapeBatch < 0) throw new IllegalArgumentException("RunConfig: landscapeBatch must be ≥ 0, got " + landscapeBatch);
        if (batchSize <= 0 || epochs <= 0 || logEvery <= 0 || trainSize <= 0 || testSize < 0) {
            throw new IllegalArgumentException("RunConfig: batchSize, epochs, logEvery, trainSize must be positive and testSize ≥ 0, got "
                    + batchSize + ", " + epochs + ", " + logEvery + ", " + trainSize + ", " + testSize);
        }
    }

    /** An MLP on Fashion-MNIST with textbook defaults: no norm, He/Xavier init, SGD lr 0.1, batch 64, 1 epoch. */
    public static RunConfig mlp(List<Integer> hidden, Activation.Kind activation) {
        return new RunConfig("fashion-mnist", "mlp", hidden, activation, Norm.NONE, Placement.BEFORE,
                activation == Activation.Kind.RELU ? Init.Kind.HE : Init.Kind.XAVIER, 1.0,
                "sgd", "constant", 0.1, 0.0, 0.0, 64, 1, 0, 60_000, 10_000, 50, -1, 0, 0.1, 0.0, true, 1.0, 0, 0.0, false, 0);
    }

    /** LeNet (d2l.ai's, with the norm after each conv and linear layer) on Fashion-MNIST; otherwise as {@link #mlp}. */
    public static RunConfig lenet(Activation.Kind activation) {
        return mlp(List.of(), activation).with("model", "lenet");
    }

    /** Names of the fields a sweep can vary, in declaration order. */
    public static List<String> fields() {
        return Arrays.stream(RunConfig.class.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    /**
     * This config with one field replaced. Numbers convert to the field's type; strings parse into norms and
     * enums ("BN", "relu", "after"). Unknown fields and unconvertible values name the field in the error.
     */
    public RunConfig with(String field, Object value) {
        RecordComponent[] components = RunConfig.class.getRecordComponents();
        Object[] args = new Object[components.length];
        boolean found = false;
        try {
            for (int i = 0; i < components.length; i++) {
                RecordComponent c = components[i];
                if (c.getName().equals(field)) {
                    args[i] = convert(field, c.getType(), value);
                    found = true;
                } else {
                    args[i] = c.getAccessor().invoke(this);
                }
            }
            if (!found) throw new IllegalArgumentException("RunConfig: no field '" + field + "'; fields are " + fields());
            Constructor<RunConfig> canonical = RunConfig.class.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return canonical.newInstance(args);
        } catch (ReflectiveOperationException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e);
        }
    }

    private static Object convert(String field, Class<?> type, Object value) {
        try {
            if (type == double.class) return ((Number) value).doubleValue();
            if (type == int.class) return ((Number) value).intValue();
            if (type == long.class) return ((Number) value).longValue();
            if (type == boolean.class) return value instanceof String b ? parseBoolean(b) : (Boolean) value;
            if (type == Norm.class) return value instanceof Norm n ? n : Norm.parse(value.toString());
            if (type.isEnum() && value instanceof String s) {
                for (Object constant : type.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equalsIgnoreCase(s)) return constant;
                }
                throw new IllegalArgumentException("no " + type.getSimpleName() + " named " + s);
            }
            if (type == List.class && value instanceof List<?> list) return List.copyOf(list);
            return type.cast(value);
        } catch (ClassCastException | IllegalArgumentException e) {
            throw new IllegalArgumentException("RunConfig: cannot set " + field + " (" + type.getSimpleName() + ") to " + value
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    private static boolean parseBoolean(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("not a boolean: " + text);
        };
    }

    public RunConfig withNorm(Norm n) { return with("norm", n); }

    public RunConfig withSeed(long s) { return with("seed", s); }

    /** The value of a field as shown in result tables (norms by label, enums in lower case). */
    public Object value(String field) {
        for (RecordComponent c : RunConfig.class.getRecordComponents()) {
            if (c.getName().equals(field)) {
                try {
                    Object v = c.getAccessor().invoke(this);
                    if (v instanceof Norm n) return n.label();
                    if (v instanceof Enum<?> e) return e.name().toLowerCase(Locale.ROOT);
                    if (v instanceof List<?> l) return l.toString();
                    return v;
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalArgumentException("RunConfig: no field '" + field + "'; fields are " + fields());
    }

    /** A stable 16-hex-digit key of every field: the name of this run's stored results. */
    public String key() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Layer widths of the MLP: 784, hidden…, 10. */
    public int[] widths() {
        int[] w = new int[hidden.size() + 2];
        w[0] = 28 * 28;
        for (int i = 0; i < hidden.size(); i++) w[i + 1] = hidden.get(i);
        w[w.length - 1] = 10;
        return w;
    }
}
