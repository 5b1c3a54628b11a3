package org.normlab.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.nn.Init;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.norm.RecurrentNorm;
import org.normlab.norm.StepNorm;

/**
 * LSTM cell, PyTorch's {@code LSTMCell} (gate order i, f, g, o), with optional normalization ({@link RecurrentNorm})
 * of the pre-activations and of the cell state at each step, as in Ba et al. 2016 (eq. 20–22) and Cooijmans et al.
 * 2016 (eq. 6–8).
 *
 * <pre>
 * forward:   z_t = n_ih(x_t·W_ihᵀ) + n_hh(h_{t−1}·W_hhᵀ) + b = [z_i, z_f, z_g, z_o]   (each N×H; see {@link GatePreactivations})
 *            i = σ(z_i),  f = σ(z_f),  g = tanh(z_g),  o = σ(z_o)
 *            c_t = f ⊙ c_{t−1} + i ⊙ g
 *            h_t = o ⊙ tanh(n_c(c_t))                   n_c = identity (NONE), or a {@link StepNorm} with γ_c, β_c
 *
 * backward:  (dh_t from the output and from step t+1, dc_t from step t+1)
 *            u = tanh(n_c(c_t)):   do = dh_t ⊙ u,   dc = dc_t + n_c'(dh_t ⊙ o ⊙ (1 − u²))
 *            di = dc ⊙ g,   df = dc ⊙ c_{t−1},   dg = dc ⊙ i,   dc_{t−1} = dc ⊙ f
 *            dz_i = di ⊙ i(1 − i),  dz_f = df ⊙ f(1 − f),  dz_g = dg ⊙ (1 − g²),  dz_o = do ⊙ o(1 − o)
 *            then dW_ih, dW_hh, db, dγ and dx_t, dh_{t−1} through the pre-activations
 * </pre>
 * With layer normalization the gate pre-activations are normalized over all 4H of them (Ba et al. eq. 20
 * normalizes the whole vector W_h·h_{t−1}), the cell state over its H features. With per-step batch normalization
 * every one of the 4H (and H) features has its own statistics per step.
 *
 * <p>Parameters: {@code weightIh} (4H, F), {@code weightHh} (4H, H), {@code bias} (4H); when normalized,
 * {@code gammaIh}, {@code gammaHh} (4H), {@code gammaC}, {@code betaC} (H), gains starting at γ₀. With
 * {@code forgetBiasOne} the forget gate's bias b[H..2H) starts at 1 (Gers et al. 2000; Jozefowicz et al. 2015), so
 * the cell remembers by default at the start of training.
 */
public final class LstmCell implements RecurrentCell {
    private final int inputSize, hiddenSize;
    private final RecurrentNorm norm;
    private final boolean forgetBiasOne;
    private final GatePreactivations preactivations;
    private final StepNorm cellNorm;

    // What backward needs, per step.
    private final List<float[]> gateValues = new ArrayList<>();     // [i, f, g, o] after their nonlinearity, N×4H
    private final List<float[]> previousCell = new ArrayList<>();   // c_{t−1}
    private final List<float[]> cellTanh = new ArrayList<>();       // u = tanh(n_c(c_t))
    private int rows;

    /** Weights start at zero; an {@link Init} fills them (the builders always do). */
    public LstmCell(int inputSize, int hiddenSize, RecurrentNorm norm, boolean forgetBiasOne) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException("LstmCell: sizes must be positive, got input=" + inputSize + ", hidden=" + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.norm = norm;
        this.forgetBiasOne = forgetBiasOne;
        this.preactivations = new GatePreactivations(inputSize, hiddenSize, 4 * hiddenSize, norm);
        this.cellNorm = norm.normalizes() ? new StepNorm(norm, hiddenSize, "C", true) : null;
        setForgetBias();
    }

