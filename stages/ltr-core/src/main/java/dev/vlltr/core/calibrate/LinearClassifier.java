package dev.vlltr.core.calibrate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * An immutable linear classifier {@code logits = x Wᵀ + b} (PyTorch {@code nn.Linear} layout: W is C×D, b has C
 * entries), e.g. the jointly trained stage-1 {@code fc} or a cRT classifier.
 */
public final class LinearClassifier implements Classifier {

    private final float[][] weights;
    private final float[] bias;

    /**
     * @param weights C×D weight matrix (copied)
     * @param bias    C biases (copied); pass zeros for a bias-free layer
     */
    public LinearClassifier(float[][] weights, float[] bias) {
        if (weights == null || weights.length == 0) {
            throw new IllegalArgumentException("LinearClassifier: weights must be a non-empty C×D matrix");
        }
        int d = weights[0] == null ? 0 : weights[0].length;
        if (d == 0) {
            throw new IllegalArgumentException("LinearClassifier: weight row 0 is empty, expected D > 0 values");
        }
        Classifier.checkFeatures(weights, d, "LinearClassifier weights");
        if (bias == null || bias.length != weights.length) {
            throw new IllegalArgumentException("LinearClassifier: bias has "
                    + (bias == null ? "no" : String.valueOf(bias.length)) + " entries, expected C = "
                    + weights.length);
        }
        this.weights = deepCopy(weights);
        this.bias = bias.clone();
    }

    /** Reads W (C×D) and b (C) from NDArrays, e.g. a trained {@code nn.Linear}. */
    public static LinearClassifier fromNDArrays(NDArray weight, NDArray bias) {
        Shape s = weight.getShape();
        if (s.dimension() != 2) {
            throw new IllegalArgumentException("LinearClassifier: weight must be 2-D C×D, got shape " + s);
        }
        int c = (int) s.get(0);
        int d = (int) s.get(1);
        float[] flat = weight.toFloatArray();
        float[][] w = new float[c][d];
        for (int i = 0; i < c; i++) {
            System.arraycopy(flat, i * d, w[i], 0, d);
        }
        return new LinearClassifier(w, bias.toFloatArray());
    }

    @Override
    public int numClasses() {
        return weights.length;
    }

    @Override
    public int featureDim() {
        return weights[0].length;
    }

    /** A copy of W (C×D). */
    public float[][] weights() {
        return deepCopy(weights);
    }

    /** A copy of b (C). */
    public float[] bias() {
        return bias.clone();
    }

    /** W as a C×D NDArray owned by {@code manager}. */
    public NDArray weightArray(NDManager manager) {
        return manager.create(flatten(weights), new Shape(weights.length, featureDim()));
    }

    /** b as a C NDArray owned by {@code manager}. */
    public NDArray biasArray(NDManager manager) {
        return manager.create(bias.clone());
    }

    /**
     * Logits {@code x Wᵀ + b}, accumulated in double precision (rows in parallel). For large feature dumps
     * {@link #logits(NDArray)} (engine BLAS, float32) is much faster.
     */
    public float[][] logits(float[][] features) {
        Classifier.checkFeatures(features, featureDim(), "LinearClassifier");
        float[][] out = new float[features.length][weights.length];
        // rows are independent, so the parallel loop gives exactly the sequential result
        java.util.stream.IntStream.range(0, features.length).parallel().forEach(i -> {
            float[] x = features[i];
            for (int c = 0; c < weights.length; c++) {
                double s = bias[c];
                float[] w = weights[c];
                for (int j = 0; j < w.length; j++) {
                    s += (double) w[j] * x[j];
                }
                out[i][c] = (float) s;
            }
        });
        return out;
    }

    /** Logits {@code x Wᵀ + b} computed by the engine for an N×D feature array. */
    public NDArray logits(NDArray features) {
        NDManager m = features.getManager();
        NDArray w = weightArray(m);
        NDArray b = biasArray(m);
        return features.matMul(w.transpose()).add(b);
    }

    @Override
    public float[][] scores(float[][] features) {
        return logits(features);
    }

    static float[][] deepCopy(float[][] a) {
        float[][] out = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    static float[] flatten(float[][] a) {
        int d = a[0].length;
        float[] flat = new float[a.length * d];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, flat, i * d, d);
        }
        return flat;
    }
}
