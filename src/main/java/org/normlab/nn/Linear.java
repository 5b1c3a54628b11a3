package org.normlab.nn;

import java.util.List;
import org.normlab.kernels.Gemm;
import org.normlab.kernels.ReusedTensor;
import org.normlab.tensor.Tensor;

/**
 * Fully connected layer, PyTorch layout ({@code weight} is out×in).
 *
 * <pre>
 * forward:   y = x·Wᵀ + b                 x: (N, in), y: (N, out)
 * backward:  dx = dy·W,   dW += dyᵀ·x,   db += Σ_n dy
 * </pre>
 *
 * <p>The output and input-gradient tensors are reused by the next TRAIN call of the same shape: a returned tensor
 * stays valid until this layer's next forward (backward). An EVAL forward keeps nothing (not its input; its output
 * is its own tensor, held softly until the next TRAIN step).
 */
public final class Linear implements Layer {
    private final int in, out;
    private final Param weight, bias;
    private final Saved<Tensor> input = new Saved<>();  // what backward needs from the last TRAIN forward
    private final ReusedTensor output = new ReusedTensor(), gradInput = new ReusedTensor();  // handed out, valid until the next call

    /** Weights and bias start at zero; an {@link Init} fills them (the network builders always do). */
    public Linear(int in, int out, boolean withBias) {
        if (in <= 0 || out <= 0) throw new IllegalArgumentException("Linear: sizes must be positive, got in=" + in + ", out=" + out);
        this.in = in;
        this.out = out;
        this.weight = Param.of("weight", Tensor.zeros(out, in));
        this.bias = withBias ? Param.of("bias", Tensor.zeros(out)) : null;
    }

    public Param weight() { return weight; }
    public Param bias() { return bias; }
    public int inFeatures() { return in; }
    public int outFeatures() { return out; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.rank() != 2 || x.dim(1) != in) {
            throw new IllegalArgumentException(describe() + ": expected input [N," + in + "], got " + x.shapeString());
        }
        int n = x.dim(0);
        Tensor y = output.take(mode == Mode.TRAIN, n, out);  // the GEMM (β = 0) writes every element
        Gemm.gemm(false, true, n, out, in, 1f, x.data(), weight.value().data(), 0f, y.data());
        if (bias != null) {
            float[] yd = y.data(), b = bias.value().data();
            for (int i = 0; i < n; i++) for (int j = 0; j < out; j++) yd[i * out + j] += b[j];
        }
        input.keep(mode, x);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        int n = accumulateParameterGradients(dy);
        Tensor dx = gradInput.reuse(n, in);  // the GEMM (β = 0) writes every element
        Gemm.gemm(false, false, n, in, out, 1f, dy.data(), weight.value().data(), 0f, dx.data());
        return dx;
    }

    /** dW and db only: the model's first Linear (after a Flatten) skips the dx GEMM nobody reads. */
    @Override
    public void backwardToParameters(Tensor dy) { accumulateParameterGradients(dy); }

    /** dW += dyᵀ·x,  db += Σ_n dy; returns the batch size N. */
    private int accumulateParameterGradients(Tensor dy) {
        Tensor x = input.get(this);
        int n = x.dim(0);
        if (dy.rank() != 2 || dy.dim(0) != n || dy.dim(1) != out) {
            throw new IllegalArgumentException(describe() + ": expected gradient [" + n + "," + out + "], got " + dy.shapeString());
        }
        Gemm.gemm(true, false, out, in, n, 1f, dy.data(), x.data(), 1f, weight.grad().data());
        if (bias != null) {
            float[] db = bias.grad().data(), g = dy.data();
            for (int i = 0; i < n; i++) for (int j = 0; j < out; j++) db[j] += g[i * out + j];
        }
        return n;
    }

    @Override
    public List<Param> params() { return bias == null ? List.of(weight) : List.of(weight, bias); }

    @Override
    public String describe() { return "Linear(" + in + "→" + out + (bias == null ? ", no bias" : "") + ")"; }
}
