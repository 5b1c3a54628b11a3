package org.normlab.nn;

import java.util.List;
import org.normlab.tensor.Tensor;
import java.util.Arrays;

/**
 * A residual connection around an inner layer f (often a {@link Sequential} block).
 *
 * <pre>
 * forward:   y = x + f(x)                 f must map x to a tensor of x's shape
 * backward:  dx = dy + f'(x)ᵀ·dy          (the identity path plus f's backward; f adds its own parameter gradients)
 * </pre>
 */
public final class Residual implements Layer {
    private final Layer inner;
    private final Saved<int[]> savedShape = new Saved<>();  // the last TRAIN forward's input shape

    public Residual(Layer inner) {
        if (inner == null) throw new IllegalArgumentException("Residual: inner layer must not be null");
        this.inner = inner;
    }

    /** The layer f on the residual branch. */
    public Layer inner() { return inner; }

    @Override
    public List<Layer> children() { return List.of(inner); }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor fx = inner.forward(x, mode);
        if (!fx.sameShape(x)) {
            throw new IllegalArgumentException(describe() + ": the inner layer maps " + x.shapeString() + " to " + fx.shapeString()
                    + "; a residual connection needs the same shape");
        }
        savedShape.keep(mode, x.shape());
        Tensor y = Tensor.zeros(x.shape());
        float[] a = x.data(), b = fx.data(), out = y.data();
        for (int i = 0; i < out.length; i++) out[i] = a[i] + b[i];
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        int[] inputShape = savedShape.get(this);
        if (!Arrays.equals(dy.shape(), inputShape)) {
            throw new IllegalArgumentException(describe() + ": expected gradient " + Arrays.toString(inputShape) + ", got " + dy.shapeString());
        }
        Tensor dInner = inner.backward(dy);
        if (!dInner.sameShape(dy)) {
            throw new IllegalStateException(describe() + ": the inner layer's backward returned " + dInner.shapeString()
                    + " for an input of shape " + dy.shapeString());
        }
        Tensor dx = Tensor.zeros(dy.shape());
        float[] g = dy.data(), h = dInner.data(), out = dx.data();
        for (int i = 0; i < out.length; i++) out[i] = g[i] + h[i];
        return dx;
    }

    @Override
    public List<Param> params() { return inner.params(); }

    @Override
    public String describe() { return "Residual(" + inner.describe() + ")"; }
}
