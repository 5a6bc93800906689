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

    private static void check(NDArray pI, NDArray pT) {
        if (pI.getShape().dimension() != 2 || !pI.getShape().equals(pT.getShape())) {
            throw new IllegalArgumentException(
                    "P^I and P^T must both be (B, C), got " + pI.getShape() + " and " + pT.getShape());
        }
    }
}
