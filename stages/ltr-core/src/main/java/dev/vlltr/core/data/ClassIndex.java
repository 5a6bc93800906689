package dev.vlltr.core.data;

import java.util.Arrays;

/** The train-set indices of each class, built once from the labels; shared by the samplers. */
final class ClassIndex {

    final int numClasses;
    final int size;
    final int[][] byClass;

    ClassIndex(int[] labels, int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("sampler: field 'numClasses' is " + numClasses + ", expected >= 1");
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("sampler: field 'labels' is empty, expected at least one image");
        }
        int[] counts = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("sampler: field 'labels[" + i + "]' is " + labels[i]
                        + ", expected 0.." + (numClasses - 1));
            }
            counts[labels[i]]++;
        }
        byClass = new int[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            byClass[c] = new int[counts[c]];
        }
        int[] fill = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][fill[labels[i]]++] = i;
        }
        this.numClasses = numClasses;
        this.size = labels.length;
    }

    int count(int c) {
        return byClass[c].length;
    }

    /** Samplers that draw every class need every class to have an image. */
    void requireNonEmpty(String sampler) {
        for (int c = 0; c < numClasses; c++) {
            if (byClass[c].length == 0) {
                throw new IllegalArgumentException(sampler + " sampler: class " + c
                        + " has no training images, expected at least one per class (counts "
                        + Arrays.toString(Arrays.stream(byClass).mapToInt(a -> a.length).toArray()) + ")");
            }
        }
    }

    RandomCycleIter[] cycleIters(java.util.SplittableRandom rng) {
        RandomCycleIter[] iters = new RandomCycleIter[numClasses];
        for (int c = 0; c < numClasses; c++) {
            iters[c] = new RandomCycleIter(byClass[c], rng);
        }
        return iters;
    }

    /** Draws a class from cumulative probabilities (last entry 1). */
    static int drawClass(double[] cumulative, java.util.SplittableRandom rng) {
        double u = rng.nextDouble();
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (u < cumulative[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    static double[] cumulative(double[] probs) {
        double[] cum = new double[probs.length];
        double s = 0;
        for (int c = 0; c < probs.length; c++) {
            s += probs[c];
            cum[c] = s;
        }
        for (int c = 0; c < probs.length; c++) {
            cum[c] /= s;
        }
        cum[probs.length - 1] = 1.0;
        return cum;
    }

    /** The per-epoch stream: seed and epoch mixed so neighbouring seeds/epochs give unrelated streams. */
    static java.util.SplittableRandom epochRng(long seed, int epoch) {
        return new java.util.SplittableRandom(new java.util.SplittableRandom(seed).nextLong() + 0x9E3779B97F4A7C15L
                * (epoch + 1L));
    }
}
