package org.normlab.norm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
import org.normlab.nn.Saved;
import org.normlab.tensor.Tensor;

/**
 * Ghost Batch Normalization (Hoffer, Hubara &amp; Soudry 2017): in training, the batch is split into consecutive
 * "virtual" batches of {@code virtualBatchSize} examples, each normalized with its own statistics, so the noise of BN
 * is that of a small batch whatever the real batch size. γ, β and the running statistics are shared (the running
 * statistics are updated once per virtual batch, in order). EVAL is plain BatchNorm with the running statistics.
 *
 * <pre>
 * TRAIN: x = [x₁; x₂; …; x_k] (k = ⌈N / v⌉),   y_j = BN_batch(x_j),   dx_j = BN_batch′(x_j, dy_j)
 * EVAL:  y = BN_running(x)
 * </pre>
 * With {@code virtualBatchSize} ≥ N it is exactly {@link BatchNorm}. The whole input is validated before the first
 * virtual batch updates the running statistics, and errors name the caller's shape, not a virtual batch's.
 */
public final class GhostBatchNorm implements Layer {
    private final BatchNorm bn;

    /** The BatchNorm that normalizes each virtual batch and keeps the running statistics. */
    @Override
    public List<Layer> children() { return List.of(bn); }
    private final int virtualBatchSize;
    private final List<BatchNorm.State> states = new ArrayList<>();
    private final List<int[]> chunks = new ArrayList<>();
    private final Saved<int[]> inputShape = new Saved<>();  // of the last TRAIN forward; its virtual batches' states above

    public GhostBatchNorm(int channels, int virtualBatchSize) {
        if (channels <= 0) throw new IllegalArgumentException("GhostBatchNorm: number of channels must be positive, got " + channels);
        if (virtualBatchSize < 2) throw new IllegalArgumentException("GhostBatchNorm(C=" + channels + "): virtual batch size must be ≥ 2, got " + virtualBatchSize);
        this.bn = new BatchNorm(channels);
        this.virtualBatchSize = virtualBatchSize;
    }

    public BatchNorm batchNorm() { return bn; }
    public int virtualBatchSize() { return virtualBatchSize; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        checkInput(x, mode);
        inputShape.keep(mode, x.shape());
        if (mode == Mode.EVAL) {  // EVAL: running statistics
            states.clear();
            return bn.forward(x, mode);
        }
        int n = x.dim(0), per = x.sampleSize();
        states.clear();
        chunks.clear();
        Tensor y = Tensor.zeros(x.shape());
        for (int from = 0; from < n; from += virtualBatchSize) {
            int to = Math.min(n, from + virtualBatchSize);
            int[] shape = x.shape();
            shape[0] = to - from;
            Tensor part = Tensor.of(Arrays.copyOfRange(x.data(), from * per, to * per), shape);
            Tensor out = bn.forward(part, Mode.TRAIN);
            System.arraycopy(out.data(), 0, y.data(), from * per, out.size());
            states.add(bn.state());
            chunks.add(new int[] {from, to});
        }
        return y;
    }

    /** Everything the virtual batches' BatchNorm would reject, checked on the caller's whole input. */
    private void checkInput(Tensor x, Mode mode) {
        int channels = bn.channels();
        if (x.rank() < 2 || x.rank() > 4 || x.dim(1) != channels) {
            throw new IllegalArgumentException(describe() + ": expected input [N," + channels + "], [N," + channels + ",L] or [N,"
                    + channels + ",H,W], got " + x.shapeString());
        }
        int n = x.dim(0);
        if (n == 0) throw new IllegalArgumentException(describe() + ": got an empty batch " + x.shapeString());
        int inner = x.size() / (n * channels), last = (n - 1) % virtualBatchSize + 1;  // the last virtual batch is the smallest
        if (mode == Mode.TRAIN && last * inner < 2) {
            throw new IllegalArgumentException(describe() + ": expected more than 1 value per channel in every virtual batch when training, got input "
                    + x.shapeString() + " (its last virtual batch holds " + last + " of its " + n + " samples: " + last * inner + " per channel)");
        }
        if (!x.isFinite()) throw new IllegalArgumentException(describe() + ": input contains NaN or Inf");
    }

    @Override
    public Tensor backward(Tensor dy) {
        int[] shape = inputShape.get(this);
        if (!Arrays.equals(dy.shape(), shape)) {
            throw new IllegalArgumentException(describe() + ": expected gradient " + Arrays.toString(shape) + ", got " + dy.shapeString());
        }
        int per = dy.sampleSize();
        Tensor dx = Tensor.zeros(shape);
        for (int k = 0; k < states.size(); k++) {
            int from = chunks.get(k)[0], to = chunks.get(k)[1];
            int[] partShape = dy.shape();
            partShape[0] = to - from;
            bn.restore(states.get(k));
            Tensor part = bn.backward(Tensor.of(Arrays.copyOfRange(dy.data(), from * per, to * per), partShape));
            System.arraycopy(part.data(), 0, dx.data(), from * per, part.size());
        }
        return dx;
    }

    @Override
    public List<Param> params() { return bn.params(); }

    @Override
    public String describe() { return "GhostBatchNorm(C=" + bn.channels() + ", v=" + virtualBatchSize + ")"; }
}
