package org.normlab.experiment;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.normlab.data.Dataset;
import org.normlab.data.FashionMnist;
import org.normlab.train.RunLog;

/**
 * {@link Experiment#run} as a runner another JVM can carry out: instead of the driver's datasets it holds where they
 * come from (the first {@code n} examples of Fashion-MNIST's training or test split) and their fingerprints. A worker
 * loads the split from its own path ({@code NORMLAB_DATA}, Debian's package or the user cache, as
 * {@link FashionMnist#fromEnvironment()} looks) once per JVM, and refuses to run on data that differs from the driver's.
 */
final class FashionMnistRunner implements Function<RunSpec, RunLog>, Serializable, Engine.Portable {
    private static final long serialVersionUID = 1L;

    /** A dataset as a worker rebuilds it: {@code size} examples from the start of {@code split}. */
    record Source(FashionMnist.Split split, int size, String fingerprint) implements Serializable {
        private static final long serialVersionUID = 1L;

        Dataset load() {
            Dataset whole = split == FashionMnist.Split.TRAIN ? FashionMnist.train() : FashionMnist.test();
            return size == whole.size() ? whole : whole.head(size);
        }

        @Override
        public String toString() { return "Fashion-MNIST " + split.name().toLowerCase(Locale.ROOT) + " (first " + size + ")"; }
    }

    private static final Map<Source, Dataset> LOADED = new HashMap<>();

    private final Source train, test;

    private FashionMnistRunner(Source train, Source test) {
        this.train = train;
        this.test = test;
    }

    /**
     * The runner for a sweep on {@code train} and {@code test}, each of which must be Fashion-MNIST's training or test
     * split or its first n examples (what every study uses); a one-line error otherwise.
     */
    static FashionMnistRunner of(String sweep, Dataset train, Dataset test) {
        return new FashionMnistRunner(source(sweep, "training", train), source(sweep, "test", test));
    }

    private static Source source(String sweep, String role, Dataset d) {
        String fingerprint = DataFingerprint.of(d);
        for (FashionMnist.Split split : FashionMnist.Split.values()) {
            Source s = new Source(split, d.size(), fingerprint);
            Dataset whole = split == FashionMnist.Split.TRAIN ? FashionMnist.train() : FashionMnist.test();
            if (d.size() <= whole.size() && DataFingerprint.of(s.load()).equals(fingerprint)) return s;
        }
        throw new IllegalArgumentException("Sweep " + sweep + ": its " + role + " data (" + d + ") is not Fashion-MNIST's training or test split "
                + "or a head of one; a distributed engine loads the data on its workers, so it runs only sweeps on Fashion-MNIST");
    }

    @Override
    public void prepare() {
        dataset(train);
        dataset(test);
    }

    private static synchronized Dataset dataset(Source s) {
        Dataset d = LOADED.get(s);
        if (d != null) return d;
        d = s.load();
        String here = DataFingerprint.of(d);
        if (!here.equals(s.fingerprint())) {
            throw new IllegalStateException("normlab worker: " + s + " has fingerprint " + here + " here, " + s.fingerprint()
                    + " on the driver; give the workers the same Fashion-MNIST files (NORMLAB_DATA)");
        }
        LOADED.put(s, d);
        return d;
    }

    @Override
    public RunLog apply(RunSpec spec) { return Experiment.run(spec, dataset(train), dataset(test), null); }
}
