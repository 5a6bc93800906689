package dev.vlltr.core.data;

/**
 * Produces the sequence of dataset indices for one training epoch. Every sampler is seeded and epoch-aware: the
 * sequence of epoch {@code t} depends only on the seed, {@code t} and the labels, so a run resumed at epoch {@code t}
 * sees exactly what an uninterrupted run would.
 */
public interface Sampler {

    /**
     * @param epoch the epoch, 1-based
     * @return {@link #epochLength()} indices into the dataset, in visiting order
     */
    int[] epochIndices(int epoch);

    /** @return indices per epoch (default: the dataset size, as in the Decoupling code) */
    int epochLength();

    /** @return the factory name ({@code instance}, {@code class}, {@code sqrt}, {@code progressive}) */
    String name();
}
