package org.normlab.model;

import java.util.ArrayList;
import java.util.List;
import org.normlab.kernels.Gemm;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.nn.Init;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.norm.RecurrentNorm;
import org.normlab.norm.StepNorm;

/**
 * The pre-activations of a recurrent cell's G gates (G = H for an Elman cell, 3H for a GRU, 4H for an LSTM), for N rows:
 *
 * <pre>
 * forward:   a_ih = x_t·W_ihᵀ   (N×G)          a_hh = h_{t−1}·W_hhᵀ   (N×G)
 *            z_t  = n_ih(a_ih) + n_hh(a_hh) + b                n = identity, or a {@link StepNorm} with gain only
 * backward:  db += Σ_n dz,   da_ih = n_ih'(dz),   da_hh = n_hh'(dz)
 *            dW_ih += da_ihᵀ·x_t,   dx_t = da_ih·W_ih,   dW_hh += da_hhᵀ·h_{t−1},   dh_{t−1} = da_hh·W_hh
 * </pre>
 * A GRU needs the two terms apart (its candidate gate scales the recurrent one by the reset gate), so
 * {@link #forwardTerms} returns n_ih(a_ih) + b and n_hh(a_hh) separately, and
 * {@link #backward(int, float[], float[], float[])} takes their two gradients; {@code forward} and
 * {@code backward(t, dz, dx)} are the case where both terms get dz.
 * W_ih is G×F and W_hh is G×H (PyTorch's {@code weight_ih}, {@code weight_hh}). PyTorch's two biases
 * {@code bias_ih + bias_hh} appear as a sum (in a GRU for every gate but the candidate, whose recurrent bias the
 * {@link GruCell} keeps apart), so one bias b stands for both; likewise the β of the two
 * normalizations (Ba et al. write LN(a_hh; γ₁, β₁) + LN(a_ih; γ₂, β₂) + b) would only add to b, so they are left
 * out, as Cooijmans et al. do (β_h = β_x = 0). Package-private: the cells own it.
 */
final class GatePreactivations {
    private final int inputSize, hiddenSize, gates;
    private final Param weightIh, weightHh, bias;
    private final StepNorm normIh, normHh;

    // What backward needs, per step: x_t and h_{t−1}.
    private final List<float[]> inputs = new ArrayList<>(), previousHidden = new ArrayList<>();
    private int rows;

