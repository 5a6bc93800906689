package dev.vlltr.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import dev.vlltr.core.nd.GraphScalars;

/**
 * VL-LTR's {@code L_dis} ({@code losses.py::cross_entropy}, {@code distillation_type='logits'}): the teacher's
 * softmax (temperature 1, no gradient) is the soft target of the student's logits, in both directions, averaged:
 *
 * <pre>
 *   L_dis = ( CE(Z_s, softmax(Z_t)) + CE(Z_sᵀ, softmax(Z_tᵀ)) ) / 2,   CE(x, q) = mean_i −Σ_j q_ij log softmax(x_i)_j
 * </pre>
 *
 * where {@code Z = s·u vᵀ} are the {@code (B, B)} logits per image of student and teacher on the same images and
 * sentences (each with its own logit scale). Predictions: {@code [studentLogitsPerImage, teacherLogitsPerImage]};
 * labels are ignored.
 */
public final class SoftTargetDistillationLoss extends Loss {

    /** Creates the loss with the name {@code "DistillationLoss"}. */
    public SoftTargetDistillationLoss() {
        super("DistillationLoss");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        if (predictions.size() != 2) {
            throw new IllegalArgumentException(
                    "distillation loss expects predictions [student logits, teacher logits], got "
                            + predictions.size() + " arrays");
        }
        return compute(predictions.get(0), predictions.get(1));
    }

    /**
     * @param student {@code (B, B)} student logits per image
     * @param teacher {@code (B, B)} teacher logits per image (detached here)
     * @return the scalar {@code L_dis}
     */
    public static NDArray compute(NDArray student, NDArray teacher) {
        if (!student.getShape().equals(teacher.getShape()) || student.getShape().dimension() != 2) {
            throw new IllegalArgumentException(
                    "student and teacher logits must have the same (B, B) shape, got " + student.getShape()
                            + " and " + teacher.getShape());
        }
        NDArray t = teacher.stopGradient();
        NDArray perImage = SoftCrossEntropy.mean(student, t.softmax(1), 0);
        NDArray tt = t.transpose();
        NDArray perText = SoftCrossEntropy.mean(student.transpose(), tt.softmax(1), 0);
        return GraphScalars.div(perImage.add(perText), 2f); // not div(Number): see GraphScalars
    }
}
