package org.normlab.diagnostics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.nn.Sequential;
import org.normlab.nn.Wrapper;
import org.normlab.norm.BatchNorm;
import org.normlab.tensor.Tensor;

/**
 * Deliberately broken BatchNorms, for teaching what {@link SanityChecks} catches (claim C16). Each fault is a real bug
 * seen in hand-written BN code; each returns a new {@link Sequential} that shares the model's layers but has every
 * top-level {@link BatchNorm} wrapped in the fault. Never use these for training.
 */
public final class Faults {
    private Faults() {}

    /** The names {@link #inject} accepts. */
    public static final List<String> NAMES = List.of("forgets-eval-mode", "statistics-as-constants-in-backward", "keras-momentum");

    /** {@code model} with every top-level BatchNorm wrapped in the named fault. */
    public static Sequential inject(String fault, Sequential model) {
        return switch (fault) {
            case "forgets-eval-mode" -> forgetsEvalMode(model);
            case "statistics-as-constants-in-backward" -> statisticsAsConstantsInBackward(model);
            case "keras-momentum" -> kerasMomentum(model);
            default -> throw new IllegalArgumentException("Faults: unknown fault '" + fault + "'; known: " + NAMES);
        };
    }

    /** Every BN runs in TRAIN mode whatever mode it is given: the forgotten {@code model.eval()} built into the layer. */
    public static Sequential forgetsEvalMode(Sequential model) { return wrapBatchNorms(model, ForgetsEvalMode::new); }

    /**
     * Every BN's backward treats the batch mean and variance as constants: dx = γ/σ · dy, dropping the two terms
     * − mean(dy) − x̂·mean(dy·x̂) that come from μ and σ depending on x. γ and β get correct gradients.
     */
    public static Sequential statisticsAsConstantsInBackward(Sequential model) { return wrapBatchNorms(model, StatisticsAsConstants::new); }

    /**
     * Every BN updates its running statistics with the momentum read the Keras way, running = m·running + (1 − m)·batch,
     * while the layer's momentum m follows PyTorch's convention, running = (1 − m)·running + m·batch.
     */
    public static Sequential kerasMomentum(Sequential model) { return wrapBatchNorms(model, KerasMomentum::new); }

    private static Sequential wrapBatchNorms(Sequential model, Function<BatchNorm, Layer> fault) {
        List<Layer> layers = new ArrayList<>();
        int wrapped = 0;
        for (Layer l : model.layers()) {
            if (l instanceof BatchNorm bn) { layers.add(fault.apply(bn)); wrapped++; }
            else layers.add(l);
        }
        if (wrapped == 0) throw new IllegalArgumentException("Faults: the model has no top-level BatchNorm to break: " + model.describe());
        return new Sequential(layers);
    }

    /** Common part: a wrapper that delegates to its BatchNorm unless a fault says otherwise. */
    private abstract static class Faulty implements Wrapper {
        final BatchNorm bn;
        Faulty(BatchNorm bn) { this.bn = bn; }
        @Override public Layer inner() { return bn; }
        @Override public Tensor forward(Tensor x, Mode mode) { return bn.forward(x, mode); }
        @Override public Tensor backward(Tensor dy) { return bn.backward(dy); }
        @Override public List<Param> params() { return bn.params(); }
    }

    private static final class ForgetsEvalMode extends Faulty {
        ForgetsEvalMode(BatchNorm bn) { super(bn); }
        @Override public Tensor forward(Tensor x, Mode mode) { return bn.forward(x, Mode.TRAIN); }
        @Override public String describe() { return bn.describe() + "[fault: forgets EVAL mode]"; }
    }

    private static final class StatisticsAsConstants extends Faulty {
        private Tensor input;
        StatisticsAsConstants(BatchNorm bn) { super(bn); }

        @Override public Tensor forward(Tensor x, Mode mode) { input = x; return bn.forward(x, mode); }

        @Override public Tensor backward(Tensor dy) {
            bn.backward(dy); // γ and β gradients are right; its dx is thrown away
            int n = input.dim(0), c = bn.channels(), inner = input.size() / (n * c), m = n * inner;
            float[] in = input.data(), g = dy.data();
            Tensor dx = Tensor.zeros(input.shape());
            for (int ch = 0; ch < c; ch++) {
                double mu = 0, sq = 0;
                for (int s = 0; s < n; s++) for (int i = 0; i < inner; i++) mu += in[(s * c + ch) * inner + i];
                mu /= m;
                for (int s = 0; s < n; s++) for (int i = 0; i < inner; i++) sq += Math.pow(in[(s * c + ch) * inner + i] - mu, 2);
                double gamma = bn.gamma() == null ? 1 : bn.gamma().value().data()[ch];
                float a = (float) (gamma / Math.sqrt(sq / m + bn.eps()));
                for (int s = 0; s < n; s++) for (int i = 0; i < inner; i++) dx.data()[(s * c + ch) * inner + i] = a * g[(s * c + ch) * inner + i];
            }
            return dx;
        }

        @Override public String describe() { return bn.describe() + "[fault: batch statistics treated as constants in backward]"; }
    }

    private static final class KerasMomentum extends Faulty {
        KerasMomentum(BatchNorm bn) { super(bn); }

        @Override public Tensor forward(Tensor x, Mode mode) {
            if (mode != Mode.TRAIN || bn.momentum() == null || bn.momentum() == 0) return bn.forward(x, mode);
            double m = bn.momentum();
            float[] oldMean = bn.runningMean().data().clone(), oldVar = bn.runningVar().data().clone();
            Tensor y = bn.forward(x, mode);
            // The layer stored new = (1 − m)·old + m·batch; recover the batch value and store m·old + (1 − m)·batch.
            for (float[][] pair : List.of(new float[][] {oldMean, bn.runningMean().data()}, new float[][] {oldVar, bn.runningVar().data()})) {
                for (int c = 0; c < pair[0].length; c++) {
                    double batch = (pair[1][c] - (1 - m) * pair[0][c]) / m;
                    pair[1][c] = (float) (m * pair[0][c] + (1 - m) * batch);
                }
            }
            return y;
        }

        @Override public String describe() { return bn.describe() + "[fault: Keras momentum convention]"; }
    }
}
