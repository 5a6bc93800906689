package dev.vlltr.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws a long-tailed train subset and a balanced validation split from a balanced train set.
 *
 * <p>Rule (LDAM-DRW {@code imbalance_cifar.py::gen_imbalanced_data}): the class of rank {@code r} keeps the first
 * {@code n_r} indices of its shuffled index list ({@link LongTailProfile}). The validation split takes the
 * <em>last</em> {@code valPerClass} indices of each shuffled list, so it is disjoint from the subset and the same for
 * every profile drawn with the same seed. When a class has fewer than {@code n_r + valPerClass} images, its subset is
 * capped at {@code available - valPerClass} (recorded in {@link LongTailSplit#trainCounts()}); with
 * {@code optValPerClass(0)} the subset is exactly the profile.
 *
 * <p>Shuffling ({@link SubsetShuffle}): by default numpy's legacy stream re-implemented bit for bit, so seed 0 with the
 * natural class order and {@code optValPerClass(0)} yields exactly the indices of the Python generator
 * ({@code np.random.seed(0)}, one {@code np.random.shuffle} per class in label order).
 */
public final class LongTailSplitter {

    private final LongTailProfile profile;
    private final ClassOrder classOrder;
    private final long seed;
    private final int valPerClass;
    private final String benchmark;
    private final SubsetShuffle shuffle;

    private LongTailSplitter(Builder b) {
        this.shuffle = b.shuffle;
        this.profile = b.profile;
        this.classOrder = b.classOrder;
        this.seed = b.seed;
        this.valPerClass = b.valPerClass;
        this.benchmark = b.benchmark;
    }

    public static Builder builder() {
        return new Builder();
    }

    public LongTailProfile profile() {
        return profile;
    }

    /**
     * @param dataset the balanced source train set
     * @return the index record
     */
    public LongTailSplit split(ImageDataset dataset) {
        return split(dataset.labels(), dataset.name());
    }

    /**
     * @param labels      labels of the source train set
     * @param datasetName recorded in the index and used in messages
     */
    public LongTailSplit split(int[] labels, String datasetName) {
        int numClasses = profile.numClasses();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(datasetName + ": label[" + i + "] is " + labels[i]
                        + " but the long-tail profile has " + numClasses + " classes");
            }
            byClass.get(labels[i]).add(i);
        }
        int[] classByRank = classOrder.classByRank(numClasses);
        int[] byRank = profile.countsByRank();
        int[] profileCounts = new int[numClasses];
        for (int r = 0; r < numClasses; r++) {
            profileCounts[classByRank[r]] = byRank[r];
        }
        int[] trainCounts = new int[numClasses];
        int[][] shuffled = new int[numClasses][];
        NumpyLegacyRandom numpy = shuffle == SubsetShuffle.NUMPY ? new NumpyLegacyRandom(seed) : null;
        for (int c = 0; c < numClasses; c++) {
            int available = byClass.get(c).size();
            if (available < valPerClass + 1) {
                throw new IllegalArgumentException(datasetName + ": class " + c + " has " + available
                        + " images, expected at least valPerClass + 1 = " + (valPerClass + 1));
            }
            if (valPerClass == 0 && available < profileCounts[c]) {
                throw new IllegalArgumentException(datasetName + ": class " + c + " has " + available
                        + " images, the profile needs " + profileCounts[c]);
            }
            trainCounts[c] = Math.min(profileCounts[c], available - valPerClass);
            int[] members = byClass.get(c).stream().mapToInt(Integer::intValue).toArray();
            if (numpy != null) {
                numpy.shuffle(members);
            } else {
                shuffle(members, classSeed(seed, c));
            }
            shuffled[c] = members;
        }
        int total = 0;
        for (int n : trainCounts) {
            total += n;
        }
        int[] train = new int[total];
        int[] val = new int[valPerClass * numClasses];
        int pos = 0;
        for (int c = 0; c < numClasses; c++) {
            System.arraycopy(shuffled[c], 0, train, pos, trainCounts[c]);
            pos += trainCounts[c];
            System.arraycopy(shuffled[c], shuffled[c].length - valPerClass, val, c * valPerClass, valPerClass);
        }
        return new LongTailSplit(LongTailSplit.FORMAT, benchmark, datasetName, labels.length, numClasses,
                profile.maxPerClass(), profile.imbalanceFactor(), seed, shuffle.name(), classOrder.toString(),
                classByRank, profileCounts, trainCounts, valPerClass, train, val);
    }

    /** Per-class stream: independent of how many images other classes have. */
    static long classSeed(long seed, int c) {
        return new SplittableRandom(seed).split().nextLong() ^ (0x9E3779B97F4A7C15L * (c + 1));
    }

    private static void shuffle(int[] a, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Builder: {@code setProfile} is required. */
    public static final class Builder {
        private LongTailProfile profile;
        private ClassOrder classOrder = ClassOrder.natural();
        private long seed;
        private int valPerClass = 20;
        private String benchmark;
        private SubsetShuffle shuffle = SubsetShuffle.NUMPY;

        public Builder setProfile(LongTailProfile profile) {
            this.profile = profile;
            return this;
        }

        /** Class order; default {@link ClassOrder#natural()} (class 0 is the head). */
        public Builder optClassOrder(ClassOrder classOrder) {
            this.classOrder = classOrder;
            return this;
        }

        /** Seed of the shuffles; default 0 (LDAM's {@code rand_number=0}); 0 .. 2^32-1 for the numpy stream. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Shuffle stream; default {@link SubsetShuffle#NUMPY} (the LDAM generator's indices). */
        public Builder optShuffle(SubsetShuffle shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Validation images per class; default 20; 0 gives no validation split and the exact profile. */
        public Builder optValPerClass(int valPerClass) {
            if (valPerClass < 0) {
                throw new IllegalArgumentException("long-tail split: field 'valPerClass' is " + valPerClass
                        + ", expected >= 0");
            }
            this.valPerClass = valPerClass;
            return this;
        }

        /** Name recorded in the index (the dataset spec's name). */
        public Builder optBenchmarkName(String benchmark) {
            this.benchmark = benchmark;
            return this;
        }

        public LongTailSplitter build() {
            if (profile == null) {
                throw new IllegalArgumentException("long-tail split: 'profile' is required (setProfile)");
            }
            return new LongTailSplitter(this);
        }
    }
}
