package org.normlab.model;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import org.normlab.nn.Activation;

/**
 * Which network a run trains, with the settings that belong to that network only; {@link NetworkSpec} adds what
 * every network takes (norm, initializer, how the norm layers start, an input shift).
 */
public sealed interface ModelSpec extends Serializable {
    /** The name tables and keys show: "mlp", "lenet", "rnn", "lstm", "gru", "mbconv". */
    String name();

    /**
     * Flatten → [Linear → Norm → act]×hidden → Linear ({@link Models#mlp}).
     *
     * @param hidden     hidden-layer widths
     * @param placement  the norm before or after the activation
     * @param dropout    dropout probability (0: no dropout layers)
     * @param dropoutPlacement after every hidden block or once before the output layer ({@link DropoutPlacement})
     * @param inputs     values per example, flattened ({@link #IMAGE_INPUTS} for Fashion-MNIST's 28×28 images)
     * @param classes    output classes ({@link #IMAGE_CLASSES} for Fashion-MNIST)
     */
    record Mlp(List<Integer> hidden, Activation.Kind activation, Placement placement, double dropout, DropoutPlacement dropoutPlacement,
               int inputs, int classes) implements ModelSpec {
        /** Fashion-MNIST's input size and class count: an MLP's defaults. */
        public static final int IMAGE_INPUTS = 28 * 28, IMAGE_CLASSES = 10;

        public Mlp {
            hidden = List.copyOf(hidden);
            for (int w : hidden) if (w <= 0) throw new IllegalArgumentException("Mlp: hidden widths must be positive, got " + hidden);
            if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("Mlp: dropout must be in [0,1), got " + dropout);
            if (dropoutPlacement == null) throw new IllegalArgumentException("Mlp: dropoutPlacement must be given (EVERY_BLOCK or BEFORE_OUTPUT), got null");
            if (inputs <= 0) throw new IllegalArgumentException("Mlp: inputs must be positive, got " + inputs);
            if (classes < 2) throw new IllegalArgumentException("Mlp: classes must be at least 2, got " + classes);
        }

        /** An MLP for Fashion-MNIST: 784 inputs, 10 classes. */
        public Mlp(List<Integer> hidden, Activation.Kind activation, Placement placement, double dropout) {
            this(hidden, activation, placement, dropout, DropoutPlacement.EVERY_BLOCK, IMAGE_INPUTS, IMAGE_CLASSES);
        }

        public Mlp(List<Integer> hidden, Activation.Kind activation) { this(hidden, activation, Placement.BEFORE, 0); }

        /** This MLP with {@code n} inputs per example. */
        public Mlp withInputs(int n) { return new Mlp(hidden, activation, placement, dropout, dropoutPlacement, n, classes); }

        /** This MLP with {@code k} output classes. */
        public Mlp withClasses(int k) { return new Mlp(hidden, activation, placement, dropout, dropoutPlacement, inputs, k); }

        public Mlp withHidden(List<Integer> h) { return new Mlp(h, activation, placement, dropout, dropoutPlacement, inputs, classes); }
        public Mlp withActivation(Activation.Kind a) { return new Mlp(hidden, a, placement, dropout, dropoutPlacement, inputs, classes); }
        public Mlp withPlacement(Placement p) { return new Mlp(hidden, activation, p, dropout, dropoutPlacement, inputs, classes); }
        public Mlp withDropout(double p) { return new Mlp(hidden, activation, placement, p, dropoutPlacement, inputs, classes); }
        public Mlp withDropoutPlacement(DropoutPlacement d) { return new Mlp(hidden, activation, placement, dropout, d, inputs, classes); }

        @Override public String name() { return "mlp"; }

        /** Layer widths: inputs, hidden…, classes (784, hidden…, 10 by default). */
        public int[] widths() {
            int[] w = new int[hidden.size() + 2];
            w[0] = inputs;
            for (int i = 0; i < hidden.size(); i++) w[i + 1] = hidden.get(i);
            w[w.length - 1] = classes;
            return w;
        }
    }

    /** d2l's LeNet ({@link Models#lenet}); IN and LRN sit after the convolutions only. */
    record LeNet(Activation.Kind activation, Placement placement) implements ModelSpec {
        public LeNet(Activation.Kind activation) { this(activation, Placement.BEFORE); }

        @Override public String name() { return "lenet"; }
    }

    /** A row-by-row classifier ({@link RecurrentModels}) with {@code hidden} units; norm none, LN or BN per time step. */
    record Recurrent(Cell cell, int hidden) implements ModelSpec {
        public enum Cell { RNN, LSTM, GRU }

        public Recurrent {
            if (hidden <= 0) throw new IllegalArgumentException("Recurrent: hidden size must be positive, got " + hidden);
        }

        @Override public String name() { return cell.name().toLowerCase(Locale.ROOT); }
    }

    /** The small EfficientNet-style {@link MbConvNet}. */
    record MbConv() implements ModelSpec {
        @Override public String name() { return "mbconv"; }
    }
}
