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
 * GRU cell, PyTorch's {@code GRUCell} (gate order r, z, n), with optional normalization ({@link RecurrentNorm}) of
 * the input and recurrent terms at each step, as for the LSTM (Ba et al. 2016 eq. 20; Cooijmans et al. 2016 eq. 6).
 *
 * <pre>
 * forward:   p = n_ih(x_t·W_ihᵀ) + b = [p_r, p_z, p_n],   q = n_hh(h_{t−1}·W_hhᵀ) = [q_r, q_z, q_n]   (each N×H; {@link GatePreactivations})
 *            r = σ(p_r + q_r),   z = σ(p_z + q_z)
 *            n = tanh(p_n + r ⊙ (q_n + b_hn))
 *            h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 *
 * backward:  (dh_t from the output and from step t+1)
 *            dn = dh_t ⊙ (1 − z),   dz = dh_t ⊙ (h_{t−1} − n),   dh_{t−1} = dh_t ⊙ z + (through q below)
 *            da_n = dn ⊙ (1 − n²):   dp_n = da_n,   dq_n = da_n ⊙ r,   db_hn += Σ_n da_n ⊙ r,   dr = da_n ⊙ (q_n + b_hn)
 *            dp_r = dq_r = dr ⊙ r(1 − r),   dp_z = dq_z = dz ⊙ z(1 − z)
 *            then dW_ih, dW_hh, db, dγ and dx_t, dh_{t−1} through the two terms
 * </pre>
 * PyTorch writes n = tanh(W_in·x_t + b_in + r ⊙ (W_hn·h_{t−1} + b_hn)): the recurrent term of the candidate gate and
 * its bias b_hn sit inside the reset gate's product, so b_hn cannot merge into b. For r and z, b = b_ih + b_hh as in
 * {@link GatePreactivations}; for n, b holds b_in. With layer normalization each term is normalized over all 3H of its
 * features; with per-step batch normalization each of the 3H features has its own statistics per step. A GRU has no
 * cell state, so nothing else is normalized.
 *
 * <p>Parameters: {@code weightIh} (3H, F), {@code weightHh} (3H, H), {@code bias} (3H), {@code biasHn} (H); when
 * normalized, gains {@code gammaIh}, {@code gammaHh} (3H) starting at γ₀.
 */
public final class GruCell implements RecurrentCell {
    private final int inputSize, hiddenSize;
    private final RecurrentNorm norm;
    private final GatePreactivations preactivations;
    private final Param biasHn;

    // What backward needs, per step.
    private final List<float[]> gateValues = new ArrayList<>();       // [r, z, n] after their nonlinearity, N×3H
    private final List<float[]> candidateRecurrent = new ArrayList<>(); // q_n + b_hn, N×H
    private final List<float[]> previousHidden = new ArrayList<>();    // h_{t−1}
    private int rows;

    /** Weights start at zero; an {@link Init} fills them (the builders always do). */
    public GruCell(int inputSize, int hiddenSize, RecurrentNorm norm) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException("GruCell: sizes must be positive, got input=" + inputSize + ", hidden=" + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.norm = norm;
        this.preactivations = new GatePreactivations(inputSize, hiddenSize, 3 * hiddenSize, norm);
        this.biasHn = Param.of("biasHn", Tensor.zeros(hiddenSize));
    }

