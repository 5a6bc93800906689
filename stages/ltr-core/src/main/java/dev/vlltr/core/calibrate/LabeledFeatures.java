package dev.vlltr.core.calibrate;

/**
 * Precomputed features with their labels and the split they come from (validated on construction).
 *
 * @param features   N×D features (not copied: treat as read-only)
 * @param labels     N class ids in {@code [0, numClasses)}
 * @param numClasses C
 * @param split      the split these features were extracted from
 */
public record LabeledFeatures(float[][] features, int[] labels, int numClasses, SplitRole split) {

    public LabeledFeatures {
        if (split == null) {
            throw new IllegalArgumentException("LabeledFeatures: split must be given (TRAIN, VALIDATION or TEST)");
        }
        if (features == null || features.length == 0) {
            throw new IllegalArgumentException("LabeledFeatures(" + split
                    + "): features must contain at least one row");
        }
        if (labels == null || labels.length != features.length) {
            throw new IllegalArgumentException("LabeledFeatures(" + split + "): " + features.length
                    + " feature rows but " + (labels == null ? "no" : String.valueOf(labels.length)) + " labels");
        }
        if (numClasses <= 0) {
            throw new IllegalArgumentException("LabeledFeatures(" + split + "): numClasses must be > 0, got "
                    + numClasses);
        }
        int d = features[0] == null ? 0 : features[0].length;
        if (d == 0) {
            throw new IllegalArgumentException("LabeledFeatures(" + split + "): feature row 0 is empty");
        }
        Classifier.checkFeatures(features, d, "LabeledFeatures(" + split + ")");
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("LabeledFeatures(" + split + "): label[" + i + "] = " + labels[i]
                        + " is outside [0, " + numClasses + ")");
            }
        }
    }

    /** Reads an N×D float NDArray (e.g. a feature dump) into a LabeledFeatures. */
    public static LabeledFeatures of(ai.djl.ndarray.NDArray features, int[] labels, int numClasses, SplitRole split) {
        ai.djl.ndarray.types.Shape s = features.getShape();
        if (s.dimension() != 2) {
            throw new IllegalArgumentException("LabeledFeatures(" + split + "): features must be a 2-D N×D array, got "
                    + "shape " + s);
        }
        int n = (int) s.get(0);
        int d = (int) s.get(1);
        float[] flat = features.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        float[][] rows = new float[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, rows[i], 0, d);
        }
        return new LabeledFeatures(rows, labels, numClasses, split);
    }

    /** Number of samples N. */
    public int size() {
        return labels.length;
    }

    /** Feature dimension D. */
    public int featureDim() {
        return features[0].length;
    }

    /** Number of samples per class (length C). */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int y : labels) {
            counts[y]++;
        }
        return counts;
    }
}
