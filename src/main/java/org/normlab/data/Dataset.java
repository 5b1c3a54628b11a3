package org.normlab.data;

import java.util.Arrays;
import org.normlab.tensor.Rng;
import org.normlab.tensor.Tensor;

/**
 * Labelled examples: inputs with the sample index first (images are (N,1,28,28) in [0,1]) and class labels.
 *
 * <p>A subset ({@link #head}, {@link #select}, {@link #sample}, {@link #split}) is a view: it shares its parent's
 * input array and keeps which of the parent's rows it holds, so a 58 000-image training subset costs an index array
 * instead of a copy of its images. {@link Batches} gathers a mini-batch through that index; {@link #inputs()} of a view
 * gathers all its examples once, for callers that want one tensor (probes, diagnostics on a few examples).
 */
public final class Dataset {

    private final String name;
    /** The rows this dataset reads, possibly a parent's: (M, …) with M ≥ size. */
    private final Tensor rows;
    /** {@code index[i]} is the row of {@link #rows} holding example i; null when example i is row i and M = size. */
    private final int[] index;
    private final int[] labels;
    private final int classes;
    /** {@link #inputs()} of a view, gathered on first use. */
    private volatile Tensor gathered;

    /** A dataset owning {@code inputs} (not copied): example i is row i, labelled {@code labels[i]}. */
    public Dataset(String name, Tensor inputs, int[] labels, int classes) {
        if (inputs.dim(0) != labels.length) {
            throw new IllegalArgumentException("Dataset " + name + ": " + inputs.dim(0) + " inputs but " + labels.length + " labels");
        }
        for (int y : labels) {
            if (y < 0 || y >= classes) throw new IllegalArgumentException("Dataset " + name + ": label " + y + " outside [0," + classes + ")");
        }
        this.name = name;
        this.rows = inputs;
        this.index = null;
        this.labels = labels;
        this.classes = classes;
    }

    /** A view of {@code rows}: example i is row {@code index[i]}, its label already gathered into {@code labels[i]}. */
    private Dataset(String name, Tensor rows, int[] index, int[] labels, int classes) {
        this.name = name;
        this.rows = rows;
        this.index = index;
        this.labels = labels;
        this.classes = classes;
    }

    /** A mini-batch over buffers {@link Batches} refills; labels come from a validated dataset. */
    static Dataset batch(String name, Tensor inputs, int[] labels, int classes) {
        return new Dataset(name, inputs, null, labels, classes);
    }

    public String name() { return name; }

    public int classes() { return classes; }

    public int size() { return labels.length; }

    /** Class labels, example i's at i (the array itself, not a copy). */
    public int[] labels() { return labels; }

    /** Values per example (784 for a Fashion-MNIST image). */
    public int sampleSize() { return rows.sampleSize(); }

    /** The shape of {@link #inputs()}: (N, …) with N = {@link #size()}. */
    public int[] inputShape() {
        int[] shape = rows.shape();
        shape[0] = size();
        return shape;
    }

    /**
     * All inputs as one tensor, example i at index i. A dataset made by its constructor returns its own tensor; a view
     * gathers its examples into a new tensor on the first call and keeps it.
     */
    public Tensor inputs() {
        if (index == null) return rows;
        Tensor t = gathered;
        if (t == null) {
            t = Tensor.of(new float[size() * sampleSize()], inputShape());
            copyInputs(0, size(), t.data());
            gathered = t;
        }
        return t;
    }

    /** Copies the inputs of examples {@code from} … {@code to − 1}, one after another, to the start of {@code dst}. */
    public void copyInputs(int from, int to, float[] dst) {
        int per = sampleSize();
        float[] src = rows.data();
        if (index == null) {
            System.arraycopy(src, from * per, dst, 0, (to - from) * per);
        } else {
            for (int i = from; i < to; i++) System.arraycopy(src, index[i] * per, dst, (i - from) * per, per);
        }
    }

    /**
     * Copies the inputs of examples {@code positions[from]} … {@code positions[to − 1]} (positions in this dataset),
     * one after another, to the start of {@code dst}: how a shuffled mini-batch is assembled without a subset copy.
     */
    public void gatherInputs(int[] positions, int from, int to, float[] dst) {
        int per = sampleSize();
        float[] src = rows.data();
        for (int i = from; i < to; i++) {
            int row = index == null ? positions[i] : index[positions[i]];
            System.arraycopy(src, row * per, dst, (i - from) * per, per);
        }
    }

    /** The first {@code n} examples (or all, if fewer). */
    public Dataset head(int n) {
        int k = Math.min(n, size());
        int[] first = new int[k];
        for (int i = 0; i < k; i++) first[i] = i;
        return select(first);
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

    /** The examples at {@code indices}, in that order: a view sharing this dataset's inputs. */
    public Dataset select(int[] indices) {
        int[] rowOf = new int[indices.length], y = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int at = indices[i];
            if (at < 0 || at >= size()) {
                throw new IllegalArgumentException("Dataset " + name + ": index " + at + " at position " + i + " outside [0," + size() + ")");
            }
            rowOf[i] = index == null ? at : index[at];
            y[i] = labels[at];
        }
        return new Dataset(name, rows, rowOf, y, classes);
    }

    @Override
    public String toString() { return "Dataset " + name + ": " + size() + " examples " + Arrays.toString(inputShape()) + ", " + classes + " classes"; }
}
