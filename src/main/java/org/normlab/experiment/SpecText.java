package org.normlab.experiment;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.normlab.model.DropoutPlacement;
import org.normlab.model.ModelSpec;
import org.normlab.model.NetworkSpec;
import org.normlab.model.Placement;

/** The readable lines of a spec ({@link RunSpec#describe}, {@link GanSpec#describe}): what a notebook shows before a run. */
final class SpecText {
    private SpecText() {}

    /** A number as written by hand: 0.1, 0.0002, 60000 (no exponent, no trailing zeros). */
    static String number(double v) {
        if (!Double.isFinite(v)) return Double.toString(v);
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** A value along an axis, as a table shows it; a long list of one repeated width reads "[128×20]". */
    static String value(Object v) {
        if (v instanceof List<?> l && l.size() > 3 && l.stream().distinct().count() == 1) return "[" + l.get(0) + "×" + l.size() + "]";
        if (v instanceof Double d) return number(d);
        return String.valueOf(Field.display(v));
    }

    /** {@code text}, or "(grid)" when the grid sets the setting {@code field}. */
    static String or(Set<String> grid, String field, String text) { return grid.contains(field) ? "(grid)" : text; }

    static String model(NetworkSpec n, Set<String> grid) {
        String arch = switch (n.model()) {
            case ModelSpec.Mlp m -> "MLP " + (grid.contains("hidden") ? m.inputs() + "-(grid)-" + m.classes()
                    : widths(m.widths())) + ", " + (grid.contains("activation") ? "activation (grid)" : lower(m.activation())) + placement(m.placement(), grid)
                    + (grid.contains("dropout") ? ", dropout (grid)" : m.dropout() > 0 ? ", dropout " + number(m.dropout()) : "")
                    + (grid.contains("dropoutPlacement") ? " (placement: grid)"
                    : m.dropout() > 0 && m.dropoutPlacement() == DropoutPlacement.BEFORE_OUTPUT ? " before the output layer only" : "");
            case ModelSpec.LeNet l -> "LeNet (d2l), " + (grid.contains("activation") ? "activation (grid)" : lower(l.activation())) + placement(l.placement(), grid);
            case ModelSpec.Recurrent r -> r.name().toUpperCase(Locale.ROOT) + " over the 28 image rows, " + r.hidden() + " hidden units";
            case ModelSpec.MbConv m -> "MBConv net (stem, 3 MBConv blocks with squeeze-excite, SiLU)";
        };
        if (grid.contains("model")) arch = "(grid)";
        List<String> parts = new ArrayList<>(List.of(arch, "norm " + or(grid, "norm", n.norm().label()),
                or(grid, "init", lower(n.init().kind())) + " init" + (grid.contains("initScale") ? " ×(grid)"
                        : n.init().scale() == 1 ? "" : " ×" + number(n.init().scale()))));
        if (n.gamma0() != 1 || grid.contains("gamma0")) parts.add("γ₀ " + or(grid, "gamma0", number(n.gamma0())));
        if (n.bnMomentum() != 0.1 || grid.contains("bnMomentum")) parts.add("BN momentum " + or(grid, "bnMomentum", number(n.bnMomentum())));
        if (!n.normAffine() || grid.contains("normAffine")) parts.add(grid.contains("normAffine") ? "norm affine γ, β (grid)" : "norm without affine γ, β");
        if (n.inputShift() != 0 || grid.contains("inputShift")) parts.add("input shift " + or(grid, "inputShift", number(n.inputShift())));
        return String.join(", ", parts);
    }

    /** Layer widths joined by "-", a run of three or more equal hidden widths as "64×19": 784-64×19-10. */
    static String widths(int[] w) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < w.length; ) {
            int j = i;
            while (j < w.length && w[j] == w[i]) j++;
            out.add(j - i >= 3 ? w[i] + "×" + (j - i) : IntStream.range(i, j).mapToObj(k -> Integer.toString(w[k])).collect(Collectors.joining("-")));
            i = j;
        }
        return String.join("-", out);
    }

    private static String placement(Placement p, Set<String> grid) {
        if (grid.contains("placement")) return ", norm before or after the activation (grid)";
        return p == Placement.BEFORE ? ", norm before the activation" : ", norm after the activation";
    }

    static String optimizer(OptimizerSpec o, Schedule schedule, Set<String> grid) {
        StringBuilder sb = new StringBuilder();
        switch (o) {
            case OptimizerSpec.Sgd s -> {
                sb.append("SGD lr ").append(or(grid, "lr", number(s.lr())));
                if (s.momentum() > 0) sb.append(", ").append(s.nesterov() ? "Nesterov " : "").append("momentum ").append(number(s.momentum()));
            }
            case OptimizerSpec.Adam a -> sb.append("Adam lr ").append(or(grid, "lr", number(a.lr()))).append(", β ").append(number(a.beta1()))
                    .append('/').append(number(a.beta2()));
        }
        if (o.weightDecay() > 0 || grid.contains("weightDecay")) {
            sb.append(", weight decay ").append(or(grid, "weightDecay", number(o.weightDecay())));
            sb.append(grid.contains("decayNormParams") ? ", on γ/β or not (grid)" : o.decayNormParams() ? "" : " (not on γ/β)");
        }
        if (schedule != Schedule.CONSTANT || grid.contains("schedule")) sb.append(", schedule ").append(or(grid, "schedule", schedule.text()));
        return sb.toString();
    }

    static String data(DataSpec d, Set<String> grid) {
        String source = d.source() == DataSpec.Source.FASHION_MNIST ? "Fashion-MNIST" : lower(d.source());
        String train = or(grid, "trainSize", Integer.toString(d.trainSize()));
        String val = d.validationSize() == 0 ? "" : " + " + d.validationSize() + " validation (held out of training)";
        String eval = d.evaluate() == DataSpec.Evaluation.VALIDATION ? ", evaluated on the validation split" : "";
        return d.sampling() == DataSpec.Sampling.PER_SEED
                ? source + ", " + train + " training images drawn per seed" + val + " / first " + d.testSize() + " test images" + eval
                : source + ", first " + train + " training" + val + " / " + d.testSize() + " test images" + eval;
    }

    static String budget(Budget b, Set<String> grid) {
        String epochs = grid.contains("epochs") ? "(grid) epochs" : b.epochs() + (b.epochs() == 1 ? " epoch" : " epochs");
        return epochs + " of batch " + or(grid, "batchSize", Integer.toString(b.batchSize()))
                + (grid.contains("maxSteps") ? ", at most (grid) steps" : b.maxSteps() > 0 ? ", at most " + b.maxSteps() + " steps" : "")
                + ", log every " + or(grid, "logEvery", Integer.toString(b.logEvery())) + " steps";
    }

    /** What a run measures beyond loss and accuracy; empty if nothing. */
    static String measurements(Measurements m) {
        List<String> parts = new ArrayList<>();
        if (m.probeUnit() >= 0) parts.add("percentiles of last-hidden unit " + m.probeUnit());
        if (m.preciseBnBatches() > 0) parts.add("test accuracy with precise BN statistics (" + m.preciseBnBatches() + " batches)");
        if (m.landscapeBatch() > 0) parts.add("loss landscape along the gradient (" + m.landscapeBatch() + " images)");
        if (m.evalTrain()) parts.add("training accuracy in EVAL mode");
        if (m.bnLayers()) parts.add("per BN layer: γ, β, the σ and μ it saw, γ/σ, ‖w‖ before it and lr/‖w‖²");
        if (m.batchEstimates() > 0) parts.add("per BN layer: the error of batch-2 … 128 estimates of its input's mean and variance against "
                + m.batchEstimates() + " held-out images");
        if (m.varianceShift() > 0) parts.add("per BN layer: its input's variance in training vs inference mode and its running variance, on "
                + m.varianceShift() + " held-out images");
        return String.join("; ", parts);
    }

    /** One labelled line: the label padded to 10 characters, a space, the text. */
    static void line(StringBuilder sb, String label, String text) { sb.append(String.format("%-10s ", label)).append(text).append('\n'); }

    static String lower(Enum<?> e) { return e.name().toLowerCase(Locale.ROOT); }
}
