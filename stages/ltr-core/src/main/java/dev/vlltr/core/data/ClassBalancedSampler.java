package dev.vlltr.core.data;

import java.util.SplittableRandom;

/**
 * Class-balanced sampling exactly as the official {@code ClassAwareSampler} (Decoupling,
 * {@code data/ClassAwareSampler.py}): a {@link RandomCycleIter} over the classes picks the next class (every class
 * once per cycle, reshuffled each cycle); for each picked class {@code samplesPerClass} (default 4) consecutive items
 * come from that class's own {@link RandomCycleIter} (reshuffled when exhausted). Every class is therefore seen
 * equally often: {@code p_c = 1/C}.
 *
 * <p>The official iterators persist across epochs; here each epoch starts fresh iterators from a stream derived from
 * {@code (seed, epoch)} so that any epoch can be reproduced on its own. The per-epoch distribution is the same.
 */
public final class ClassBalancedSampler implements Sampler {

    private final ClassIndex index;
    private final int samplesPerClass;
    private final int epochLength;
    private final long seed;

    ClassBalancedSampler(ClassIndex index, int samplesPerClass, int epochLength, long seed) {
        index.requireNonEmpty("class");
        if (samplesPerClass < 1) {
            throw new IllegalArgumentException("class sampler: field 'samplesPerClass' is " + samplesPerClass
                    + ", expected >= 1");
        }
        this.index = index;
        this.samplesPerClass = samplesPerClass;
        this.epochLength = epochLength;
        this.seed = seed;
    }

    @Override
    public int[] epoch(int epoch) {
        SplittableRandom rng = ClassIndex.epochRng(seed, epoch);
        int[] classIds = new int[index.numClasses];
        for (int c = 0; c < classIds.length; c++) {
            classIds[c] = c;
        }
        RandomCycleIter classes = new RandomCycleIter(classIds, rng);
        RandomCycleIter[] items = index.cycleIters(rng);
        int[] out = new int[epochLength];
        int i = 0;
        while (i < epochLength) {
            // zip(*[data_iter]*k): the k items are taken from the class iterator together
            RandomCycleIter it = items[classes.next()];
            for (int j = 0; j < samplesPerClass; j++) {
                int item = it.next();
                if (i < epochLength) {
                    out[i++] = item;
                }
            }
        }
        return out;
    }

    @Override
    public int epochLength() {
        return epochLength;
    }

    @Override
    public String name() {
        return "class";
    }
}
