package org.normlab.norm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.normlab.nn.Layer;
import org.normlab.nn.Mode;
import org.normlab.nn.Param;
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
 * With {@code virtualBatchSize} ≥ N it is exactly {@link BatchNorm}.
 */
public final class GhostBatchNorm implements Layer {
    private final BatchNorm bn;

    /** The BatchNorm that normalizes each virtual batch and keeps the running statistics. */
    @Override
    public List<Layer> children() { return List.of(bn); }
    private final int virtualBatchSize;
    private final List<BatchNorm.State> states = new ArrayList<>();
    private final List<int[]> chunks = new ArrayList<>();
    private int[] inputShape;

    public GhostBatchNorm(int channels, int virtualBatchSize) {
        if (virtualBatchSize < 2) throw new IllegalArgumentException("GhostBatchNorm(C=" + channels + "): virtual batch size must be ≥ 2, got " + virtualBatchSize);
        this.bn = new BatchNorm(channels);
        this.virtualBatchSize = virtualBatchSize;
    }

    public BatchNorm batchNorm() { return bn; }
    public int virtualBatchSize() { return virtualBatchSize; }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        if (x.rank() < 2 || x.rank() > 4 || x.dim(1) != bn.channels()) {
            throw new IllegalArgumentException(describe() + ": expected input [N," + bn.channels() + "], [N," + bn.channels() + ",L] or [N,"
                    + bn.channels() + ",H,W], got " + x.shapeString());
        }
        if (mode == Mode.EVAL) {  // EVAL: running statistics
            states.clear();
            return bn.forward(x, mode);
        }
        int n = x.dim(0), per = x.sampleSize();
        inputShape = x.shape();
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

    @Override
    public Tensor backward(Tensor dy) {
        if (states.isEmpty()) return bn.backward(dy);  // the last forward was EVAL
        if (!Arrays.equals(dy.shape(), inputShape)) {
            throw new IllegalArgumentException(describe() + ": expected gradient " + Arrays.toString(inputShape) + ", got " + dy.shapeString());
        }
        int per = dy.sampleSize();
        Tensor dx = Tensor.zeros(inputShape);
        for (int k = 0; k < states.size(); k++) {
            int from = chunks.get(k)[0], to = chunks.get(k)[1];
            int[] shape = dy.shape();
            shape[0] = to - from;
            bn.restore(states.get(k));
            Tensor part = bn.backward(Tensor.of(Arrays.copyOfRange(dy.data(), from * per, to * per), shape));
            System.arraycopy(part.data(), 0, dx.data(), from * per, part.size());
        }
        return dx;
    }

    @Override
    public List<Param> params() { return bn.params(); }

    @Override
    public String describe() { return "GhostBatchNorm(C=" + bn.channels() + ", v=" + virtualBatchSize + ")"; }
}
