package dev.vlltr.core.data;

import java.util.Arrays;

/**
 * The index record of a long-tailed subset: which images of the original (balanced) train set form the long-tailed
 * train subset and the balanced validation split, plus everything needed to regenerate it. Serialised as JSON by
 * {@link LongTailSplitJson}. The official test set is never touched, so it has no indices here.
 *
 * @param format           always {@link #FORMAT}
 * @param benchmark        name of the dataset spec (benchmark) it was made for, or null for a custom profile
 * @param dataset          name of the source dataset (e.g. {@code fashion-mnist/train})
 * @param sourceSize       number of images in the source train set
 * @param numClasses       C
 * @param maxPerClass      n_max of the profile
 * @param imbalanceFactor  IF of the profile
 * @param seed             seed of the per-class shuffles
 * @param shuffle          the {@link SubsetShuffle} stream: {@code NUMPY} or {@code PER_CLASS}
 * @param classOrder       {@code natural}, {@code reversed}, {@code shuffled(seed)} or {@code explicit[...]}
 * @param classByRank      {@code classByRank[r]}: the class that got rank {@code r} (head first)
 * @param profileCounts    per class (indexed by label): the profile's target count
 * @param trainCounts      per class: images actually in the subset (the target, capped so that
 *                         {@code valPerClass} images remain for validation)
 * @param valPerClass      images per class in the validation split
 * @param trainIndices     indices into the source train set, grouped by class (class 0 first), each group in its
 *                         shuffled order
 * @param valIndices       indices of the validation images, grouped by class; disjoint from {@code trainIndices}
 */
