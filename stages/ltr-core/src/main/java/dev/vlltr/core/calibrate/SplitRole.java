package dev.vlltr.core.calibrate;

/** Which dataset split a set of features comes from; guards against tuning on the test split. */
public enum SplitRole {
    /** Training split: used to fit classifiers and class means. */
    TRAIN,
    /** Held-out validation split: the only split hyper-parameters such as τ may be selected on. */
    VALIDATION,
    /** Test split: evaluation only. */
    TEST
}
