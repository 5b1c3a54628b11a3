package org.normlab.nn;

import org.normlab.tensor.Tensor;
import java.util.Arrays;

/**
 * A trainable tensor and its gradient.
 *
 * @param name     what it is within its layer ("weight", "bias", "gamma", "beta")
 * @param value    the parameter, updated in place by the optimizer
 * @param grad     dLoss/dvalue, accumulated by {@code backward} and cleared by {@link #zeroGrad()}
 * @param isNormAffine true for a normalization layer's γ/β (so weight decay can exempt them)
 */
public record Param(String name, Tensor value, Tensor grad, boolean isNormAffine) {

    public static Param of(String name, Tensor value) { return new Param(name, value, Tensor.zeros(value.shape()), false); }

    public static Param normAffine(String name, Tensor value) { return new Param(name, value, Tensor.zeros(value.shape()), true); }

    public void zeroGrad() { Arrays.fill(grad.data(), 0f); }
}
