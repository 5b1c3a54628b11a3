package org.normlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.normlab.norm.BatchRenorm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * The contract in {@link Layer}'s Javadoc: a layer keeps its input by reference from forward to backward, so a write
 * into it in between is not detected and backward computes with the changed values; {@code x.copy()} protects it.
 */
class InputMutationContractTest {
    private static final Tensor DY = Tensor.randn(new Rng(3), 1f, 4, 6);

    /** Two fresh layers from {@code factory} start with the same parameters. */
    private record Run(Tensor dx, float[] firstParamGrad) {}

    private static Run run(Supplier<Layer> factory, Tensor forwardInput, Runnable betweenForwardAndBackward) {
        Layer layer = factory.get();
        layer.forward(forwardInput, Mode.TRAIN);
        betweenForwardAndBackward.run();
        Tensor dx = layer.backward(DY).copy();
        return new Run(dx, layer.params().isEmpty() ? new float[0] : layer.params().get(0).grad().data().clone());
    }

    private static Tensor input() { return Tensor.randn(new Rng(1), 2f, 4, 6); }

    private static void changeInPlace(Tensor x) { for (int i = 0; i < x.size(); i += 3) x.data()[i] += 1.5f; }

    @Test
    void linearComputesDwFromTheInputAsItIsAtBackward() {
        Supplier<Layer> linear = () -> {
            Linear l = new Linear(6, 6, true);
            Init.xavier().apply(l, new Rng(9));
            return l;
        };
        Tensor x = input();
        Run mutated = run(linear, x, () -> changeInPlace(x));

        Tensor changed = input();
        changeInPlace(changed);
        Run onChanged = run(linear, changed, () -> {});
        Run correct = run(linear, input(), () -> {});
        assertArrayEquals(onChanged.firstParamGrad(), mutated.firstParamGrad(), "dW is the gradient of the changed input");
        assertFalse(Arrays.equals(correct.firstParamGrad(), mutated.firstParamGrad()), "not the gradient of the forward that ran");
    }

    @Test
    void aNormalizationGivesADxOfNoForwardThatRan() {
        Supplier<Layer> renorm = () -> new BatchRenorm(6);
        Tensor x = input();
        Run mutated = run(renorm, x, () -> changeInPlace(x));

        Tensor changed = input();
        changeInPlace(changed);
        Run correct = run(renorm, input(), () -> {}), onChanged = run(renorm, changed, () -> {});
        assertFalse(Arrays.equals(correct.dx().data(), mutated.dx().data()), "dx is not that of the forward that ran");
        assertFalse(Arrays.equals(onChanged.dx().data(), mutated.dx().data()), "nor that of a forward on the changed input");
    }

    @Test
    void passingACopyKeepsTheGradientsOfTheForwardThatRan() {
        Supplier<Layer> renorm = () -> new BatchRenorm(6);
        Tensor x = input();
        Run protectedRun = run(renorm, x.copy(), () -> changeInPlace(x));
        Run correct = run(renorm, input(), () -> {});
        assertArrayEquals(correct.dx().data(), protectedRun.dx().data());
        assertArrayEquals(correct.firstParamGrad(), protectedRun.firstParamGrad());
    }
}
