package org.normlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.normlab.norm.Norm;
import org.normlab.experiment.Experiment;
import org.normlab.experiment.RunSpec;
import org.normlab.model.ModelSpec;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.testing.GradCheck;

/** Shift adds a constant; a config's inputShift puts one in front of the model. */
class ShiftTest {
    @Test
    void addsTheConstantLeavesTheInputAloneAndPassesGradientsThrough() {
        Tensor x = Tensor.of(new float[] {0, 0.25f, 1, 0.5f}, 2, 2);
        Tensor y = new Shift(-0.5).forward(x, Mode.TRAIN);
        assertArrayEquals(new float[] {-0.5f, -0.25f, 0.5f, 0}, y.data(), 0f);
        assertArrayEquals(new float[] {0, 0.25f, 1, 0.5f}, x.data(), 0f, "input not modified");
        GradCheck.check(new Shift(0.3), Tensor.randn(new Rng(1), 1f, 3, 4), Mode.TRAIN, 2);
        assertThrows(IllegalArgumentException.class, () -> new Shift(Double.NaN));
    }

    @Test
    void aConfigWithInputShiftStartsWithAShiftAndOtherwiseHasTheSameWeights() {
        RunSpec c = RunSpec.recurrent(ModelSpec.Recurrent.Cell.LSTM, 16).withNorm(Norm.LN);
        Sequential plain = Experiment.model(c, new Rng(3)), shifted = Experiment.model(c.withInputShift(-0.5), new Rng(3));
        assertInstanceOf(Shift.class, shifted.layers().get(0));
        assertEquals(plain.layers().size() + 1, shifted.layers().size());
        for (int i = 0; i < plain.params().size(); i++) {
            assertArrayEquals(plain.params().get(i).value().data(), shifted.params().get(i).value().data(), 0f);
        }
    }
}
