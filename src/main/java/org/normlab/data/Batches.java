package org.normlab.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.normlab.tensor.Rng;

/**
 * One epoch of mini-batches, each a small {@link Dataset}. With an {@link Rng} the order is a fresh permutation each epoch; without, the data
 * order. A last batch smaller than {@code batchSize} is kept unless {@code dropLast}.
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

            @Override
            public boolean hasNext() { return next < count(); }

            @Override
            public Dataset next() {
                if (!hasNext()) throw new NoSuchElementException();
                int from = next * batchSize, to = Math.min(from + batchSize, order.length);
                next++;
                return data.select(Arrays.copyOfRange(order, from, to));
            }
        };
    }
}