    public LstmCell(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, RecurrentNorm.NONE, false); }

    public Param weightIh() { return preactivations.weightIh(); }
    public Param weightHh() { return preactivations.weightHh(); }
    public Param bias() { return preactivations.bias(); }
    /** Normalization of x_t·W_ihᵀ (null for NONE). */
    public StepNorm inputNorm() { return preactivations.normIh(); }
    /** Normalization of h_{t−1}·W_hhᵀ (null for NONE). */
    public StepNorm hiddenNorm() { return preactivations.normHh(); }
    /** Normalization of c_t before its tanh (null for NONE). */
    public StepNorm cellNorm() { return cellNorm; }
    public boolean forgetBiasOne() { return forgetBiasOne; }

    @Override public int inputSize() { return inputSize; }
    @Override public int hiddenSize() { return hiddenSize; }
    @Override public RecurrentNorm norm() { return norm; }

    @Override
    public State zeroState(int batch) { return new State(Tensor.zeros(batch, hiddenSize), Tensor.zeros(batch, hiddenSize)); }

    @Override
    public void startSequence(int batch) {
        rows = batch;
        gateValues.clear();
        previousCell.clear();
        cellTanh.clear();
        preactivations.startSequence(batch);
        if (cellNorm != null) cellNorm.startSequence();
    }

    @Override
    public State forwardStep(int t, Tensor input, State previous, Mode mode) {
        int hs = hiddenSize, gates = 4 * hs;
        float[] z = preactivations.forward(t, input.data(), previous.hidden().data(), mode);
        float[] cBefore = previous.cell().data(), c = new float[rows * hs];
        for (int n = 0; n < rows; n++) {
            int zOff = n * gates, cOff = n * hs;
            for (int k = 0; k < hs; k++) {
                float i = sigmoid(z[zOff + k]), f = sigmoid(z[zOff + hs + k]);
                float g = (float) Math.tanh(z[zOff + 2 * hs + k]), o = sigmoid(z[zOff + 3 * hs + k]);
                z[zOff + k] = i;                  // z now holds the gate values
                z[zOff + hs + k] = f;
                z[zOff + 2 * hs + k] = g;
                z[zOff + 3 * hs + k] = o;
                c[cOff + k] = f * cBefore[cOff + k] + i * g;
            }
        }
        float[] normalizedCell = cellNorm == null ? c : cellNorm.forward(t, c, rows, mode);
        float[] u = new float[c.length], h = new float[c.length];
        for (int n = 0; n < rows; n++) {
            for (int k = 0; k < hs; k++) {
                int ci = n * hs + k;
                u[ci] = (float) Math.tanh(normalizedCell[ci]);
                h[ci] = z[n * gates + 3 * hs + k] * u[ci];
            }
        }
        gateValues.add(z);
        previousCell.add(cBefore);
        cellTanh.add(u);
        return new State(Tensor.of(h, rows, hs), Tensor.of(c, rows, hs));
    }

    private static float sigmoid(float x) { return (float) (1 / (1 + Math.exp(-x))); }

    @Override
    public StepGradient backwardStep(int t, State gradient) {
        int hs = hiddenSize, gates = 4 * hs;
        float[] gv = gateValues.get(t), cBefore = previousCell.get(t), u = cellTanh.get(t);
        float[] dh = gradient.hidden().data(), dcFromNext = gradient.cell().data();
        float[] dz = new float[rows * gates];
        float[] dNormalizedCell = new float[rows * hs];
        for (int n = 0; n < rows; n++) {
            for (int k = 0; k < hs; k++) {
                int ci = n * hs + k, o = n * gates + 3 * hs + k;
                dz[o] = dh[ci] * u[ci] * gv[o] * (1 - gv[o]);                     // dz_o = (dh ⊙ u) ⊙ o(1 − o)
                dNormalizedCell[ci] = dh[ci] * gv[o] * (1 - u[ci] * u[ci]);
            }
        }
        float[] dcThroughH = cellNorm == null ? dNormalizedCell : cellNorm.backward(t, dNormalizedCell);
        float[] dcBefore = new float[rows * hs];
        for (int n = 0; n < rows; n++) {
            int zOff = n * gates;
            for (int k = 0; k < hs; k++) {
                int ci = n * hs + k;
                float dc = dcFromNext[ci] + dcThroughH[ci];
                float i = gv[zOff + k], f = gv[zOff + hs + k], g = gv[zOff + 2 * hs + k];
                dz[zOff + k] = dc * g * i * (1 - i);
                dz[zOff + hs + k] = dc * cBefore[ci] * f * (1 - f);
                dz[zOff + 2 * hs + k] = dc * i * (1 - g * g);
                dcBefore[ci] = dc * f;
            }
        }
        float[] dx = new float[rows * inputSize];
        float[] dhBefore = preactivations.backward(t, dz, dx);
        return new StepGradient(Tensor.of(dx, rows, inputSize),
                new State(Tensor.of(dhBefore, rows, hs), Tensor.of(dcBefore, rows, hs)));
    }

    @Override
    public List<Param> params() {
        List<Param> all = new ArrayList<>(preactivations.params());
        if (cellNorm != null) all.addAll(cellNorm.params());
        return all;
    }

    /**
     * W_ih and W_hh as the weights of a Linear(F→4H) and a Linear(H→4H) under {@code init}; b = 0 (forget gate 1
     * with {@code forgetBiasOne}); γ = γ₀, β_c = 0.
     */
    @Override
    public void initialize(Init init, Rng rng) {
        preactivations.initialize(init, rng);
        if (cellNorm != null) cellNorm.resetParameters();
        setForgetBias();
    }

    private void setForgetBias() {
        if (forgetBiasOne) Arrays.fill(preactivations.bias().value().data(), hiddenSize, 2 * hiddenSize, 1f);
    }

    @Override
    public String describe() {
        return "LstmCell(" + inputSize + "→" + hiddenSize + (norm.normalizes() ? ", " + norm.label() : "")
                + (forgetBiasOne ? ", forget bias 1" : "") + ")";
    }
}
