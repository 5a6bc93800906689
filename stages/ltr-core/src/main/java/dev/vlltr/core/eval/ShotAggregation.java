package dev.vlltr.core.eval;

/** How a shot group's accuracy is aggregated. */
public enum ShotAggregation {
    /** Mean of the per-class accuracies of the group's classes present in the evaluated split (Decoupling). */
    MEAN_OF_CLASSES,
    /** Σ correct / Σ samples over the group's classes (VL-LTR). */
    POOLED
}