    public GruCell(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, RecurrentNorm.NONE); }

    public Param weightIh() { return preactivations.weightIh(); }
    public Param weightHh() { return preactivations.weightHh(); }
    /** b: b_ih + b_hh for r and z, b_in for n. */
    public Param bias() { return preactivations.bias(); }
    /** b_hn, the candidate gate's recurrent bias. */
    public Param biasHn() { return biasHn; }
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
        gateValues.clear();
        candidateRecurrent.clear();
        previousHidden.clear();
        preactivations.startSequence(batch);
    }

    @Override
    public State forwardStep(int t, Tensor input, State previous, Mode mode) {
        int hs = hiddenSize, gates = 3 * hs;
        float[] hBefore = previous.hidden().data();
        float[][] terms = preactivations.forwardTerms(t, input.data(), hBefore, mode);
        float[] p = terms[0], q = terms[1], bHn = biasHn.value().data();
        float[] gv = new float[rows * gates], qn = new float[rows * hs], h = new float[rows * hs];
        for (int n = 0; n < rows; n++) {
            int gOff = n * gates, hOff = n * hs;
            for (int k = 0; k < hs; k++) {
                float r = sigmoid(p[gOff + k] + q[gOff + k]);                       // r = σ(p_r + q_r)
                float z = sigmoid(p[gOff + hs + k] + q[gOff + hs + k]);             // z = σ(p_z + q_z)
                float recurrent = q[gOff + 2 * hs + k] + bHn[k];                    // q_n + b_hn
                float c = (float) Math.tanh(p[gOff + 2 * hs + k] + r * recurrent);  // n = tanh(p_n + r ⊙ (q_n + b_hn))
                gv[gOff + k] = r;
                gv[gOff + hs + k] = z;
                gv[gOff + 2 * hs + k] = c;
                qn[hOff + k] = recurrent;
                h[hOff + k] = (1 - z) * c + z * hBefore[hOff + k];                  // h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
            }
        }
        gateValues.add(gv);
        candidateRecurrent.add(qn);
        previousHidden.add(hBefore);
        return new State(Tensor.of(h, rows, hs), null);
    }

    private static float sigmoid(float x) { return (float) (1 / (1 + Math.exp(-x))); }

    @Override
    public StepGradient backwardStep(int t, State gradient) {
        int hs = hiddenSize, gates = 3 * hs;
        float[] gv = gateValues.get(t), qn = candidateRecurrent.get(t), hBefore = previousHidden.get(t);
        float[] dh = gradient.hidden().data(), dbHn = biasHn.grad().data();
        float[] dIh = new float[rows * gates], dHh = new float[rows * gates], dhDirect = new float[rows * hs];
        for (int n = 0; n < rows; n++) {
            int gOff = n * gates, hOff = n * hs;
            for (int k = 0; k < hs; k++) {
                int hi = hOff + k;
                float r = gv[gOff + k], z = gv[gOff + hs + k], c = gv[gOff + 2 * hs + k];
                float dn = dh[hi] * (1 - z);                                // dn = dh ⊙ (1 − z)
                float dz = dh[hi] * (hBefore[hi] - c);                      // dz = dh ⊙ (h_{t−1} − n)
                dhDirect[hi] = dh[hi] * z;                                  // dh_{t−1}, direct part
                float daN = dn * (1 - c * c);                               // da_n = dn ⊙ (1 − n²)
                float dr = daN * qn[hi];                                    // dr = da_n ⊙ (q_n + b_hn)
                float dzR = dr * r * (1 - r), dzZ = dz * z * (1 - z);
                dIh[gOff + k] = dzR;                                        // dp_r = dq_r = dr ⊙ r(1 − r)
                dHh[gOff + k] = dzR;
                dIh[gOff + hs + k] = dzZ;                                   // dp_z = dq_z = dz ⊙ z(1 − z)
                dHh[gOff + hs + k] = dzZ;
                dIh[gOff + 2 * hs + k] = daN;                               // dp_n = da_n
                dHh[gOff + 2 * hs + k] = daN * r;                           // dq_n = da_n ⊙ r
            }
        }
        for (int n = 0; n < rows; n++) for (int k = 0; k < hs; k++) dbHn[k] += dHh[n * gates + 2 * hs + k];   // db_hn += Σ_n dq_n
        float[] dx = new float[rows * inputSize];
        float[] dhBefore = preactivations.backward(t, dIh, dHh, dx);
        for (int i = 0; i < dhBefore.length; i++) dhBefore[i] += dhDirect[i];
        return new StepGradient(Tensor.of(dx, rows, inputSize), new State(Tensor.of(dhBefore, rows, hs), null));
    }

    @Override
    public List<Param> params() {
        List<Param> all = new ArrayList<>(preactivations.params());
        all.add(3, biasHn);   // after weightIh, weightHh, bias
        return all;
    }

    /** W_ih and W_hh as the weights of a Linear(F→3H) and a Linear(H→3H) under {@code init}; b = b_hn = 0; γ = γ₀. */
    @Override
    public void initialize(Init init, Rng rng) {
        preactivations.initialize(init, rng);
        Arrays.fill(biasHn.value().data(), 0f);
    }

    @Override
    public String describe() { return "GruCell(" + inputSize + "→" + hiddenSize + (norm.normalizes() ? ", " + norm.label() : "") + ")"; }
}
