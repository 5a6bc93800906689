package dev.vlltr.core.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A long-tailed subset of a train set, stored as indices (no pixels): the train subset, the balanced validation split
 * drawn from the remaining train images, and everything needed to regenerate and check them (profile, class order,
 * seed, base set size and a digest of its labels). Written as JSON through streams.
 *
 * @param format always {@link #FORMAT}
 * @param benchmark the named benchmark it was made for, or {@code null}
 * @param nMax head-class size of the profile
 * @param imbalanceFactor IF of the profile
 * @param classOrder the class order in text form ({@link ClassOrder#parse(String)})
 * @param classForRank the realised order: class of rank 0 (head), rank 1, ...
 * @param seed the per-class shuffle seed
 * @param valPerClass validation images per class
 * @param baseSize images in the base train set
 * @param baseLabelsSha256 SHA-256 of the base labels (int32 big-endian each), to catch a mismatched base set
 * @param trainCounts train images per class (index = class)
 * @param valCounts validation images per class (index = class)
 * @param train indices into the base train set, grouped by class (class 0 first)
 * @param val indices into the base train set, grouped by class, disjoint from {@code train}
 */
@JsonPropertyOrder({"format", "benchmark", "nMax", "imbalanceFactor", "classOrder", "classForRank", "seed",
    "valPerClass", "baseSize", "baseLabelsSha256", "trainCounts", "valCounts", "train", "val"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LongTailIndex(String format, String benchmark, int nMax, double imbalanceFactor, String classOrder,
        int[] classForRank, long seed, int valPerClass, int baseSize, String baseLabelsSha256, int[] trainCounts,
        int[] valCounts, int[] train, int[] val) {

    /** The format tag written into every index file. */
    public static final String FORMAT = "vlltr-longtail-index/1";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(JsonParser.Feature.AUTO_CLOSE_SOURCE, false)
            .configure(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

    /** @return the number of classes */
    public int numClasses() {
        return trainCounts.length;
    }

    /**
     * Writes this index as JSON (the stream is flushed, not closed).
     *
     * @param out the destination
     * @throws IOException if writing fails
     */
    public void write(OutputStream out) throws IOException {
        MAPPER.writeValue(out, this);
        out.flush();
    }

    /**
     * Reads and checks an index (the stream is not closed).
     *
     * @param in JSON written by {@link #write(OutputStream)}
     * @param sourceName a name for error messages
     * @return the index
     * @throws IOException if reading fails
     * @throws IllegalArgumentException if the JSON is malformed or inconsistent
     */
    public static LongTailIndex read(InputStream in, String sourceName) throws IOException {
        LongTailIndex index;
        try {
            index = MAPPER.readValue(in, LongTailIndex.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(sourceName + ": not a long-tail index (" + e.getOriginalMessage() + ")", e);
        }
        if (index == null) {
            throw new IllegalArgumentException(sourceName + ": empty long-tail index");
        }
        index.validate(sourceName);
        return index;
    }

    /**
     * Checks internal consistency: format, array lengths, indices in range, disjoint train/val, counts.
     *
     * @param sourceName a name for error messages
     */
    public void validate(String sourceName) {
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException(sourceName + ": field 'format' is '" + format + "', expected '" + FORMAT + "'");
        }
        require(classForRank != null && trainCounts != null && valCounts != null && train != null && val != null,
                sourceName, "fields 'classForRank', 'trainCounts', 'valCounts', 'train', 'val' are required");
        int c = trainCounts.length;
        require(valCounts.length == c, sourceName, "field 'valCounts' has " + valCounts.length + " entries, expected " + c);
        ClassOrder.checkPermutation(classForRank, c, sourceName + ": field 'classForRank'");
        require(classForRank.length == c, sourceName, "field 'classForRank' has " + classForRank.length + " entries, expected " + c);
        require(Arrays.stream(trainCounts).sum() == train.length, sourceName,
                "field 'train' has " + train.length + " indices but 'trainCounts' sums to " + Arrays.stream(trainCounts).sum());
        require(Arrays.stream(valCounts).sum() == val.length, sourceName,
                "field 'val' has " + val.length + " indices but 'valCounts' sums to " + Arrays.stream(valCounts).sum());
        require(nMax >= 1 && imbalanceFactor >= 1 && valPerClass >= 0 && baseSize >= 0, sourceName,
                "fields 'nMax' (>= 1), 'imbalanceFactor' (>= 1), 'valPerClass' (>= 0), 'baseSize' (>= 0) are required");
        checkRange(train, "train", sourceName);
        checkRange(val, "val", sourceName);
        // disjoint and duplicate-free: sort everything once (no allocation proportional to baseSize)
        int[] all = new int[train.length + val.length];
        System.arraycopy(train, 0, all, 0, train.length);
        System.arraycopy(val, 0, all, train.length, val.length);
        Arrays.sort(all);
        for (int i = 1; i < all.length; i++) {
            require(all[i] != all[i - 1], sourceName, "index " + all[i]
                    + " appears twice in 'train'/'val' (each must be duplicate-free and the two disjoint)");
        }
    }

    private void checkRange(int[] indices, String field, String sourceName) {
        for (int i = 0; i < indices.length; i++) {
            require(indices[i] >= 0 && indices[i] < baseSize, sourceName, "field '" + field + "[" + i + "]' = "
                    + indices[i] + " is outside the base set (baseSize " + baseSize + ")");
        }
    }

    /**
     * Checks that this index was made from a train set with these labels (size, label digest, per-class counts).
     *
     * @param baseLabels the labels of the base train set
     * @param sourceName a name for error messages
     */
    public void verifyAgainst(int[] baseLabels, String sourceName) {
        require(baseLabels.length == baseSize, sourceName, "field 'baseSize' is " + baseSize
                + " but the train set has " + baseLabels.length + " images");
        String digest = labelsSha256(baseLabels);
        require(digest.equals(baseLabelsSha256), sourceName, "field 'baseLabelsSha256' does not match the train set's labels "
                + "(index made from a different train set?)");
        int[] seenTrain = new int[numClasses()];
        for (int i : train) {
            seenTrain[baseLabels[i]]++;
        }
        int[] seenVal = new int[numClasses()];
        for (int i : val) {
            seenVal[baseLabels[i]]++;
        }
        require(Arrays.equals(seenTrain, trainCounts), sourceName, "field 'trainCounts' " + Arrays.toString(trainCounts)
                + " does not match the labels of 'train' " + Arrays.toString(seenTrain));
        require(Arrays.equals(seenVal, valCounts), sourceName, "field 'valCounts' " + Arrays.toString(valCounts)
                + " does not match the labels of 'val' " + Arrays.toString(seenVal));
    }

    /**
     * The long-tailed train subset of {@code base}, after checking that this index belongs to it.
     *
     * @param base the full train set the index was made from
     * @param sourceName a name for error messages (e.g. the index file)
     * @return a view of the train images, grouped by class
     */
    public ImageDataset trainSet(ImageDataset base, String sourceName) {
        verifyAgainst(base.labels(), sourceName);
        return base.subset(train);
    }

    /**
     * The balanced validation split of {@code base}, after checking that this index belongs to it.
     *
     * @param base the full train set the index was made from
     * @param sourceName a name for error messages (e.g. the index file)
     * @return a view of the validation images, grouped by class
     */
    public ImageDataset valSet(ImageDataset base, String sourceName) {
        verifyAgainst(base.labels(), sourceName);
        return base.subset(val);
    }

    /**
     * @param labels labels
     * @return hex SHA-256 of the labels written as big-endian int32s
     */
    public static String labelsSha256(int[] labels) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer buffer = ByteBuffer.allocate(labels.length * 4);
            for (int label : labels) {
                buffer.putInt(label);
            }
            return HexFormat.of().formatHex(md.digest(buffer.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void require(boolean ok, String sourceName, String message) {
        if (!ok) {
            throw new IllegalArgumentException(sourceName + ": " + message);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LongTailIndex x && Objects.equals(format, x.format) && Objects.equals(benchmark, x.benchmark)
                && nMax == x.nMax && Double.compare(imbalanceFactor, x.imbalanceFactor) == 0
                && Objects.equals(classOrder, x.classOrder) && Arrays.equals(classForRank, x.classForRank)
                && seed == x.seed && valPerClass == x.valPerClass && baseSize == x.baseSize
                && Objects.equals(baseLabelsSha256, x.baseLabelsSha256) && Arrays.equals(trainCounts, x.trainCounts)
                && Arrays.equals(valCounts, x.valCounts) && Arrays.equals(train, x.train) && Arrays.equals(val, x.val);
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, benchmark, nMax, imbalanceFactor, classOrder, seed, valPerClass, baseSize,
                baseLabelsSha256, Arrays.hashCode(train), Arrays.hashCode(val));
    }

    @Override
    public String toString() {
        return "LongTailIndex[" + (benchmark == null ? "" : benchmark + ", ") + "nMax=" + nMax + ", IF=" + imbalanceFactor
                + ", order=" + classOrder + ", seed=" + seed + ", train=" + Arrays.toString(trainCounts)
                + ", val=" + Arrays.toString(valCounts) + "]";
    }
}
