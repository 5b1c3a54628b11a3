package org.normlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

class SequentialTest {
    private static Sequential mlp() {
        Sequential model = new Sequential(List.of(new Flatten(), new Linear(12, 5, true), Activation.sigmoid(), new Linear(5, 3, true)));
        Init.xavier().apply(model, new Rng(11));
        return model;
    }

    /**
     * Training skips the leading Flatten and the first Linear's dx: every parameter gradient must equal, bit for bit,
     * the one the full backward accumulates.
     */
    @Test
    void backwardToParametersSkippingFlattenGivesBackwardsParameterGradients() {
        Tensor x = Tensor.randn(new Rng(1), 1f, 7, 3, 2, 2), dy = Tensor.randn(new Rng(2), 1f, 7, 3);
        Sequential full = mlp(), paramsOnly = mlp();
        full.forward(x, Mode.TRAIN);
        Tensor dx = full.backward(dy);
        paramsOnly.forward(x, Mode.TRAIN);
        paramsOnly.backwardToParameters(dy);
        assertEquals(x.size(), dx.size());
        List<Param> a = full.params(), b = paramsOnly.params();
        assertEquals(4, a.size());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).grad().data(), b.get(i).grad().data(), "gradient of parameter " + i);
    }
}
