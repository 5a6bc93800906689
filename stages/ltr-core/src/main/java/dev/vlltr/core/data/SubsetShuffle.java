package dev.vlltr.core.data;

/** How {@link LongTailSplitter} shuffles each class's indices before taking its first {@code n_c}. */
public enum SubsetShuffle {
    /**
     * Default, faithful: numpy's legacy stream, seeded once ({@code np.random.seed(seed)}) and consumed by one
     * {@code np.random.shuffle} per class in label order, exactly as LDAM-DRW's {@code gen_imbalanced_data}; the same
     * seed gives the same indices as the Python generator. Seeds must be 0 .. 2^32-1.
     */
    NUMPY,
    /**
     * An independent {@link java.util.SplittableRandom} stream per class, derived from {@code (seed, class)}: a class's
     * draw does not depend on the sizes of the classes before it.
     */
    PER_CLASS
}
