package dev.vlltr.core.calibrate;

/**
 * Supplies the mini-batches of one epoch as sample indices into the training features. This is where the sampler
 * plugs in: instance-balanced (shuffled) batches for the joint baseline, class-aware batches (4 per class) for
 * cRT/LWS. In the official Decoupling code every sampler's epoch is truncated to {@code floor(N / batchSize)} steps
 * ({@code run_networks.py: epoch_steps}); sources should follow that.
 */
@FunctionalInterface
public interface BatchIndexSource {

    /**
     * @param epoch 0-based epoch number (a deterministic source derives its shuffle from its seed and this number)
     * @return the epoch's batches; each inner array holds the sample indices of one batch
     */
    int[][] epoch(int epoch);
}
