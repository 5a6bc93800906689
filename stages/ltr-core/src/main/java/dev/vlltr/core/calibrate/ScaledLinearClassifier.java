package dev.vlltr.core.calibrate;

/**
 * The LWS classifier: {@code logits = (x Wᵀ + b) ⊙ s} with per-class scales {@code s} (official
 * {@code TauNormClassifier.py}: {@code x = self.fc(x); x *= self.scales}, so the bias is scaled too).
 */
public final class ScaledLinearClassifier implements Classifier {

    private final LinearClassifier base;
    private final float[] scales;

    public ScaledLinearClassifier(LinearClassifier base, float[] scales) {
        if (base == null) {
            throw new IllegalArgumentException("ScaledLinearClassifier: base classifier must not be null");
        }
        if (scales == null || scales.length != base.numClasses()) {
            throw new IllegalArgumentException("ScaledLinearClassifier: scales has "
                    + (scales == null ? "no" : String.valueOf(scales.length)) + " entries, expected C = "
                    + base.numClasses());
        }
        this.base = base;
        this.scales = scales.clone();
    }

    /** The frozen stage-1 classifier. */
    public LinearClassifier base() {
        return base;
    }

    /** The learned per-class scales (copy). */
    public float[] scales() {
        return scales.clone();
    }

    @Override
    public int numClasses() {
        return base.numClasses();
    }

    @Override
    public int featureDim() {
        return base.featureDim();
    }

    @Override
    public float[][] scores(float[][] features) {
        float[][] logits = base.logits(features);
        for (float[] row : logits) {
            for (int c = 0; c < row.length; c++) {
                row[c] *= scales[c];
            }
        }
        return logits;
    }
}
