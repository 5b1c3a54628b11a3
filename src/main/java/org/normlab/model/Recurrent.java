package org.normlab.model;

import java.util.List;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;
import org.normlab.nn.Init;
import org.normlab.nn.Initializable;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.nn.Saved;
import org.normlab.norm.RecurrentNorm;
import org.normlab.norm.StepNorm;

/**
 * Unrolls a {@link RecurrentCell} over a batch of sequences and returns the last hidden state, with
 * backpropagation through time. For row-by-row images, x[n, t, :] is row t of image n (T = 28, F = 28).
 *
 * <pre>
 * forward:   state₀ = 0;   state_t = cell(x[:, t, :], state_{t−1}) for t = 0 … T−1 (stored step by step)
 *            y = h_{T−1}                                            x: (N, T, F),  y: (N, H)
 * backward:  dstate_{T−1} = (dh = dy, dc = 0)
 *            for t = T−1 … 0:   (dx[:, t, :], dstate_{t−1}) = cell.backwardStep(t, dstate_t)
 *            parameter gradients add up over the steps (the cell's weights are shared by all of them)
 * </pre>
 * Sequences of any length T ≥ 1 may follow one another. A cell with per-step batch normalization keeps running
 * statistics for each step up to the longest T trained on (see {@link StepNorm}).
 */
public final class Recurrent implements Layer, Initializable {
    private final RecurrentCell cell;
    private final Saved<int[]> savedShape = new Saved<>();  // the last TRAIN forward's input shape; the cell keeps its steps

    public Recurrent(RecurrentCell cell) { this.cell = cell; }

    public RecurrentCell cell() { return cell; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        int features = cell.inputSize();
        if (x.rank() != 3 || x.dim(2) != features) {
            throw new IllegalArgumentException(describe() + ": expected input [N,T," + features + "], got " + x.shapeString());
        }
        int n = x.dim(0), steps = x.dim(1);
        if (n == 0 || steps == 0) throw new IllegalArgumentException(describe() + ": got an empty batch or sequence " + x.shapeString());
        if (mode == Mode.TRAIN && n < 2 && cell.norm().kind() == RecurrentNorm.Kind.BATCH_PER_STEP) {
            throw new IllegalArgumentException(describe() + ": expected more than 1 sequence per batch when training with per-step "
                    + "batch normalization, got input " + x.shapeString());
        }
        cell.startSequence(n);
        RecurrentCell.State state = cell.zeroState(n);
        float[] xd = x.data();
        for (int t = 0; t < steps; t++) {
            float[] row = new float[n * features];
            for (int s = 0; s < n; s++) System.arraycopy(xd, (s * steps + t) * features, row, s * features, features);
            state = cell.forwardStep(t, Tensor.of(row, n, features), state, mode);
        }
        savedShape.keep(mode, x.shape());
        return state.hidden();
    }

    @Override
    public Tensor backward(Tensor dy) {
        int[] inputShape = savedShape.get(this);
        int n = inputShape[0], steps = inputShape[1], features = inputShape[2], hidden = cell.hiddenSize();
        if (dy.rank() != 2 || dy.dim(0) != n || dy.dim(1) != hidden) {
            throw new IllegalArgumentException(describe() + ": expected gradient [" + n + "," + hidden + "], got " + dy.shapeString());
        }
        RecurrentCell.State zero = cell.zeroState(n);
        RecurrentCell.State gradient = new RecurrentCell.State(dy, zero.cell());
        Tensor dx = Tensor.zeros(inputShape);
        float[] dxd = dx.data();
        for (int t = steps - 1; t >= 0; t--) {
            RecurrentCell.StepGradient step = cell.backwardStep(t, gradient);
            float[] dRow = step.input().data();
            for (int s = 0; s < n; s++) System.arraycopy(dRow, s * features, dxd, (s * steps + t) * features, features);
            gradient = step.previous();
        }
        return dx;
    }

    @Override
    public List<Param> params() { return cell.params(); }

    @Override
    public void initialize(Init init, Rng rng) { cell.initialize(init, rng); }

    @Override
    public String describe() { return "Recurrent(" + cell.describe() + ")"; }
}
