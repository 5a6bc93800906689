package dev.vlltr.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import dev.vlltr.core.nd.GraphScalars;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CVLP pre-training objective {@code L = (1−λ)·L_ccl + λ·L_dis}, λ being the distillation weight.
 *
 * <p>Official code ({@code losses.py} {@code PretrainSentLoss}): {@code loss = (1 − β)·loss + β·distill_loss} with
 * {@code distillation_beta = 0.5} in every pre-train config, i.e. {@code λ = β = 0.5} (the default here). Without a
 * teacher the loss is {@code L_ccl} alone ({@code λ = 0}) and {@link #build} logs so; {@link #getEffectiveLambda()}
 * reports the value actually used.
 *
 * <p>Labels: {@code [y (B)]}. Predictions: {@code [image (B, D), text (B, D), scale]} plus, when a teacher is set,
 * {@code teacherLogitsPerImage (B, B)} as the fourth array.
 */
public final class CvlpLoss extends Loss {

    /** The official λ ({@code distillation_beta}). */
    public static final double DEFAULT_LAMBDA = 0.5;

    private static final Logger LOG = LoggerFactory.getLogger(CvlpLoss.class);

    private final MultiPositiveContrastiveLoss contrastive;
    private final boolean withTeacher;
    private final double lambda;

    private CvlpLoss(Builder builder) {
        super("CvlpLoss");
        this.contrastive = builder.contrastive;
        this.withTeacher = builder.withTeacher;
        this.lambda = builder.withTeacher ? builder.lambda : 0.0;
    }

    /** @return a builder (no teacher, λ = 0.5 once a teacher is set) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return λ actually applied (weight of L_dis): the configured value with a teacher, 0 without */
    public double getEffectiveLambda() {
        return lambda;
    }

    /** @return whether a fourth prediction (teacher logits) is expected */
    public boolean hasTeacher() {
        return withTeacher;
    }

    /** @return the contrastive part */
    public MultiPositiveContrastiveLoss getContrastive() {
        return contrastive;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return components(labels, predictions).get(0);
    }

    /**
     * @param labels {@code [y]}
     * @param predictions {@code [image, text, scale(, teacherLogitsPerImage)]}
     * @return {@code [L, L_ccl, L_dis]} ({@code L_dis} only with a teacher)
     */
    public NDList components(NDList labels, NDList predictions) {
        NDArray ccl = contrastive.evaluate(labels, predictions);
        if (!withTeacher) {
            return new NDList(ccl, ccl);
        }
        if (predictions.size() < 4) {
            throw new IllegalArgumentException(
                    "CVLP loss with a teacher expects predictions [image, text, scale, teacher logits per image], got "
                            + predictions.size() + " arrays");
        }
        NDArray student = contrastive.logitsPerImage(predictions.get(0), predictions.get(1), predictions.get(2));
        NDArray dis = SoftTargetDistillationLoss.compute(student, predictions.get(3));
        // GraphScalars, not mul(Number): DJL's scalar is Java memory the graph would outlive
        NDArray total = GraphScalars.mul(ccl, (float) (1 - lambda)).add(GraphScalars.mul(dis, (float) lambda));
        return new NDList(total, ccl, dis);
    }

    /** Builder of {@link CvlpLoss}. */
    public static final class Builder {
        private MultiPositiveContrastiveLoss contrastive = MultiPositiveContrastiveLoss.builder().build();
        private boolean withTeacher;
        private double lambda = DEFAULT_LAMBDA;

        Builder() {}

        /**
         * @param loss the contrastive part (default: smoothing 0.1, normalised features)
         * @return this builder
         */
        public Builder optContrastive(MultiPositiveContrastiveLoss loss) {
            this.contrastive = loss;
            return this;
        }

        /**
         * @param teacher whether a teacher's logits are passed as the fourth prediction (default false)
         * @return this builder
         */
        public Builder optTeacher(boolean teacher) {
            this.withTeacher = teacher;
            return this;
        }

        /**
         * @param lambda weight of {@code L_dis} in [0, 1] when a teacher is set (default 0.5)
         * @return this builder
         */
        public Builder optLambda(double lambda) {
            if (!(lambda >= 0 && lambda <= 1)) {
                throw new IllegalArgumentException("λ (weight of L_dis) must be in [0, 1], got " + lambda);
            }
            this.lambda = lambda;
            return this;
        }

        /** @return the loss; logs the effective λ */
        public CvlpLoss build() {
            CvlpLoss loss = new CvlpLoss(this);
            if (withTeacher) {
                LOG.info("CVLP loss: L = {}·L_ccl + {}·L_dis (teacher set)", 1 - loss.lambda, loss.lambda);
            } else {
                LOG.info("CVLP loss: no teacher set, so λ = 0 and L = L_ccl (no distillation)");
            }
            return loss;
        }
    }
}