    GatePreactivations(int inputSize, int hiddenSize, int gates, RecurrentNorm norm) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.gates = gates;
        this.weightIh = Param.of("weightIh", Tensor.zeros(gates, inputSize));
        this.weightHh = Param.of("weightHh", Tensor.zeros(gates, hiddenSize));
        this.bias = Param.of("bias", Tensor.zeros(gates));
        this.normIh = norm.normalizes() ? new StepNorm(norm, gates, "Ih", false) : null;
        this.normHh = norm.normalizes() ? new StepNorm(norm, gates, "Hh", false) : null;
    }

    Param weightIh() { return weightIh; }
    Param weightHh() { return weightHh; }
    Param bias() { return bias; }
    StepNorm normIh() { return normIh; }
    StepNorm normHh() { return normHh; }

    void startSequence(int rows) {
        this.rows = rows;
        inputs.clear();
        previousHidden.clear();
        if (normIh != null) {
            normIh.startSequence();
            normHh.startSequence();
        }
    }

    /** z_t, N×G, from x_t (N×F) and h_{t−1} (N×H). */
    float[] forward(int t, float[] input, float[] hiddenBefore, Mode mode) {
        float[] z = new float[rows * gates];
        if (normIh == null) {
            Gemm.gemm(false, true, rows, gates, inputSize, 1f, input, weightIh.value().data(), 0f, z);
            Gemm.gemm(false, true, rows, gates, hiddenSize, 1f, hiddenBefore, weightHh.value().data(), 1f, z);
        } else {
            float[] aIh = new float[rows * gates], aHh = new float[rows * gates];
            Gemm.gemm(false, true, rows, gates, inputSize, 1f, input, weightIh.value().data(), 0f, aIh);
            Gemm.gemm(false, true, rows, gates, hiddenSize, 1f, hiddenBefore, weightHh.value().data(), 0f, aHh);
            float[] nIh = normIh.forward(t, aIh, rows, mode), nHh = normHh.forward(t, aHh, rows, mode);
            for (int i = 0; i < z.length; i++) z[i] = nIh[i] + nHh[i];
        }
        addBias(z);
        remember(t, input, hiddenBefore);
        return z;
    }

    /**
     * The two terms apart, each N×G: {@code [n_ih(x_t·W_ihᵀ) + b, n_hh(h_{t−1}·W_hhᵀ)]}, from x_t (N×F) and
     * h_{t−1} (N×H).
     */
    float[][] forwardTerms(int t, float[] input, float[] hiddenBefore, Mode mode) {
        float[] aIh = new float[rows * gates], aHh = new float[rows * gates];
        Gemm.gemm(false, true, rows, gates, inputSize, 1f, input, weightIh.value().data(), 0f, aIh);
        Gemm.gemm(false, true, rows, gates, hiddenSize, 1f, hiddenBefore, weightHh.value().data(), 0f, aHh);
        float[] termIh = normIh == null ? aIh : normIh.forward(t, aIh, rows, mode);
        float[] termHh = normHh == null ? aHh : normHh.forward(t, aHh, rows, mode);
        addBias(termIh);
        remember(t, input, hiddenBefore);
        return new float[][] {termIh, termHh};
    }

    private void addBias(float[] z) {
        float[] b = bias.value().data();
        for (int n = 0; n < rows; n++) for (int j = 0; j < gates; j++) z[n * gates + j] += b[j];
    }

    private void remember(int t, float[] input, float[] hiddenBefore) {
        if (t != inputs.size()) {
            throw new IllegalStateException("GatePreactivations: step " + t + " out of order (expected step " + inputs.size() + ")");
        }
        inputs.add(input);
        previousHidden.add(hiddenBefore);
    }

    /** Adds the step's dW_ih, dW_hh, db (and gains); writes dx_t into {@code inputGradient}; returns dh_{t−1}. */
    float[] backward(int t, float[] dz, float[] inputGradient) { return backward(t, dz, dz, inputGradient); }

    /**
     * As above, with the gradients of the two terms of {@link #forwardTerms} apart: {@code dIh} of n_ih(a_ih) + b,
     * {@code dHh} of n_hh(a_hh).
     */
    float[] backward(int t, float[] dIh, float[] dHh, float[] inputGradient) {
        float[] input = inputs.get(t), hiddenBefore = previousHidden.get(t);
        float[] db = bias.grad().data();
        for (int n = 0; n < rows; n++) for (int j = 0; j < gates; j++) db[j] += dIh[n * gates + j];
        float[] daIh = normIh == null ? dIh : normIh.backward(t, dIh);
        float[] daHh = normHh == null ? dHh : normHh.backward(t, dHh);
        Gemm.gemm(true, false, gates, inputSize, rows, 1f, daIh, input, 1f, weightIh.grad().data());
        Gemm.gemm(false, false, rows, inputSize, gates, 1f, daIh, weightIh.value().data(), 0f, inputGradient);
        Gemm.gemm(true, false, gates, hiddenSize, rows, 1f, daHh, hiddenBefore, 1f, weightHh.grad().data());
        float[] hiddenGradient = new float[rows * hiddenSize];
        Gemm.gemm(false, false, rows, hiddenSize, gates, 1f, daHh, weightHh.value().data(), 0f, hiddenGradient);
        return hiddenGradient;
    }

    List<Param> params() {
        List<Param> all = new ArrayList<>(List.of(weightIh, weightHh, bias));
        if (normIh != null) {
            all.addAll(normIh.params());
            all.addAll(normHh.params());
        }
        return all;
    }

    /** W_ih as a Linear(F→G), W_hh as a Linear(H→G) under {@code init}'s rule; b = 0; gains back to γ₀. */
    void initialize(Init init, Rng rng) {
        init.fill(weightIh, bias, inputSize, gates, rng);
        init.fill(weightHh, null, hiddenSize, gates, rng);
        if (normIh != null) {
            normIh.resetParameters();
            normHh.resetParameters();
        }
    }
}
