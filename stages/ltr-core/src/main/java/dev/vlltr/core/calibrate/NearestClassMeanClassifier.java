package dev.vlltr.core.calibrate;

/**
 * Nearest-class-mean classifier of Decoupling ({@code models/KNNClassifier.py} with centroids from
 * {@code run_networks.py::get_knncentroids}). Defaults are the official ones, {@code --feat_type cl2n
 * --dist_type l2}:
 * <ol>
 *   <li>{@code mean} = mean of all training features (instance-weighted);</li>
 *   <li>train and query features are transformed by {@link FeatureType}: {@code cl2n} centres by {@code mean} then
 *       L2-normalises, {@code l2n} only normalises, {@code un} leaves them unchanged;</li>
 *   <li>centroid {@code c_k} = mean of the transformed training features of class k, <b>not re-normalised</b>;</li>
 *   <li>score: {@link Distance#L2} {@code -||x - c_k||²} (computed as {@code -(||x||² + ||c||² - 2 x·c)}), or
 *       {@link Distance#COS} {@code x·c_k / D} (plain dot product divided by the feature dimension, centroids
 *       still not normalised).</li>
 * </ol>
 * Every class must have at least one training sample (the official code silently shifts class ids otherwise).
 * A feature whose norm is exactly 0 is left at 0 instead of producing NaN (the only guard added).
 */
public final class NearestClassMeanClassifier implements Classifier {

    /** Feature transform ({@code --feat_type}). */
    public enum FeatureType {
        /** Centre by the training mean, then L2-normalise (official default). */
        CL2N,
        /** L2-normalise without centring. */
        L2N,
        /** Unnormalised features. */
        UN
    }

    /** Score ({@code --dist_type}). */
    public enum Distance {
        /** Negative squared Euclidean distance (official default). */
        L2,
        /** Dot product divided by the feature dimension ({@code cos_similarity} of KNNClassifier.py). */
        COS
    }

    private final FeatureType featureType;
    private final Distance distance;
    private final double[] mean;
    private final double[][] centroids;

    private NearestClassMeanClassifier(FeatureType featureType, Distance distance, double[] mean,
                                       double[][] centroids) {
        this.featureType = featureType;
        this.distance = distance;
        this.mean = mean;
        this.centroids = centroids;
    }

    /** Fits with the official defaults ({@code cl2n}, {@code l2}). */
    public static NearestClassMeanClassifier fit(LabeledFeatures train) {
        return fit(train, FeatureType.CL2N, Distance.L2);
    }

    /**
     * Computes the training mean and the class centroids.
     *
     * @throws IllegalArgumentException if a class has no training sample
     */
    public static NearestClassMeanClassifier fit(LabeledFeatures train, FeatureType featureType, Distance distance) {
        if (train == null || featureType == null || distance == null) {
            throw new IllegalArgumentException("NearestClassMeanClassifier: train features, featureType and distance "
                    + "must not be null");
        }
        int n = train.size();
        int d = train.featureDim();
        int c = train.numClasses();
        float[][] x = train.features();
        double[] mean = new double[d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] sums = new double[c][d];
        int[] counts = new int[c];
        double[] buf = new double[d];
        for (int i = 0; i < n; i++) {
            transform(x[i], mean, featureType, buf);
            int y = train.labels()[i];
            counts[y]++;
            for (int j = 0; j < d; j++) {
                sums[y][j] += buf[j];
            }
        }
        for (int k = 0; k < c; k++) {
            if (counts[k] == 0) {
                throw new IllegalArgumentException("NearestClassMeanClassifier: class " + k
                        + " has no training sample; every class needs at least one to define its mean");
            }
            for (int j = 0; j < d; j++) {
                sums[k][j] /= counts[k];
            }
        }
        return new NearestClassMeanClassifier(featureType, distance, mean, sums);
    }

    private static void transform(float[] x, double[] mean, FeatureType type, double[] out) {
        for (int j = 0; j < x.length; j++) {
            out[j] = type == FeatureType.CL2N ? x[j] - mean[j] : x[j];
        }
        if (type != FeatureType.UN) {
            double sq = 0;
            for (double v : out) {
                sq += v * v;
            }
            double norm = Math.sqrt(sq);
            if (norm > 0) {
                for (int j = 0; j < out.length; j++) {
                    out[j] /= norm;
                }
            }
        }
    }

    public FeatureType featureType() {
        return featureType;
    }

    public Distance distance() {
        return distance;
    }

    /** The training-feature mean (length D). */
    public double[] mean() {
        return mean.clone();
    }

    /** Centroid of class {@code k} in the transformed space (length D). */
    public double[] centroid(int k) {
        return centroids[k].clone();
    }

    @Override
    public int numClasses() {
        return centroids.length;
    }

    @Override
    public int featureDim() {
        return mean.length;
    }

    @Override
    public float[][] scores(float[][] features) {
        Classifier.checkFeatures(features, featureDim(), "NearestClassMeanClassifier");
        int d = featureDim();
        double[] cc = new double[centroids.length];
        for (int k = 0; k < centroids.length; k++) {
            for (double v : centroids[k]) {
                cc[k] += v * v;
            }
        }
        float[][] out = new float[features.length][centroids.length];
        // rows are independent, so the parallel loop gives exactly the sequential result
        java.util.stream.IntStream.range(0, features.length).parallel().forEach(i -> {
            double[] x = new double[d];
            transform(features[i], mean, featureType, x);
            double xx = 0;
            for (double v : x) {
                xx += v * v;
            }
            for (int k = 0; k < centroids.length; k++) {
                double dot = 0;
                double[] ck = centroids[k];
                for (int j = 0; j < d; j++) {
                    dot += x[j] * ck[j];
                }
                out[i][k] = (float) (distance == Distance.L2 ? -(xx + cc[k] - 2 * dot) : dot / d);
            }
        });
        return out;
    }
}
