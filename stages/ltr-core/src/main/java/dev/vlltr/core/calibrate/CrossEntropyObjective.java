package dev.vlltr.core.calibrate;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.vlltr.core.nd.GraphScalars;
import dev.vlltr.core.nd.ScalarConstants;

/**
 * Mean softmax cross-entropy of a {@link LogitModel} over a batch ({@code nn.CrossEntropyLoss()}, the
 * {@code PerformanceLoss} of every Decoupling config) and its gradients by the engine's autograd.
 */
public final class CrossEntropyObjective {

    /** Loss value and one gradient per parameter (same order and shape as the parameters). */
    public record LossAndGradients(double loss, NDArray[] gradients) {
    }

    private CrossEntropyObjective() {
    }

    /**
     * Computes {@code -1/N Σ_i log softmax(logits_i)[y_i]} and its gradients.
     *
     * @param params leaf arrays with {@code setRequiresGradient(true)}
     * @param labels N class ids in {@code [0, C)}
     */
    public static LossAndGradients evaluate(LogitModel model, NDArray[] params, NDArray features, int[] labels) {
        return evaluate(model, params, features, labels, null);
    }

    /**
     * As {@link #evaluate(LogitModel, NDArray[], NDArray, int[])}, the divisor N taken from {@code constants} (a
     * training loop's, made once; bit-identical results) unless it is null.
     */
    public static LossAndGradients evaluate(LogitModel model, NDArray[] params, NDArray features, int[] labels,
            ScalarConstants constants) {
        long n = features.getShape().get(0);
        if (labels.length != n) {
            throw new IllegalArgumentException("CrossEntropyObjective: " + n + " feature rows but " + labels.length
                    + " labels");
        }
        double value;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = model.logits(params, features);
            int c = (int) logits.getShape().get(1);
            float[] oneHot = new float[labels.length * c];
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= c) {
                    throw new IllegalArgumentException("CrossEntropyObjective: label[" + i + "] = " + labels[i]
                            + " is outside [0, " + c + ")");
                }
                oneHot[i * c + labels[i]] = 1f;
            }
            NDArray target = features.getManager().create(oneHot, new Shape(labels.length, c));
            // GraphScalars, not div(Number): DJL's scalar is Java memory the graph would outlive
            NDArray total = logits.logSoftmax(1).mul(target).sum().neg();
            NDArray loss = constants == null ? GraphScalars.div(total, labels.length)
                    : total.div(constants.fixedLike(total, labels.length));
            gc.backward(loss);
            value = loss.getFloat();
        }
        NDArray[] grads = new NDArray[params.length];
        for (int i = 0; i < params.length; i++) {
            grads[i] = params[i].getGradient();
        }
        return new LossAndGradients(value, grads);
    }
}
