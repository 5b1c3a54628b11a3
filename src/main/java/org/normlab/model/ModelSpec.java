package org.normlab.model;

import java.util.List;
import java.util.Locale;
import org.normlab.nn.Activation;

/**
 * Which network a run trains, with the settings that belong to that network only; {@link NetworkSpec} adds what
 * every network takes (norm, initializer, how the norm layers start, an input shift).
 */
public sealed interface ModelSpec {
    /** The name tables and keys show: "mlp", "lenet", "rnn", "lstm", "mbconv". */
    String name();

    /**
     * Flatten → [Linear → Norm → act]×hidden → Linear ({@link Models#mlp}).
     *
     * @param hidden     hidden-layer widths (input 784 and output 10 are implied)
     * @param placement  the norm before or after the activation
     * @param dropout    dropout probability after each hidden block (0: no dropout layers)
     */
    record Mlp(List<Integer> hidden, Activation.Kind activation, Placement placement, double dropout) implements ModelSpec {
        public Mlp {
            hidden = List.copyOf(hidden);
            for (int w : hidden) if (w <= 0) throw new IllegalArgumentException("Mlp: hidden widths must be positive, got " + hidden);
            if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("Mlp: dropout must be in [0,1), got " + dropout);
        }

        public Mlp(List<Integer> hidden, Activation.Kind activation) { this(hidden, activation, Placement.BEFORE, 0); }

        @Override public String name() { return "mlp"; }

        /** Layer widths: 784, hidden…, 10. */
        public int[] widths() {
            int[] w = new int[hidden.size() + 2];
            w[0] = 28 * 28;
            for (int i = 0; i < hidden.size(); i++) w[i + 1] = hidden.get(i);
            w[w.length - 1] = 10;
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
        public enum Cell { RNN, LSTM }

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
