package dev.vlltr.core.eval;

/**
 * How classes are binned into many/medium/few-shot groups by their <b>training</b> count n (thresholds 100 and 20
 * by default, see {@link ShotSplit.Builder#optThresholds(int, int)}).
 */
public enum ShotConvention {
    /**
     * Decoupling ({@code classifier-balancing/utils.py::shot_acc}): many {@code n > 100}, medium
     * {@code 20 ≤ n ≤ 100}, few {@code n < 20} (a class with n = 0 is few); each group is the mean of per-class
     * accuracies over the classes present in the evaluated split.
     */
    DECOUPLING(ShotAggregation.MEAN_OF_CLASSES),
    /**
     * VL-LTR ({@code engine.py::shot_acc}, bins {@code (lo, hi]}): many {@code n > 99} (i.e. ≥ 100), medium
     * {@code 20 < n ≤ 99}, few {@code 0 < n ≤ 20}, plus "10shot" {@code 0 < n ≤ 10} and "5shot"
     * {@code 0 < n ≤ 5}; accuracy pooled over samples (Σ correct / Σ samples). A class with n = 0 is in no group.
     */
    VL_LTR(ShotAggregation.POOLED),
    /**
     * Relative terciles (not from a paper; for benchmarks such as Fashion-MNIST-LT where the absolute thresholds leave
     * a group empty): classes sorted by training count, descending, ties by class id; split like
     * {@code numpy.array_split} into 3 groups (the first {@code C mod 3} groups get one extra class): many, medium,
     * few. Mean of per-class accuracies.
     */
    TERCILES(ShotAggregation.MEAN_OF_CLASSES);

    private final ShotAggregation defaultAggregation;

    ShotConvention(ShotAggregation defaultAggregation) {
        this.defaultAggregation = defaultAggregation;
    }

    /** The aggregation the convention's reference code uses. */
    public ShotAggregation defaultAggregation() {
        return defaultAggregation;
    }

    /** Lower-case key used in metric names ({@code decoupling}, {@code vl_ltr}, {@code terciles}). */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
