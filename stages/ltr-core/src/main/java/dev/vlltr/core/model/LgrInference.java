package dev.vlltr.core.model;

import ai.djl.ndarray.NDArray;

/**
 * LGR's prediction rules (official {@code engine.py::evaluate_LT}, {@code calc_class_acc}).
 *
 * <ul>
 *   <li>Top-line accuracy: {@code p = α·softmax(P^I) + (1−α)·softmax(P^T)}, {@code α} default {@value
 *       #DEFAULT_ALPHA} ({@value #INAT_ALPHA} for iNaturalist in the official configs).
 *   <li>The official many/medium/few numbers use {@code argmax(P^I + P^T)} (raw-logit sum) instead; {@link
 *       #predictRawSum} reproduces it so that both can be reported.
 * </ul>
 */
public final class LgrInference {

    /** α for ImageNet-LT / Places-LT. */
    public static final double DEFAULT_ALPHA = 0.2;
    /** α for iNaturalist-2018. */
    public static final double INAT_ALPHA = 0.7;

    private final double alpha;

    /** Uses {@code α = 0.2}. */
    public LgrInference() {
        this(DEFAULT_ALPHA);
    }

    /** @param alpha weight of the visual branch, in [0, 1] */
    public LgrInference(double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("LGR α (weight of softmax(P^I)) must be in [0, 1], got " + alpha);
        }
        this.alpha = alpha;
    }

    /** @return α */
    public double getAlpha() {
        return alpha;
    }

    /**
     * @param pI {@code (B, C)} visual-branch logits
     * @param pT {@code (B, C)} language-branch logits
     * @return {@code (B, C)} probabilities {@code α softmax(P^I) + (1−α) softmax(P^T)}
     */
    public NDArray mixedProbabilities(NDArray pI, NDArray pT) {
        check(pI, pT);
        return pI.softmax(1).mul((float) alpha).add(pT.softmax(1).mul((float) (1 - alpha)));
    }

    /**
     * @param pI visual-branch logits
     * @param pT language-branch logits
     * @return {@code (B)} int64 class ids of the α-mix
     */
    public NDArray predictMixed(NDArray pI, NDArray pT) {
        return mixedProbabilities(pI, pT).argMax(1);
    }

    /**
     * @param pI visual-branch logits
     * @param pT language-branch logits
     * @return {@code (B)} int64 class ids of {@code argmax(P^I + P^T)}
     */
    public static NDArray predictRawSum(NDArray pI, NDArray pT) {
        check(pI, pT);
        return pI.add(pT).argMax(1);
    }

    /** Top-1 accuracies of one split: the prediction (α-mix, or P^I alone), argmax(P^I + P^T), each branch. */
    public record Accuracy(double top1, double top1Sum, double top1Image, double top1Text) {}

    /**
     * The same rules on rows of logits held in Java arrays (what the stages read from feature tables), computed in
     * double precision.
     *
     * @param pI         visual-branch logits, one row per sample
     * @param pT         language-branch logits
     * @param labels     true classes
     * @param textBranch whether the language branch was trained: the prediction is the α-mix, else {@code P^I}
     * @return the four top-1 accuracies
     */
    public Accuracy accuracy(float[][] pI, float[][] pT, int[] labels, boolean textBranch) {
        int mix = 0;
        int sum = 0;
        int img = 0;
        int txt = 0;
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i];
            mix += argmax(mixedProbabilities(pI[i], pT[i])) == y ? 1 : 0;
            sum += argmax(rawSum(pI[i], pT[i])) == y ? 1 : 0;
            img += argmax(pI[i]) == y ? 1 : 0;
            txt += argmax(pT[i]) == y ? 1 : 0;
        }
        double n = labels.length;
        return new Accuracy((textBranch ? mix : img) / n, sum / n, img / n, txt / n);
    }

    /**
     * @param textBranch whether the language branch was trained
     * @return per row the predicted probabilities: the α-mix, or {@code softmax(P^I)} without the language branch
     */
    public float[][] probabilities(float[][] pI, float[][] pT, boolean textBranch) {
        float[][] out = new float[pI.length][];
        for (int i = 0; i < pI.length; i++) {
            out[i] = textBranch ? mixedProbabilities(pI[i], pT[i]) : softmax(pI[i]);
        }
        return out;
    }

    /** @return one row's {@code α softmax(P^I) + (1−α) softmax(P^T)} */
    public float[] mixedProbabilities(float[] pI, float[] pT) {
        float[] a = softmax(pI);
        float[] b = softmax(pT);
        float[] out = new float[a.length];
        for (int k = 0; k < a.length; k++) {
            out[k] = (float) (alpha * a[k] + (1 - alpha) * b[k]);
        }
        return out;
    }

    /** @return one row's raw-logit sum {@code P^I + P^T} */
    public static float[] rawSum(float[] pI, float[] pT) {
        float[] out = new float[pI.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = pI[k] + pT[k];
        }
        return out;
    }

    /** @return every row's raw-logit sum */
    public static float[][] rawSum(float[][] pI, float[][] pT) {
        float[][] out = new float[pI.length][];
        for (int i = 0; i < pI.length; i++) {
            out[i] = rawSum(pI[i], pT[i]);
        }
        return out;
    }

    /** @return the softmax of one row, max-shifted and accumulated in double */
    public static float[] softmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[z.length];
        for (int k = 0; k < z.length; k++) {
            e[k] = Math.exp(z[k] - max);
            sum += e[k];
        }
        float[] out = new float[z.length];
        for (int k = 0; k < z.length; k++) {
            out[k] = (float) (e[k] / sum);
        }
        return out;
    }

    /** @return the index of the largest value, the first on ties (as {@code torch.argmax}) */
    public static int argmax(float[] row) {
        int best = 0;
        for (int k = 1; k < row.length; k++) {
            if (row[k] > row[best]) {
                best = k;
            }
        }
        return best;
    }

    private static void check(NDArray pI, NDArray pT) {
        if (pI.getShape().dimension() != 2 || !pI.getShape().equals(pT.getShape())) {
            throw new IllegalArgumentException(
                    "P^I and P^T must both be (B, C), got " + pI.getShape() + " and " + pT.getShape());
        }
    }
}
