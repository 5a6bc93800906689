package dev.vlltr.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Draws a long-tailed subset of a balanced train set and a balanced validation split from the train images left
 * over, the protocol of LDAM-DRW / CIFAR-LT ({@link LongTailProfile}) plus the Decoupling-style held-out validation
 * set (ImageNet-LT: 20 per class from train images not in the subset). The official test set is not touched.
 *
 * <p>Per class (in class-id order, one {@code java.util.Random(seed)} stream): the class's indices are shuffled
 * (Fisher–Yates), the first {@code n_c} go to train, the next {@code valPerClass} to validation. Same rule as the
 * reference ({@code np.random.seed(0)}, per-class {@code np.random.shuffle}, take the first {@code n_c}); the chosen
 * images differ from numpy's because the generator is Java's.
 *
 * <p>If a class has fewer than {@code n_c + valPerClass} images the generator throws, unless
 * {@link Builder#optCapToLeaveValidation(boolean)} is set, in which case that class keeps
 * {@code available - valPerClass} train images (needed when {@code n_max} is the whole class, as in
 * {@code fmnist-lt-if100}). The realised counts are recorded in the index.
 */
public final class LongTailSubsetGenerator {

    /** Default validation images per class (ImageNet-LT / Places-LT use 20). */
    public static final int DEFAULT_VAL_PER_CLASS = 20;

    private final int nMax;
    private final double imbalanceFactor;
    private final ClassOrder classOrder;
    private final long seed;
    private final int valPerClass;
    private final boolean capToLeaveValidation;
    private final String benchmark;

    private LongTailSubsetGenerator(Builder b) {
        this.nMax = b.nMax;
        this.imbalanceFactor = b.imbalanceFactor;
        this.classOrder = b.classOrder;
        this.seed = b.seed;
        this.valPerClass = b.valPerClass;
        this.capToLeaveValidation = b.capToLeaveValidation;
        this.benchmark = b.benchmark;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param trainSet the balanced base train set
     * @return the index
     */
    public LongTailIndex generate(ImageDataset trainSet) {
        return generate(trainSet.labels(), trainSet.numClasses());
    }

    /**
     * @param labels labels of the base train set
     * @param numClasses C
     * @return the index
     */
    public LongTailIndex generate(int[] labels, int numClasses) {
        LongTailProfile profile = new LongTailProfile(nMax, imbalanceFactor, numClasses);
        int[] byRank = profile.countsByRank();
        int[] classForRank = classOrder.classForRank(numClasses);
        int[] target = new int[numClasses];
        for (int r = 0; r < numClasses; r++) {
            target[classForRank[r]] = byRank[r];
        }
        List<List<Integer>> perClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            perClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("long-tail subset: label (field 'labels[" + i + "]') = " + labels[i]
                        + " is out of range 0.." + (numClasses - 1));
            }
            perClass.get(labels[i]).add(i);
        }
        Random random = new Random(seed);
        int[] trainCounts = new int[numClasses];
        int[] valCounts = new int[numClasses];
        List<Integer> train = new ArrayList<>();
        List<Integer> val = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            int[] idx = perClass.get(c).stream().mapToInt(Integer::intValue).toArray();
            for (int i = idx.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int tmp = idx[i];
                idx[i] = idx[j];
                idx[j] = tmp;
            }
            int nTrain = target[c];
            if (nTrain + valPerClass > idx.length) {
                if (!capToLeaveValidation || idx.length - valPerClass < 1) {
                    throw new IllegalArgumentException("long-tail subset: class " + c + " has " + idx.length
                            + " images but needs " + nTrain + " train + " + valPerClass + " validation"
                            + (capToLeaveValidation ? "" : " (lower nMax or valPerClass, or set capToLeaveValidation)"));
                }
                nTrain = idx.length - valPerClass;
            }
            trainCounts[c] = nTrain;
            valCounts[c] = valPerClass;
            for (int i = 0; i < nTrain; i++) {
                train.add(idx[i]);
            }
            for (int i = nTrain; i < nTrain + valPerClass; i++) {
                val.add(idx[i]);
            }
        }
        return new LongTailIndex(LongTailIndex.FORMAT, benchmark, nMax, imbalanceFactor, classOrder.toString(),
                classForRank, seed, valPerClass, labels.length, LongTailIndex.labelsSha256(labels), trainCounts,
                valCounts, train.stream().mapToInt(Integer::intValue).toArray(),
                val.stream().mapToInt(Integer::intValue).toArray());
    }

    @Override
    public String toString() {
        return "LongTailSubsetGenerator[nMax=" + nMax + ", IF=" + imbalanceFactor + ", order=" + classOrder + ", seed="
                + seed + ", valPerClass=" + valPerClass + ", cap=" + capToLeaveValidation + (benchmark == null ? "" : ", benchmark=" + benchmark) + "]";
    }

    /** Builder: {@code set*} required, {@code opt*} optional. */
    public static final class Builder {
        private int nMax = -1;
        private double imbalanceFactor = -1;
        private ClassOrder classOrder = ClassOrder.natural();
        private long seed;
        private int valPerClass = DEFAULT_VAL_PER_CLASS;
        private boolean capToLeaveValidation;
        private String benchmark;

        private Builder() {}

        /** Head-class size n_max. */
        public Builder setNMax(int nMax) {
            this.nMax = nMax;
            return this;
        }

        /** Imbalance factor IF = n_max / n_min (>= 1). */
        public Builder setImbalanceFactor(double imbalanceFactor) {
            this.imbalanceFactor = imbalanceFactor;
            return this;
        }

        /** Which class is the head (default {@link ClassOrder#natural()}, the reference). */
        public Builder optClassOrder(ClassOrder classOrder) {
            this.classOrder = Objects.requireNonNull(classOrder);
            return this;
        }

        /** Seed of the per-class shuffle (default 0, the reference's {@code rand_number}). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Validation images per class, drawn from images not in the subset (default 20; 0 for none). */
        public Builder optValPerClass(int valPerClass) {
            if (valPerClass < 0) {
                throw new IllegalArgumentException("long-tail subset: valPerClass must be >= 0, got " + valPerClass);
            }
            this.valPerClass = valPerClass;
            return this;
        }

        /** Let classes too small for {@code n_c + valPerClass} keep fewer train images instead of failing (default false). */
        public Builder optCapToLeaveValidation(boolean capToLeaveValidation) {
            this.capToLeaveValidation = capToLeaveValidation;
            return this;
        }

        /** Benchmark name recorded in the index (default none). */
        public Builder optBenchmark(String benchmark) {
            this.benchmark = benchmark;
            return this;
        }

        /** @return the generator */
        public LongTailSubsetGenerator build() {
            new LongTailProfile(nMax, imbalanceFactor, 1); // checks nMax and IF
            return new LongTailSubsetGenerator(this);
        }
    }
}
