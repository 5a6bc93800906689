package dev.vlltr.core.data;

import java.util.SplittableRandom;

/**
 * Progressively-balanced sampling (Decoupling {@code ClassPrioritySampler}, {@code feat_shift.yaml}): epoch {@code t}
 * (1-indexed) of {@code T} draws classes with probabilities {@code (1-λ)·n_c/N + λ/C}, {@code λ = (t-1)/(T-1)}
 * (official {@code λ = linspace(0, 1, T)[t-1]}; λ = 0 when T = 1; epochs past T stay at λ = 1), then takes the next
 * item of the drawn class's {@link RandomCycleIter}. The first epoch is instance-balanced in expectation, the last
 * class-balanced.
 */
public final class ProgressivelyBalancedSampler implements Sampler {

    private final ClassIndex index;
    private final int totalEpochs;
    private final int epochLength;
    private final long seed;

    ProgressivelyBalancedSampler(ClassIndex index, int totalEpochs, int epochLength, long seed) {
        index.requireNonEmpty("progressive");
        if (totalEpochs < 1) {
            throw new IllegalArgumentException("progressive sampler: field 'totalEpochs' is " + totalEpochs
                    + ", expected >= 1 (the number of training epochs T)");
        }
        this.index = index;
        this.totalEpochs = totalEpochs;
        this.epochLength = epochLength;
        this.seed = seed;
    }

    /** @return λ for a 0-based epoch */
    public double lambda(int epoch) {
        if (totalEpochs == 1) {
            return 0;
        }
        return Math.min(1.0, epoch / (double) (totalEpochs - 1));
    }

    /** @return the class probabilities of a 0-based epoch */
    public double[] classProbabilities(int epoch) {
        double lambda = lambda(epoch);
        double[] p = new double[index.numClasses];
        for (int c = 0; c < p.length; c++) {
            p[c] = (1 - lambda) * index.count(c) / (double) index.size + lambda / index.numClasses;
        }
        return p;
    }

    @Override
    public int[] epoch(int epoch) {
        SplittableRandom rng = ClassIndex.epochRng(seed, epoch);
        double[] cumulative = ClassIndex.cumulative(classProbabilities(epoch));
        RandomCycleIter[] items = index.cycleIters(rng);
        int[] out = new int[epochLength];
        for (int i = 0; i < epochLength; i++) {
            out[i] = items[ClassIndex.drawClass(cumulative, rng)].next();
        }
        return out;
    }

    @Override
    public int epochLength() {
        return epochLength;
    }

    @Override
    public String name() {
        return "progressive";
    }
}