public record LongTailSplit(String format, String benchmark, String dataset, int sourceSize, int numClasses,
        int maxPerClass, double imbalanceFactor, long seed, String shuffle, String classOrder, int[] classByRank,
        int[] profileCounts, int[] trainCounts, int valPerClass, int[] trainIndices, int[] valIndices) {

    /** Format tag of version 1 of the record. */
    public static final String FORMAT = "vlltr.long-tail-split/1";

    /**
     * Checks internal consistency: format tag, array lengths, counts summing to the index lists, indices in range,
     * no index used twice. Called by the JSON reader.
     *
     * @param source name used in error messages
     */
    public void validate(String source) {
        require(FORMAT.equals(format), source, "format", "'" + format + "', expected '" + FORMAT + "'");
        require(shuffle != null && java.util.Arrays.stream(SubsetShuffle.values())
                .anyMatch(v -> v.name().equals(shuffle)), source, "shuffle",
                "'" + shuffle + "', expected NUMPY or PER_CLASS");
        require(numClasses >= 2, source, "numClasses", numClasses + ", expected at least 2");
        require(classByRank != null && profileCounts != null && trainCounts != null && trainIndices != null
                && valIndices != null, source, "indices", "missing, expected all index arrays");
        ClassOrder.checkPermutation(classByRank, numClasses);
        require(profileCounts.length == numClasses, source, "profileCounts",
                "has " + profileCounts.length + " entries, expected " + numClasses);
        require(trainCounts.length == numClasses, source, "trainCounts",
                "has " + trainCounts.length + " entries, expected " + numClasses);
        int sum = Arrays.stream(trainCounts).sum();
        require(sum == trainIndices.length, source, "trainIndices",
                "has " + trainIndices.length + " entries but trainCounts sum to " + sum);
        require(valIndices.length == valPerClass * numClasses, source, "valIndices",
                "has " + valIndices.length + " entries, expected valPerClass x numClasses = "
                        + valPerClass * numClasses);
        boolean[] used = new boolean[sourceSize];
        checkIndices(trainIndices, used, source, "trainIndices");
        checkIndices(valIndices, used, source, "valIndices");
    }

    /**
     * Checks the record against the labels of the source train set it will index: same size, and every train/val
     * index carries the class its group says.
     *
     * @param labels labels of the original train set
     */
    public void verifyAgainst(int[] labels, String source) {
        require(labels.length == sourceSize, source, "sourceSize",
                sourceSize + " but the train set has " + labels.length + " images (a different dataset?)");
        int pos = 0;
        for (int c = 0; c < numClasses; c++) {
            for (int k = 0; k < trainCounts[c]; k++, pos++) {
                int label = labels[trainIndices[pos]];
                require(label == c, source, "trainIndices[" + pos + "]",
                        "image " + trainIndices[pos] + " has label " + label + ", expected class " + c);
            }
        }
        for (int p = 0; p < valIndices.length; p++) {
            int c = p / valPerClass;
            int label = labels[valIndices[p]];
            require(label == c, source, "valIndices[" + p + "]",
                    "image " + valIndices[p] + " has label " + label + ", expected class " + c);
        }
    }

    /**
     * @param source the original balanced train set this record indexes (checked with {@link #verifyAgainst}); a lazy
     *               set stays lazy (only its labels are read)
     * @return the long-tailed train subset, images in {@link #trainIndices()} order
     */
    public ImageSet trainSet(ImageSet source) {
        verifyAgainst(source.labels(), source.name());
        return source.subset(trainIndices, name() + "/train");
    }

    /** @return the balanced validation split ({@link #valIndices()} order) of the original train set */
    public ImageSet valSet(ImageSet source) {
        verifyAgainst(source.labels(), source.name());
        return source.subset(valIndices, name() + "/val");
    }

    /**
     * The record of a train split used as listed (a spec without long-tail generation, e.g. ImageNet-LT's published
     * list): every image, grouped by class in list order, no validation images drawn (the spec lists its own).
     *
     * @param benchmark recorded name (the spec's)
     * @param dataset   the source's name
     */
    public static LongTailSplit whole(String benchmark, String dataset, int[] labels, int numClasses) {
        int[] counts = new int[numClasses];
        for (int l : labels) {
            counts[l]++;
        }
        int[] order = new int[labels.length];
        int[] start = new int[numClasses];
        for (int c = 1; c < numClasses; c++) {
            start[c] = start[c - 1] + counts[c - 1];
        }
        for (int i = 0; i < labels.length; i++) {
            order[start[labels[i]]++] = i;
        }
        Integer[] byRank = new Integer[numClasses];
        for (int c = 0; c < numClasses; c++) {
            byRank[c] = c;
        }
        Arrays.sort(byRank, (a, b) -> counts[b] != counts[a] ? Integer.compare(counts[b], counts[a])
                : Integer.compare(a, b));
        int max = Arrays.stream(counts).max().orElse(0);
        int min = Arrays.stream(counts).min().orElse(0);
        return new LongTailSplit(FORMAT, benchmark, dataset, labels.length, numClasses, max,
                min > 0 ? (double) max / min : Double.POSITIVE_INFINITY, 0, SubsetShuffle.NUMPY.name(), "listed",
                Arrays.stream(byRank).mapToInt(Integer::intValue).toArray(), counts.clone(), counts.clone(), 0,
                order, new int[0]);
    }

    private String name() {
        return benchmark != null ? benchmark : dataset + "-lt-if" + imbalanceFactor;
    }

    private void checkIndices(int[] indices, boolean[] used, String source, String field) {
        for (int i = 0; i < indices.length; i++) {
            int idx = indices[i];
            require(idx >= 0 && idx < sourceSize, source, field + "[" + i + "]",
                    idx + ", expected 0.." + (sourceSize - 1));
            require(!used[idx], source, field + "[" + i + "]",
                    idx + ", which is already used (train and val must be disjoint, no index twice)");
            used[idx] = true;
        }
    }

    private static void require(boolean ok, String source, String field, String what) {
        if (!ok) {
            throw new IllegalArgumentException(source + ": field '" + field + "' is " + what);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LongTailSplit s && java.util.Objects.equals(format, s.format)
                && java.util.Objects.equals(benchmark, s.benchmark) && java.util.Objects.equals(dataset, s.dataset)
                && sourceSize == s.sourceSize && numClasses == s.numClasses && maxPerClass == s.maxPerClass
                && Double.compare(imbalanceFactor, s.imbalanceFactor) == 0 && seed == s.seed
                && java.util.Objects.equals(shuffle, s.shuffle)
                && java.util.Objects.equals(classOrder, s.classOrder) && Arrays.equals(classByRank, s.classByRank)
                && Arrays.equals(profileCounts, s.profileCounts) && Arrays.equals(trainCounts, s.trainCounts)
                && valPerClass == s.valPerClass && Arrays.equals(trainIndices, s.trainIndices)
                && Arrays.equals(valIndices, s.valIndices);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(benchmark, dataset, seed, classOrder, Arrays.hashCode(trainIndices),
                Arrays.hashCode(valIndices));
    }

    @Override
    public String toString() {
        return "LongTailSplit[" + (benchmark == null ? "custom" : benchmark) + ", " + dataset + ", IF "
                + imbalanceFactor + ", seed " + seed + " (" + shuffle + "), order " + classOrder + ", train "
                + Arrays.toString(trainCounts) + ", val " + valPerClass + "/class]";
    }
}
