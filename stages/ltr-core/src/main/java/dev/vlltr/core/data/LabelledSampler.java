package dev.vlltr.core.data;

import java.util.Random;

/** Shared state of the samplers: labels grouped by class, seed, epoch length. */
abstract class LabelledSampler implements Sampler {

    protected final int numClasses;
    protected final int[][] indicesByClass;
    protected final int size;
    protected final long seed;
    protected final int epochLength;

    LabelledSampler(int[] labels, int numClasses, long seed, int epochLength) {
        if (labels.length == 0) {
            throw new IllegalArgumentException("sampler: the dataset is empty");
        }
        if (epochLength < 1) {
            throw new IllegalArgumentException("sampler: epochLength must be >= 1, got " + epochLength);
        }
        this.numClasses = numClasses;
        this.size = labels.length;
        this.seed = seed;
        this.epochLength = epochLength;
        int[] counts = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("sampler: label (field 'labels[" + i + "]') = " + labels[i]
                        + " is out of range 0.." + (numClasses - 1));
            }
            counts[labels[i]]++;
        }
        indicesByClass = new int[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            indicesByClass[c] = new int[counts[c]];
        }
        int[] fill = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            indicesByClass[labels[i]][fill[labels[i]]++] = i;
        }
    }

    @Override
    public int epochLength() {
        return epochLength;
    }

    /** A fresh random stream for this epoch (independent of other epochs). */
    protected Random epochRandom(int epoch) {
        if (epoch < 1) {
            throw new IllegalArgumentException("sampler: epoch is 1-based, got " + epoch);
        }
        return new Random(Seeds.derive(seed, epoch));
    }

    /** @return images per class */
    protected int[] classCounts() {
        int[] n = new int[numClasses];
        for (int c = 0; c < numClasses; c++) {
            n[c] = indicesByClass[c].length;
        }
        return n;
    }

    /** Draws a class from cumulative probabilities (last entry 1). */
    protected static int drawClass(double[] cumulative, Random random) {
        double u = random.nextDouble();
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

    /** Turns non-negative weights into cumulative probabilities; classes of weight 0 are never drawn. */
    protected static double[] cumulative(double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double[] cum = new double[weights.length];
        double run = 0;
        int last = -1;
        for (int i = 0; i < weights.length; i++) {
            run += weights[i];
            cum[i] = run / total;
            if (weights[i] > 0) {
                last = i;
            }
        }
        for (int i = last; i < cum.length; i++) {
            cum[i] = 1.0; // guards rounding: u < 1 always lands on a class with weight
        }
        return cum;
    }
}
