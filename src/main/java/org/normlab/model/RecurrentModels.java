package org.normlab.model;

import java.util.ArrayList;
import java.util.List;
import org.normlab.nn.Init;
import org.normlab.nn.Layer;
import org.normlab.nn.Linear;
import org.normlab.norm.RecurrentNorm;
import org.normlab.nn.Reshape;
import org.normlab.nn.Sequential;
import org.normlab.tensor.Rng;

/**
 * Row-by-row image classifiers for claim C10 (normalization in recurrent networks): a (N, 1, 28, 28) Fashion-MNIST
 * image is read as a sequence of T = 28 rows of F = 28 pixels, top to bottom, and the last hidden state classifies it.
 *
 * <pre>
 * Reshape(→[N,28,28]) → Recurrent(cell(28→H, norm)) → Linear(H→10)
 * </pre>
 * Each builder returns an initialized model.
 */
public final class RecurrentModels {
    public static final int ROWS = 28, PIXELS_PER_ROW = 28, CLASSES = 10;

    private RecurrentModels() {}

    /** Elman RNN (tanh) with {@code hidden} units. Xavier suits tanh. */
    public static Sequential rowRnnClassifier(int hidden, RecurrentNorm norm, Init init, Rng rng) {
        return rowClassifier(rnnCell(hidden, norm), init, rng);
    }

    static RecurrentCell rnnCell(int hidden, RecurrentNorm norm) { return new RnnCell(PIXELS_PER_ROW, hidden, norm); }

    static RecurrentCell lstmCell(int hidden, RecurrentNorm norm, boolean forgetBiasOne) {
        return new LstmCell(PIXELS_PER_ROW, hidden, norm, forgetBiasOne);
    }

    /** LSTM with {@code hidden} units; {@code forgetBiasOne} starts the forget gate's bias at 1. */
    public static Sequential rowLstmClassifier(int hidden, RecurrentNorm norm, boolean forgetBiasOne, Init init, Rng rng) {
        return rowClassifier(lstmCell(hidden, norm, forgetBiasOne), init, rng);
    }

    static RecurrentCell gruCell(int hidden, RecurrentNorm norm) { return new GruCell(PIXELS_PER_ROW, hidden, norm); }

    /** GRU with {@code hidden} units. */
    public static Sequential rowGruClassifier(int hidden, RecurrentNorm norm, Init init, Rng rng) {
        return rowClassifier(gruCell(hidden, norm), init, rng);
    }

    /** Any cell that reads 28-pixel rows. */
    public static Sequential rowClassifier(RecurrentCell cell, Init init, Rng rng) {
        Sequential model = new Sequential(rowClassifierLayers(cell));
        init.apply(model, rng);
        return model;
    }

    /** The layers of the classifier above, uninitialized. */
    static List<Layer> rowClassifierLayers(RecurrentCell cell) {
        if (cell.inputSize() != PIXELS_PER_ROW) {
            throw new IllegalArgumentException("RecurrentModels: the cell must read rows of " + PIXELS_PER_ROW + " pixels, got "
                    + cell.describe());
        }
        return new ArrayList<>(List.of(new Reshape(ROWS, PIXELS_PER_ROW), new Recurrent(cell), new Linear(cell.hiddenSize(), CLASSES, true)));
    }
}
