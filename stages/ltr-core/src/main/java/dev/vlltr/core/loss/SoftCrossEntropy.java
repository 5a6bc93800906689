package dev.vlltr.core.loss;

import ai.djl.ndarray.NDArray;
import dev.vlltr.core.nd.GraphScalars;
import dev.vlltr.core.nd.ScalarConstants;

/**
 * Row-wise soft-target cross-entropy with optional label smoothing, the building block of every loss here.
 *
 * <p>Per row {@code i}: {@code (1-ε)·(−Σ_j t_ij log p_ij) + ε·(−mean_j log p_ij)} with {@code p = softmax(x_i)},
 * then the mean over rows. This is timm's {@code LabelSmoothingCrossEntropy} as VL-LTR's {@code losses.py} extends it
 * to 2-D targets ({@code ε = 0} gives {@code SoftTargetCrossEntropy}).
 */
public final class SoftCrossEntropy {

    private SoftCrossEntropy() {}

    /**
     * Computes the mean over rows of the smoothed soft-target cross-entropy.
     *
     * @param logits {@code (N, K)} logits
     * @param targets {@code (N, K)} target distribution per row (rows should sum to 1)
     * @param smoothing the label-smoothing factor {@code ε ∈ [0, 1)}
     * @return a scalar NDArray
     */
    public static NDArray mean(NDArray logits, NDArray targets, double smoothing) {
        return mean(logits, targets, smoothing, null);
    }

    /**
     * As {@link #mean(NDArray, NDArray, double)}, the smoothing weights taken from {@code constants} (made once instead
     * of per call; same values, bit-identical results) unless it is null.
     */
    public static NDArray mean(NDArray logits, NDArray targets, double smoothing, ScalarConstants constants) {
        if (logits.getShape().dimension() != 2 || !logits.getShape().equals(targets.getShape())) {
            throw new IllegalArgumentException(
                    "soft cross-entropy expects logits and targets of the same 2-D shape, got logits "
                            + logits.getShape() + " and targets " + targets.getShape());
        }
        checkSmoothing(smoothing);
        NDArray logProbs = logits.logSoftmax(1);
        NDArray nll = targets.mul(logProbs).sum(new int[] {1}).neg();
        if (smoothing == 0) {
            return nll.mean();
        }
        NDArray smooth = logProbs.mean(new int[] {1}).neg();
        float keep = (float) (1 - smoothing);
        if (constants != null) {
            return nll.mul(constants.fixedLike(nll, keep))
                    .add(smooth.mul(constants.fixedLike(smooth, (float) smoothing)))
                    .mean();
        }
        // GraphScalars, not mul(Number): DJL's scalar is Java memory the graph would outlive
        return GraphScalars.mul(nll, keep).add(GraphScalars.mul(smooth, (float) smoothing)).mean();
    }

    static void checkSmoothing(double smoothing) {
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + smoothing);
        }
    }
}
