package dev.vlltr.core.data;

import java.util.Random;

/**
 * Progressively-balanced sampling (Decoupling's {@code ClassPrioritySampler} with {@code lam=null}): in epoch
 * {@code t} of {@code T}, {@code λ = (t-1)/(T-1)} and class {@code c} is drawn with probability
 * {@code (1-λ)·n_c/N + λ/C}; the image is the next item of that class's {@link RandomCycleIter}. Epoch 1 is
 * instance-balanced, epoch T class-balanced; epochs past T stay class-balanced; with {@code T = 1}, {@code λ = 0}
 * (the reference's {@code linspace(0, 1, 1)}).
 *
 * <p>As in {@link ClassBalancedSampler}, the class iterators restart each epoch from a seed derived from (seed, epoch).
 */
public final class ProgressivelyBalancedSampler extends LabelledSampler {

    private final int totalEpochs;

    /**
     * @param labels dataset labels
     * @param numClasses C
     * @param seed seed
     * @param epochLength draws per epoch
     * @param totalEpochs T, the length of the schedule
     */
    public ProgressivelyBalancedSampler(int[] labels, int numClasses, long seed, int epochLength, int totalEpochs) {
        super(labels, numClasses, seed, epochLength);
        if (totalEpochs < 1) {
            throw new IllegalArgumentException("progressive sampler: totalEpochs must be >= 1, got " + totalEpochs);
        }
        this.totalEpochs = totalEpochs;
    }

    /**
     * @param epoch t, 1-based
     * @return λ of that epoch
     */
    public double lambda(int epoch) {
        if (totalEpochs == 1) {
            return 0.0;
        }
        return Math.min(1.0, (epoch - 1) / (double) (totalEpochs - 1));
    }

    /**
     * @param epoch t, 1-based
     * @return class probabilities {@code (1-λ)·n_c/N + λ/C'} where C' counts the non-empty classes
     */
    public double[] classProbabilities(int epoch) {
        double lambda = lambda(epoch);
        int[] n = classCounts();
        int nonEmpty = 0;
        for (int c : n) {
            nonEmpty += c > 0 ? 1 : 0;
        }
        double[] p = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            p[c] = n[c] == 0 ? 0 : (1 - lambda) * n[c] / (double) size + lambda / nonEmpty;
        }
        return p;
    }

    @Override
    public int[] epochIndices(int epoch) {
        Random random = epochRandom(epoch);
        double[] cumulative = cumulative(classProbabilities(epoch));
        RandomCycleIter[] dataIters = new RandomCycleIter[numClasses];
        int[] out = new int[epochLength];
        for (int i = 0; i < epochLength; i++) {
            int c = drawClass(cumulative, random);
            if (dataIters[c] == null) {
                dataIters[c] = new RandomCycleIter(indicesByClass[c], random);
            }
            out[i] = dataIters[c].next();
        }
        return out;
    }

    /** @return T */
    public int totalEpochs() {
        return totalEpochs;
    }

    @Override
    public String name() {
        return "progressive";
    }
}
