package dev.vlltr.core.calibrate;

/**
 * τ-normalised classifier of Decoupling ({@code tau_norm.py::pnorm}): {@code w̃_c = w_c / ||w_c||₂^τ},
 * {@code logits = x · w̃_cᵀ}. <b>The bias of the source classifier is dropped</b>, as in the official script (which
 * uses only {@code fc.weight}); τ = 0 therefore gives the raw weights without bias and τ = 1 the L2-normalised
 * weights. The source is the jointly trained (stage-1) classifier. Norms are computed in double precision.
 */
public final class TauNormalizedClassifier implements Classifier {

    private final double tau;
    private final LinearClassifier normalized;

    private TauNormalizedClassifier(LinearClassifier source, double tau) {
        if (!Double.isFinite(tau)) {
            throw new IllegalArgumentException("TauNormalizedClassifier: tau must be finite, got " + tau);
        }
        this.tau = tau;
        float[][] w = source.weights();
        for (int c = 0; c < w.length; c++) {
            double sq = 0;
            for (float v : w[c]) {
                sq += (double) v * v;
            }
            double norm = Math.sqrt(sq);
            if (norm == 0 && tau != 0) {
                throw new IllegalArgumentException("TauNormalizedClassifier: weight row of class " + c
                        + " has zero norm; ||w_c||^tau is undefined for tau = " + tau);
            }
            double scale = tau == 0 ? 1.0 : 1.0 / Math.pow(norm, tau);
            for (int j = 0; j < w[c].length; j++) {
                w[c][j] = (float) (w[c][j] * scale);
            }
        }
        this.normalized = new LinearClassifier(w, new float[w.length]);
    }

    /** τ-normalises {@code source} (its bias is ignored). */
    public static TauNormalizedClassifier of(LinearClassifier source, double tau) {
        if (source == null) {
            throw new IllegalArgumentException("TauNormalizedClassifier: source classifier must not be null");
        }
        return new TauNormalizedClassifier(source, tau);
    }

    /** The exponent τ. */
    public double tau() {
        return tau;
    }

    /** The normalised weights as a bias-free linear classifier. */
    public LinearClassifier asLinear() {
        return normalized;
    }

    @Override
    public int numClasses() {
        return normalized.numClasses();
    }

    @Override
    public int featureDim() {
        return normalized.featureDim();
    }

    @Override
    public float[][] scores(float[][] features) {
        return normalized.logits(features);
    }
}
