package dev.vlltr.core.data;

/**
 * Produces the sample order of one training epoch as indices into the (long-tailed) train set. Implementations are
 * seeded and deterministic: {@code epoch(e)} depends only on the seed, {@code e} and the labels, so epochs can be
 * produced in any order and re-produced after a restart. Turn one into mini-batches with {@link Batches#of}.
 */
public interface Sampler {

    /**
     * @param epoch 0-based epoch number
     * @return {@link #epochLength()} indices
     */
    int[] epoch(int epoch);

    /** @return indices per epoch (default: the train set size N, as in the official code) */
    int epochLength();

    /** @return the factory name: {@code instance}, {@code class}, {@code sqrt} or {@code progressive} */
    String name();
}
