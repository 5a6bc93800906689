package dev.vlltr.core.calibrate;

/** A classifier over fixed-size feature vectors: one score (logit or similarity) per class, higher is better. */
public interface Classifier {

    /** Number of classes C (length of every score row). */
    int numClasses();

    /** Feature dimension D expected by {@link #scores(float[][])}. */
    int featureDim();

    /**
     * Scores every sample.
     *
     * @param features N×D features
     * @return N×C scores
     * @throws IllegalArgumentException if a row does not have {@link #featureDim()} values
     */
    float[][] scores(float[][] features);

    /** Checks that {@code features} is N×{@code dim}; names the offending row. */
    static void checkFeatures(float[][] features, int dim, String what) {
        if (features == null) {
            throw new IllegalArgumentException(what + ": features must not be null");
        }
        for (int i = 0; i < features.length; i++) {
            if (features[i] == null || features[i].length != dim) {
                throw new IllegalArgumentException(what + ": feature row " + i + " has "
                        + (features[i] == null ? "no" : String.valueOf(features[i].length))
                        + " values, expected " + dim);
            }
        }
    }
}
