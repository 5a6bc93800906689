package dev.vlltr.core.calibrate;

import ai.djl.ndarray.NDArray;

/** A differentiable map from trainable parameters and an N×D feature batch to N×C logits. */
@FunctionalInterface
public interface LogitModel {

    /**
     * @param params   trainable parameters (e.g. {W, b} for a linear layer, {s} for LWS)
     * @param features N×D features
     * @return N×C logits
     */
    NDArray logits(NDArray[] params, NDArray features);

    /** {@code x Wᵀ + b} with params {W (C×D), b (C)}. */
    static LogitModel linear() {
        return (p, x) -> x.matMul(p[0].transpose()).add(p[1]);
    }

    /** {@code (x Wᵀ + b) ⊙ s} with params {s (C)}; W and b are constants (frozen). */
    static LogitModel scaledLinear(NDArray frozenWeight, NDArray frozenBias) {
        NDArray transposed = frozenWeight.transpose(); // once, in the weight's manager, not once per step
        return (p, x) -> x.matMul(transposed).add(frozenBias).mul(p[0]);
    }
}
