package org.normlab.norm;

import java.math.BigDecimal;

/**
 * How a recurrent cell (the RnnCell, GruCell and LstmCell of org.normlab.model) normalizes inside each time step.
 *
 * <ul>
 *   <li>{@link Kind#NONE}: no normalization.</li>
 *   <li>{@link Kind#LAYER}: layer normalization (Ba, Kiros &amp; Hinton 2016, §3.1 and eq. 20): at every step
 *       W_ih·x_t and W_hh·h_{t−1} are normalized separately, each over its own features (statistics per sample),
 *       so training and inference compute the same function.</li>
 *   <li>{@link Kind#BATCH_PER_STEP}: recurrent batch normalization (Cooijmans et al. 2016, §3): the same two
 *       terms are normalized per feature over the batch, with separate batch statistics and separate running
 *       statistics for every time step t, and γ shared across steps. At inference, steps beyond the longest
 *       sequence seen in training reuse the running statistics of the last trained step.</li>
 * </ul>
 * LSTM cells also normalize the cell state before its tanh (both papers do). See {@link StepNorm} for the
 * equations.
 *
 * @param kind      which normalization
 * @param initialGain γ₀, the starting value of every gain γ: 1 for Ba et al., 0.1 as Cooijmans et al. recommend
 *                  (it keeps tanh and sigmoid away from saturation at the start); ignored for {@code NONE}
 */
public record RecurrentNorm(Kind kind, double initialGain) {
    public enum Kind { NONE, LAYER, BATCH_PER_STEP }

    public static final RecurrentNorm NONE = new RecurrentNorm(Kind.NONE, 1);
    /** Layer normalization with γ₀ = 1. */
    public static final RecurrentNorm LN = new RecurrentNorm(Kind.LAYER, 1);
    /** Per-time-step batch normalization with γ₀ = 1. */
    public static final RecurrentNorm BN = new RecurrentNorm(Kind.BATCH_PER_STEP, 1);

    public RecurrentNorm {
        if (kind == null) throw new IllegalArgumentException("RecurrentNorm: kind must not be null");
        if (!(initialGain > 0) || !Double.isFinite(initialGain)) {
            throw new IllegalArgumentException("RecurrentNorm: initial gain γ₀ must be positive and finite, got " + initialGain);
        }
    }

    /** Layer normalization with gains starting at {@code initialGain}. */
    public static RecurrentNorm layer(double initialGain) { return new RecurrentNorm(Kind.LAYER, initialGain); }

    /** Per-time-step batch normalization with gains starting at {@code initialGain}. */
    public static RecurrentNorm batchPerStep(double initialGain) { return new RecurrentNorm(Kind.BATCH_PER_STEP, initialGain); }

    public boolean normalizes() { return kind != Kind.NONE; }

    /** "none", "LN", "BN per step", with " γ₀=0.1" appended when γ₀ ≠ 1. */
    public String label() {
        String name = switch (kind) { case NONE -> "none"; case LAYER -> "LN"; case BATCH_PER_STEP -> "BN per step"; };
        if (kind == Kind.NONE || initialGain == 1) return name;
        return name + " γ₀=" + BigDecimal.valueOf(initialGain).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() { return label(); }
}
