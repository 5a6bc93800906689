package dev.vlltr.core.data;

import java.util.Random;

/**
 * Instance-balanced sampling: every image once per pass, in a fresh random order (a shuffled loader, Decoupling's
 * {@code sampler: null}). An epoch longer than the dataset concatenates independent passes; a shorter one truncates.
 */
public final class InstanceBalancedSampler extends LabelledSampler {

    /**
     * @param labels dataset labels
     * @param numClasses C
     * @param seed seed
     * @param epochLength indices per epoch
     */
    public InstanceBalancedSampler(int[] labels, int numClasses, long seed, int epochLength) {
        super(labels, numClasses, seed, epochLength);
    }

    @Override
    public int[] epochIndices(int epoch) {
        Random random = epochRandom(epoch);
        int[] out = new int[epochLength];
        int[] pass = new int[size];
        int filled = 0;
        while (filled < epochLength) {
            for (int i = 0; i < size; i++) {
                pass[i] = i;
            }
            for (int i = size - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int tmp = pass[i];
                pass[i] = pass[j];
                pass[j] = tmp;
            }
            int n = Math.min(size, epochLength - filled);
            System.arraycopy(pass, 0, out, filled, n);
            filled += n;
        }
        return out;
    }

    @Override
    public String name() {
        return "instance";
    }
}
