package dev.vlltr.core.data;

import java.util.Random;

/**
 * Cycles through a list forever, reshuffling it at the start of every pass; a port of {@code RandomCycleIter} from
 * {@code classifier-balancing/data/ClassAwareSampler.py}. The first {@link #next()} already shuffles.
 */
final class RandomCycleIter {

    private final int[] data;
    private final Random random;
    private int position;

    RandomCycleIter(int[] data, Random random) {
        if (data.length == 0) {
            throw new IllegalArgumentException("RandomCycleIter over an empty list");
        }
        this.data = data.clone();
        this.random = random;
        this.position = data.length - 1;
    }

    int next() {
        position++;
        if (position == data.length) {
            position = 0;
            for (int i = data.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int tmp = data[i];
                data[i] = data[j];
                data[j] = tmp;
            }
        }
        return data[position];
    }
}
