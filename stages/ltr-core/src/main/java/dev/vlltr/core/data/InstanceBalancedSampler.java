package dev.vlltr.core.data;

import java.util.SplittableRandom;

/**
 * Instance-balanced sampling: a plain shuffle of the train set each epoch (the official code's {@code sampler: null}
 * with {@code shuffle=True}), so class {@code c} is seen with frequency {@code n_c / N}. An epoch longer than N
 * concatenates independent shuffles; a shorter one takes a prefix.
 */
public final class InstanceBalancedSampler implements Sampler {

    private final int size;
    private final int epochLength;
    private final long seed;

    public InstanceBalancedSampler(int size, int epochLength, long seed) {
        if (size < 1 || epochLength < 1) {
            throw new IllegalArgumentException("instance sampler: size " + size + " and epochLength " + epochLength
                    + " must be positive");
        }
        this.size = size;
        this.epochLength = epochLength;
        this.seed = seed;
    }

    @Override
    public int[] epoch(int epoch) {
        SplittableRandom rng = ClassIndex.epochRng(seed, epoch);
        int[] out = new int[epochLength];
        int[] perm = new int[size];
        for (int filled = 0; filled < epochLength; filled += size) {
            for (int i = 0; i < size; i++) {
                perm[i] = i;
            }
            for (int i = size - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            System.arraycopy(perm, 0, out, filled, Math.min(size, epochLength - filled));
        }
        return out;
    }

    @Override
    public int epochLength() {
        return epochLength;
    }

    @Override
    public String name() {
        return "instance";
    }
}
