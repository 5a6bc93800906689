package dev.vlltr.core.calibrate;

/**
 * What happens to the backbone's BatchNorm statistics while cRT/LWS retrain the classifier on a frozen backbone.
 *
 * <p>The official {@code run_networks.py::train} calls {@code model.train()} on every network each epoch, so although
 * the backbone's parameters are frozen its BatchNorm layers run in training mode: they normalise with the
 * class-balanced batch statistics and <b>update their running statistics</b>, which are saved with the cRT/LWS
 * checkpoint and used at test time. MiSLAS later made this explicit ("shifted BN").
 *
 * <p>On precomputed features (what {@link ClassifierRetrainer} and {@link LearnableWeightScaling} consume) the
 * backbone is not in the loop, so training is exactly {@link #FROZEN}. To honour {@link #REESTIMATE} the stage
 * that owns the backbone must run it in training mode over the class-aware batches (updating the running
 * statistics), then re-extract train/val/test features with the updated statistics before fitting and evaluating
 * the classifier. The policy is recorded in every {@link TrainingHistory} so reports say which one was used.
 */
public enum BnPolicy {
    /** BatchNorm in eval mode: running statistics of stage 1 are kept (features can be precomputed once). */
    FROZEN,
    /**
     * BatchNorm in train mode during re-balancing: running statistics are re-estimated on class-balanced batches
     * (official behaviour, the default).
     */
    REESTIMATE;

    /** The faithful default. */
    public static BnPolicy defaultPolicy() {
        return REESTIMATE;
    }

    /** Whether features extracted before re-balancing are stale under this policy. */
    public boolean requiresFeatureReextraction() {
        return this == REESTIMATE;
    }
}
