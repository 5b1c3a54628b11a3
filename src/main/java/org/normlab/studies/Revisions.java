package org.normlab.studies;

/** Design changes made to several studies at once, as their criteria record them ({@code changedAfterResults}). */
final class Revisions {
    private Revisions() {}

    /** The change of #11's step "training subsets drawn per seed" for the studies whose runs trained on the first N images. */
    static final String PER_SEED_SUBSETS = "2026-12-03, under #11, after the smoke and default-scale results: the runs' training "
            + "subsets became drawn per seed instead of the first N training images, so that data sampling enters the spread over "
            + "seeds (where a run uses all 60 000 images only their order changes); the statistic, test and threshold are unchanged";

    /** The same change for the two studies whose tuning runs already drew their subsets per seed but whose final runs did not. */
    static final String FINAL_RUNS_PER_SEED = "2026-12-04, under #11, after the smoke, default- and full-scale results: the final runs' "
            + "training subsets became drawn per seed like their tuning runs', instead of the first N training images (at full scale, "
            + "where C20's runs use all 60 000 images, only their order changes); the statistic, test and threshold are unchanged";
}
