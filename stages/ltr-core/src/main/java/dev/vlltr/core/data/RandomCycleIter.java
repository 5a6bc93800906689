package dev.vlltr.core.data;

import java.util.SplittableRandom;

/**
 * Port of the official Decoupling {@code RandomCycleIter} ({@code data/ClassAwareSampler.py}): cycles through a list,
 * reshuffling it (Fisher-Yates, as Python's {@code random.shuffle}) every time a cycle starts, the first included.
 */
final class RandomCycleIter {

    private final int[] data;
    private final SplittableRandom rng;
    private int i;

    RandomCycleIter(int[] data, SplittableRandom rng) {
        if (data.length == 0) {
            throw new IllegalArgumentException("RandomCycleIter needs at least one item");
        }
        this.data = data.clone();
        this.rng = rng;
        this.i = data.length - 1;
    }

    int next() {
        i++;
        if (i == data.length) {
            i = 0;
            for (int k = data.length - 1; k > 0; k--) {
                int j = rng.nextInt(k + 1);
                int t = data[k];
                data[k] = data[j];
                data[j] = t;
            }
        }
        return data[i];
    }
}
