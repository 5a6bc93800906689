package dev.vlltr.core.data;

/**
 * The exponential long-tail profile of LDAM-DRW / CIFAR-LT ({@code kaidic/LDAM-DRW imbalance_cifar.py}):
 * the class of rank {@code c} (0 = head) keeps {@code n_c = floor(n_max · IF^(-c/(C-1)))} images.
 *
 * <p>Computed exactly like the reference, {@code int(img_max * (imb_factor ** (c / (C - 1.0))))} with
 * {@code imb_factor = 1/IF}, so the counts match to the image (Fashion-MNIST IF 100, n_max 6000:
 * 6000, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60).
 *
 * @param nMax images of the head class
 * @param imbalanceFactor IF = n_max / n_min, at least 1
 * @param numClasses C
 */
public record LongTailProfile(int nMax, double imbalanceFactor, int numClasses) {

    /** Checks the parameters. */
    public LongTailProfile {
        if (nMax < 1) {
            throw new IllegalArgumentException("long-tail profile: nMax must be >= 1, got " + nMax);
        }
        if (!(imbalanceFactor >= 1.0) || Double.isInfinite(imbalanceFactor)) {
            throw new IllegalArgumentException("long-tail profile: imbalanceFactor must be a finite number >= 1, got " + imbalanceFactor);
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("long-tail profile: numClasses must be >= 1, got " + numClasses);
        }
    }

    /** @return images per class rank (index 0 = head, most frequent) */
    public int[] countsByRank() {
        int[] counts = new int[numClasses];
        double ratio = 1.0 / imbalanceFactor;
        for (int c = 0; c < numClasses; c++) {
            double exponent = numClasses == 1 ? 0.0 : c / (numClasses - 1.0);
            counts[c] = (int) (nMax * Math.pow(ratio, exponent));
        }
        return counts;
    }
}
