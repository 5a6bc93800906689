package dev.vlltr.core.calibrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test-only batch sources mirroring the official samplers closely enough for these tests (the production samplers
 * live in the data package): instance-balanced shuffled batches and the class-aware sampler (RandomCycleIter over
 * classes, {@code perClass} consecutive items per drawn class). Both truncate an epoch to floor(N / batch) steps.
 */
final class TestBatches {

    private TestBatches() {
    }

    static BatchIndexSource instanceBalanced(int n, int batchSize, long seed) {
        return epoch -> {
            Random rng = new Random(seed * 1000003L + epoch);
            int[] perm = new int[n];
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            int steps = n / batchSize;
            int[][] out = new int[steps][batchSize];
            for (int s = 0; s < steps; s++) {
                System.arraycopy(perm, s * batchSize, out[s], 0, batchSize);
            }
            return out;
        };
    }

    static BatchIndexSource classAware(int[] labels, int numClasses, int perClass, int batchSize, long seed) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        return epoch -> {
            Random rng = new Random(seed * 1000003L + epoch);
            CycleIter classes = new CycleIter(range(numClasses), rng);
            CycleIter[] items = new CycleIter[numClasses];
            for (int c = 0; c < numClasses; c++) {
                items[c] = new CycleIter(byClass.get(c).stream().mapToInt(Integer::intValue).toArray(), rng);
            }
            int steps = labels.length / batchSize;
            int[][] out = new int[steps][batchSize];
            int c = -1;
            int taken = perClass;
            for (int s = 0; s < steps; s++) {
                for (int k = 0; k < batchSize; k++) {
                    if (taken == perClass) {
                        c = classes.next();
                        taken = 0;
                    }
                    out[s][k] = items[c].next();
                    taken++;
                }
            }
            return out;
        };
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** Shuffles its items, yields them, reshuffles when exhausted (RandomCycleIter). */
    private static final class CycleIter {
        private final int[] items;
        private final Random rng;
        private int i;

        CycleIter(int[] items, Random rng) {
            this.items = items.clone();
            this.rng = rng;
            this.i = items.length;
        }

        int next() {
            if (i == items.length) {
                for (int k = items.length - 1; k > 0; k--) {
                    int j = rng.nextInt(k + 1);
                    int t = items[k];
                    items[k] = items[j];
                    items[j] = t;
                }
                i = 0;
            }
            return items[i++];
        }
    }
}
