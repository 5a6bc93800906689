package dev.vlltr.core.calibrate;

import dev.vlltr.core.eval.PerClassAccuracy;
import dev.vlltr.core.eval.TopKAccuracy;

/** What {@link TauSweep} maximises on the validation split. */
public enum TauSelectionMetric {
    /**
     * Mean of per-class top-1 accuracies over the classes present in the split: the "All" column that
     * {@code tau_norm.py} prints for every τ (default). Equals pooled top-1 on a class-balanced validation split.
     */
    MEAN_CLASS_ACCURACY,
    /** Pooled top-1 accuracy (Σ correct / N). */
    TOP1;

    double score(float[][] scores, int[] labels, int numClasses) {
        return switch (this) {
            case MEAN_CLASS_ACCURACY -> PerClassAccuracy.of(scores, labels, numClasses).meanOverPresentClasses();
            case TOP1 -> TopKAccuracy.of(scores, labels, 1);
        };
    }
}
