package dev.vlltr.core.data;

/**
 * The exponential long-tailed profile of LDAM-DRW / CIFAR-LT ({@code imbalance_cifar.py::get_img_num_per_cls}):
 * the class of rank {@code r} (0 = head) keeps {@code n_r = int(n_max · (1/IF)^(r/(C-1)))} images, so the head keeps
 * {@code n_max} and the tail {@code n_max / IF} (rounded down). Computed in double precision exactly as the Python
 * expression, so the counts agree with the reference generator.
 *
 * @param numClasses       C, at least 2
 * @param maxPerClass      n_max, images of the head class
 * @param imbalanceFactor  IF = n_max / n_min, at least 1
 */
public record LongTailProfile(int numClasses, int maxPerClass, double imbalanceFactor) {

    public LongTailProfile {
        if (numClasses < 2) {
            throw new IllegalArgumentException("long-tail profile: field 'numClasses' is " + numClasses
                    + ", expected at least 2");
        }
        if (maxPerClass < 1) {
            throw new IllegalArgumentException("long-tail profile: field 'maxPerClass' is " + maxPerClass
                    + ", expected at least 1");
        }
        if (!(imbalanceFactor >= 1.0) || Double.isInfinite(imbalanceFactor)) {
            throw new IllegalArgumentException("long-tail profile: field 'imbalanceFactor' is " + imbalanceFactor
                    + ", expected a finite number >= 1");
        }
    }

    /** @return the target count of each rank, head (rank 0) first */
    public int[] countsByRank() {
        double imbFactor = 1.0 / imbalanceFactor;
        int[] counts = new int[numClasses];
        for (int r = 0; r < numClasses; r++) {
            counts[r] = (int) (maxPerClass * Math.pow(imbFactor, r / (numClasses - 1.0)));
        }
        return counts;
    }

    /** @return the total number of images of the profile */
    public int total() {
        int sum = 0;
        for (int n : countsByRank()) {
            sum += n;
        }
        return sum;
    }
}
