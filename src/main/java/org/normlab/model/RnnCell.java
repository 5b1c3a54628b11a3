package org.normlab.model;

import java.util.ArrayList;
import java.util.List;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.nn.Init;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.norm.RecurrentNorm;
import org.normlab.norm.StepNorm;

/**
 * Elman RNN cell with tanh, PyTorch's {@code RNNCell(nonlinearity='tanh')}, with optional normalization
 * ({@link RecurrentNorm}) of the two pre-activation terms at each step.
 *
 * <pre>
 * forward:   z_t = n_ih(x_t·W_ihᵀ) + n_hh(h_{t−1}·W_hhᵀ) + b        (see {@link GatePreactivations}; n = identity for NONE)
 *            h_t = tanh(z_t)                                         x_t: (N, F),  h_t: (N, H),  h₀ = 0
 * backward:  dz_t = dh_t ⊙ (1 − h_t²)        (dh_t: from the output and from step t+1)
 *            then dW_ih, dW_hh, db, dγ and dx_t, dh_{t−1} through the pre-activations
 * </pre>
 * Parameters: {@code weightIh} (H, F), {@code weightHh} (H, H), {@code bias} (H); when normalized, gains
 * {@code gammaIh}, {@code gammaHh} (H) starting at γ₀.
 */
public final class RnnCell implements RecurrentCell {
    private final int inputSize, hiddenSize;
    private final RecurrentNorm norm;
    private final GatePreactivations preactivations;
    private final List<float[]> outputs = new ArrayList<>();   // h_t per step, for tanh' = 1 − h²
    private int rows;

    /** Weights start at zero; an {@link Init} fills them (the builders always do). */
    public RnnCell(int inputSize, int hiddenSize, RecurrentNorm norm) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException("RnnCell: sizes must be positive, got input=" + inputSize + ", hidden=" + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.norm = norm;
        this.preactivations = new GatePreactivations(inputSize, hiddenSize, hiddenSize, norm);
    }

    public RnnCell(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, RecurrentNorm.NONE); }

    public Param weightIh() { return preactivations.weightIh(); }
    public Param weightHh() { return preactivations.weightHh(); }
    public Param bias() { return preactivations.bias(); }
    /** Normalization of x_t·W_ihᵀ (null for NONE). */
    public StepNorm inputNorm() { return preactivations.normIh(); }
    /** Normalization of h_{t−1}·W_hhᵀ (null for NONE). */
    public StepNorm hiddenNorm() { return preactivations.normHh(); }

    @Override public int inputSize() { return inputSize; }
    @Override public int hiddenSize() { return hiddenSize; }
    @Override public RecurrentNorm norm() { return norm; }

    @Override
    public State zeroState(int batch) { return new State(Tensor.zeros(batch, hiddenSize), null); }

    @Override
    public void startSequence(int batch) {
        rows = batch;
        outputs.clear();
        preactivations.startSequence(batch);
    }

    @Override
    public State forwardStep(int t, Tensor input, State previous, Mode mode) {
        float[] z = preactivations.forward(t, input.data(), previous.hidden().data(), mode);
        float[] h = new float[z.length];
        for (int i = 0; i < z.length; i++) h[i] = (float) Math.tanh(z[i]);
        outputs.add(h);
        return new State(Tensor.of(h, rows, hiddenSize), null);
    }

    @Override
    public StepGradient backwardStep(int t, State gradient) {
        float[] h = outputs.get(t), dh = gradient.hidden().data();
        float[] dz = new float[h.length];
        for (int i = 0; i < h.length; i++) dz[i] = dh[i] * (1 - h[i] * h[i]);
        float[] dx = new float[rows * inputSize];
        float[] dhBefore = preactivations.backward(t, dz, dx);
        return new StepGradient(Tensor.of(dx, rows, inputSize), new State(Tensor.of(dhBefore, rows, hiddenSize), null));
    }

    @Override
    public List<Param> params() { return preactivations.params(); }

    /** W_ih and W_hh as the weights of a Linear(F→H) and a Linear(H→H) under {@code init}; b = 0; γ = γ₀. */
    @Override
    public void initialize(Init init, Rng rng) { preactivations.initialize(init, rng); }

    @Override
    public String describe() {
        return "RnnCell(" + inputSize + "→" + hiddenSize + (norm.normalizes() ? ", " + norm.label() : "") + ")";
    }
}
