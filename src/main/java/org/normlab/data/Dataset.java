package org.normlab.data;

import java.util.Arrays;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * Labelled examples: inputs with the sample index first (images are (N,1,28,28) in [0,1]) and class labels.
 */
public record Dataset(String name, Tensor inputs, int[] labels, int classes) {

    public Dataset {
        if (inputs.dim(0) != labels.length) {
            throw new IllegalArgumentException("Dataset " + name + ": " + inputs.dim(0) + " inputs but " + labels.length + " labels");
        }
        for (int y : labels) {
            if (y < 0 || y >= classes) throw new IllegalArgumentException("Dataset " + name + ": label " + y + " outside [0," + classes + ")");
        }
    }

    public int size() { return labels.length; }

    /** The first {@code n} examples (or all, if fewer). */
    public Dataset head(int n) {
        int k = Math.min(n, size()), per = inputs.sampleSize();
        int[] shape = inputs.shape();
        shape[0] = k;
        return new Dataset(name, Tensor.of(Arrays.copyOf(inputs.data(), k * per), shape), Arrays.copyOf(labels, k), classes);
    }

    /** {@code n} examples drawn without replacement by {@code rng} (a class-balanced draw is not attempted). */
    public Dataset sample(int n, Rng rng) {
        int k = Math.min(n, size());
        int[] perm = rng.permutation(size());
        return select(Arrays.copyOf(perm, k));
    }

    /** A training part and a held-out test part of one dataset. */
    public record Split(Dataset train, Dataset test) {}

    /**
     * The examples shuffled by {@code rng}, the first {@code trainShare} of them (rounded down) for training, the rest
     * for testing.
     */
    public Split split(double trainShare, Rng rng) {
        int k = (int) Math.floor(trainShare * size());
        if (!(trainShare > 0 && trainShare < 1) || k == 0 || k == size()) {
            throw new IllegalArgumentException("Dataset " + name + ": trainShare must leave both parts non-empty, in (0,1), got " + trainShare
                    + " of " + size() + " examples");
        }
        int[] perm = rng.permutation(size());
        return new Split(select(Arrays.copyOfRange(perm, 0, k)), select(Arrays.copyOfRange(perm, k, size())));
    }

    /** The examples at {@code indices}, in that order. */
    public Dataset select(int[] indices) {
        int per = inputs.sampleSize();
        int[] shape = inputs.shape();
        shape[0] = indices.length;
        float[] src = inputs.data(), dst = new float[indices.length * per];
        int[] y = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(src, indices[i] * per, dst, i * per, per);
            y[i] = labels[indices[i]];
        }
        return new Dataset(name, Tensor.of(dst, shape), y, classes);
    }

    @Override
    public String toString() { return "Dataset " + name + ": " + size() + " examples " + inputs.shapeString() + ", " + classes + " classes"; }
}
