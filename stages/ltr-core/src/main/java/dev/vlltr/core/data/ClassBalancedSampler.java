package dev.vlltr.core.data;

import java.util.Arrays;
import java.util.Random;

/**
 * Class-balanced sampling exactly as Decoupling's {@code ClassAwareSampler}: a {@link RandomCycleIter} over the
 * classes (reshuffled every cycle); for each drawn class, {@code samplesPerClass} (default 4) consecutive items from
 * that class's own {@link RandomCycleIter} (reshuffled when exhausted). Each class therefore appears equally often, up
 * to one block of {@code samplesPerClass}.
 *
 * <p>Differences from the reference, both harmless for the distribution: the iterators restart every epoch from a
 * seed derived from (seed, epoch) so that epochs can be regenerated after a resume (the reference keeps them across
 * epochs), and classes without images are left out of the class cycle (the reference would fail on them).
 */
public final class ClassBalancedSampler extends LabelledSampler {

    /** The reference's {@code num_samples_cls}. */
    public static final int DEFAULT_SAMPLES_PER_CLASS = 4;

    private final int samplesPerClass;
    private final int[] nonEmptyClasses;

    /**
     * @param labels dataset labels
     * @param numClasses C
     * @param seed seed
     * @param epochLength indices per epoch
     * @param samplesPerClass consecutive items per drawn class
     */
    public ClassBalancedSampler(int[] labels, int numClasses, long seed, int epochLength, int samplesPerClass) {
        super(labels, numClasses, seed, epochLength);
        if (samplesPerClass < 1) {
            throw new IllegalArgumentException("class-balanced sampler: samplesPerClass must be >= 1, got " + samplesPerClass);
        }
        this.samplesPerClass = samplesPerClass;
        this.nonEmptyClasses = java.util.stream.IntStream.range(0, numClasses)
                .filter(c -> indicesByClass[c].length > 0).toArray();
    }

    @Override
    public int[] epochIndices(int epoch) {
        Random random = epochRandom(epoch);
        RandomCycleIter classIter = new RandomCycleIter(nonEmptyClasses, random);
        RandomCycleIter[] dataIters = new RandomCycleIter[numClasses];
        for (int c : nonEmptyClasses) {
            dataIters[c] = new RandomCycleIter(indicesByClass[c], random);
        }
        int[] out = new int[epochLength];
        RandomCycleIter current = null;
        for (int i = 0, j = 0; i < epochLength; i++, j++) {
            if (j >= samplesPerClass) {
                j = 0;
            }
            if (j == 0) {
                current = dataIters[classIter.next()];
            }
            out[i] = current.next();
        }
        return out;
    }

    /** @return consecutive items per drawn class */
    public int samplesPerClass() {
        return samplesPerClass;
    }

    @Override
    public String name() {
        return "class";
    }

    @Override
    public String toString() {
        return "ClassBalancedSampler[k=" + samplesPerClass + ", classes=" + Arrays.toString(nonEmptyClasses) + "]";
    }
}
