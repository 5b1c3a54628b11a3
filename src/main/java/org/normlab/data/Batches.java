package org.normlab.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * One epoch of mini-batches, each a small {@link Dataset}. With an {@link Rng} the order is a fresh permutation each epoch; without, the data
 * order. A last batch smaller than {@code batchSize} is kept unless {@code dropLast}.
 *
 * <p>A batch's examples are gathered through the order (and a view's index) into an input buffer and a label buffer
 * that one iteration reuses for all its full batches, so a training step allocates no batch-sized array: a batch is
 * valid until the next one is drawn (to keep one longer, copy its inputs and labels).
 */
public final class Batches implements Iterable<Dataset> {

    private final Dataset data;
    private final int batchSize;
    private final int[] order;
    private final boolean dropLast;

    public Batches(Dataset data, int batchSize, Rng shuffle, boolean dropLast) {
        if (batchSize <= 0) throw new IllegalArgumentException("Batches: batch size must be positive, got " + batchSize);
        this.data = data;
        this.batchSize = batchSize;
        this.dropLast = dropLast;
        if (shuffle != null) {
            this.order = shuffle.permutation(data.size());
        } else {
            this.order = new int[data.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
        }
    }

    /** Number of batches this epoch yields. */
    public int count() {
        int n = data.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    @Override
    public Iterator<Dataset> iterator() {
        return new Iterator<>() {
            private int next = 0;
            private Tensor inputs;
            private int[] labels;

            @Override
            public boolean hasNext() { return next < count(); }

            @Override
            public Dataset next() {
                if (!hasNext()) throw new NoSuchElementException();
                int from = next * batchSize, to = Math.min(from + batchSize, order.length);
                next++;
                int[] shape = data.inputShape();
                shape[0] = to - from;
                Tensor x = inputs = Tensor.reuse(inputs, shape);
                int[] y = labels = labels != null && labels.length == to - from ? labels : new int[to - from];
                data.gatherInputs(order, from, to, x.data());
                int[] all = data.labels();
                for (int i = from; i < to; i++) y[i - from] = all[order[i]];
                return Dataset.batch(data.name(), x, y, data.classes());
            }
        };
    }
}
