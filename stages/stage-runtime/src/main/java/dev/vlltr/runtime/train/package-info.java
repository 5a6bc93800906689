/**
 * The one epoch loop of the training stages ({@link dev.vlltr.runtime.train.EpochRunner}): resume from the newest
 * checkpoint of the same run fingerprint, train epoch by epoch, and after each epoch hand the metrics to
 * {@link dev.vlltr.runtime.train.EpochListener}s (tracking, checkpoints, resume headline). The science of an epoch is
 * the stage's (an ltr-core {@code EpochTrainer}); this package knows nothing of DJL.
 */
package dev.vlltr.runtime.train;
