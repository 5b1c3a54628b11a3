package org.normlab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.normlab.nn.Init;
import org.normlab.nn.Mode;
import org.normlab.norm.RecurrentNorm;
import org.normlab.nn.Sequential;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

class RecurrentModelsTest {
    private static final RecurrentNorm[] NORMS = {RecurrentNorm.NONE, RecurrentNorm.LN, RecurrentNorm.batchPerStep(0.1)};

    @Test
    void layoutAndParameterCount() {
        Sequential rnn = RecurrentModels.rowRnnClassifier(32, RecurrentNorm.layer(0.1), Init.xavier(), new Rng(1));
        assertEquals("Reshape(→[N,28,28]) → Recurrent(RnnCell(28→32, LN γ₀=0.1)) → Linear(32→10)", rnn.describe());
        // W_ih 32×28, W_hh 32×32, b 32, γ_ih and γ_hh 32 each; Linear 10×32 + 10
        assertEquals(32 * 28 + 32 * 32 + 32 + 2 * 32 + 10 * 32 + 10, rnn.parameterCount());

        Sequential lstm = RecurrentModels.rowLstmClassifier(16, RecurrentNorm.BN, true, Init.xavier(), new Rng(1));
        assertEquals("Reshape(→[N,28,28]) → Recurrent(LstmCell(28→16, BN per step, forget bias 1)) → Linear(16→10)", lstm.describe());
        // W_ih 64×28, W_hh 64×16, b 64, γ_ih and γ_hh 64 each, γ_c and β_c 16 each; Linear 10×16 + 10
        assertEquals(64 * 28 + 64 * 16 + 64 + 2 * 64 + 2 * 16 + 10 * 16 + 10, lstm.parameterCount());
    }

    @Test
    void imagesGiveTenLogitsPerImage() {
        Tensor x = Tensor.randn(new Rng(2), 1f, 5, 1, 28, 28);
        for (RecurrentNorm norm : NORMS) {
            for (Sequential model : new Sequential[] {
                    RecurrentModels.rowRnnClassifier(12, norm, Init.xavier(), new Rng(3)),
                    RecurrentModels.rowLstmClassifier(12, norm, true, Init.xavier(), new Rng(3))}) {
                assertArrayEquals(new int[] {5, 10}, model.forward(x, Mode.TRAIN).shape(), model.describe() + " TRAIN");
                assertArrayEquals(new int[] {5, 10}, model.forward(x, Mode.EVAL).shape(), model.describe() + " EVAL");
            }
        }
    }

    @Test
    void trainingStepReachesEveryParameter() {
        Tensor x = Tensor.randn(new Rng(4), 1f, 8, 1, 28, 28);
        for (RecurrentNorm norm : NORMS) {
            ModelChecks.everyParameterLearns(RecurrentModels.rowRnnClassifier(8, norm, Init.xavier(), new Rng(5)), x, 10, "RNN " + norm);
            ModelChecks.everyParameterLearns(RecurrentModels.rowLstmClassifier(8, norm, true, Init.xavier(), new Rng(5)), x, 10, "LSTM " + norm);
        }
    }

    @Test
    void aCellThatDoesNotReadRowsIsRejected() {
        assertEquals("RecurrentModels: the cell must read rows of 28 pixels, got RnnCell(14→8)",
                assertThrows(IllegalArgumentException.class,
                        () -> RecurrentModels.rowClassifier(new RnnCell(14, 8), Init.xavier(), new Rng(6))).getMessage());
        Sequential model = RecurrentModels.rowRnnClassifier(8, RecurrentNorm.NONE, Init.xavier(), new Rng(7));
        assertEquals("Reshape(→[N,28,28]): expected input [N,…] with 784 values per sample, got [2, 3, 32, 32]",
                assertThrows(IllegalArgumentException.class, () -> model.forward(Tensor.zeros(2, 3, 32, 32), Mode.TRAIN)).getMessage());
    }
}
