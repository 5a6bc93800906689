package dev.vlltr.core.calibrate;

/**
 * Per-epoch record of a classifier re-training run.
 *
 * @param learningRates    lr used in each epoch
 * @param meanLosses       mean mini-batch cross-entropy of each epoch (NaN for an epoch without batches)
 * @param validationTop1   pooled validation top-1 after each epoch, or {@code null} without a validation split
 * @param selectedEpoch    0-based epoch whose parameters were returned (best validation top-1, first maximum, as the
 *                         official {@code state_dict_best}; the last epoch without a validation split)
 * @param bnPolicy         the BatchNorm policy the caller declared (see {@link BnPolicy})
 */
public record TrainingHistory(double[] learningRates, double[] meanLosses, double[] validationTop1,
                              int selectedEpoch, BnPolicy bnPolicy) {
}
