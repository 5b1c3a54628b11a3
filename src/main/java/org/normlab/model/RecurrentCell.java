package org.normlab.model;

import java.util.List;
import org.normlab.tensor.Tensor;
import org.normlab.nn.Initializable;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.norm.RecurrentNorm;

/**
 * One time step of a recurrent network, unrolled over a sequence by {@link Recurrent}.
 *
 * <p>Contract, for a batch of N sequences: {@link #startSequence(int)} forgets the previous sequence;
 * {@code forwardStep(t, x_t, state_{t−1}, mode)} for t = 0, 1, … returns state_t and remembers what its backward
 * needs; {@code backwardStep(t, dL/dstate_t)} (for t = T−1 down to 0) <em>adds</em> the step's parameter gradients
 * and returns dL/dx_t and dL/dstate_{t−1}. Parameters are shared by all steps, so their gradients sum over steps
 * (backpropagation through time).
 */
public interface RecurrentCell extends Initializable {

    /**
     * A recurrent state, or its gradient.
     *
     * @param hidden h, (N, H)
     * @param cell   c, (N, H), for cells that carry a cell state (LSTM); null otherwise
     */
    record State(Tensor hidden, Tensor cell) {}

    /**
     * What one backward step returns.
     *
     * @param input    dL/dx_t, (N, F)
     * @param previous dL/dstate_{t−1}
     */
    record StepGradient(Tensor input, State previous) {}

    /** F, the features of x_t. */
    int inputSize();

    /** H, the features of h_t. */
    int hiddenSize();

    RecurrentNorm norm();

    /** The initial state h₀ (and c₀) = 0 for a batch of {@code batch} sequences. */
    State zeroState(int batch);

    /** Forgets the per-step memory of the previous sequence; the next forward step must be step 0. */
    void startSequence(int batch);

    /** state_t from x_t, (N, F), and state_{t−1}. */
    State forwardStep(int t, Tensor input, State previous, Mode mode);

    /** Backward through step {@code t}: adds dL/dθ of this step, returns dL/dx_t and dL/dstate_{t−1}. */
    StepGradient backwardStep(int t, State gradient);

    List<Param> params();

    /** e.g. {@code LstmCell(28→64, LN γ₀=0.1, forget bias 1)}. */
    String describe();
}
