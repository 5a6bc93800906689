package dev.vlltr.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import dev.vlltr.core.nd.GraphScalars;

/**
 * The class-wise contrastive loss of VL-LTR ({@code L_ccl}), which is also UniCL's bidirectional loss.
 *
 * <p>Inputs (as a DJL {@link Loss}): {@code labels = [y]} with {@code y} of shape {@code (B)} (class ids; UniCL
 * image-text pairs simply carry a unique id), {@code predictions = [image (B, D), text (B, D), scale]} where {@code
 * scale} is the multiplicative logit scale {@code s = exp(θ)} (shape {@code ()} or {@code (1)}), e.g. from {@link
 * dev.vlltr.core.model.LogitScale}.
 *
 * <p>Definition (official {@code models/pretrain.py}, {@code engine.py::labels2idxs}, {@code losses.py}):
 *
 * <ul>
 *   <li>{@code u = image/‖image‖}, {@code v = text/‖text‖} (option {@link Builder#optNormalizeFeatures}, default on;
 *       harmless when the features are already normalised);
 *   <li>{@code logits_per_image = s·u vᵀ}, {@code logits_per_text = logits_per_imageᵀ};
 *   <li>targets {@code T_ij = [y_i = y_j]} (diagonal included), row-normalised: {@code T_ij / Σ_k T_ik} — the same
 *       symmetric matrix for both directions;
 *   <li>per direction: {@link SoftCrossEntropy} with label smoothing {@code ε} (default {@value #DEFAULT_SMOOTHING},
 *       VL-LTR's {@code loss_type="smoothCE"}): per row {@code (1-ε)(−Σ t log p) + ε(−mean log p)}, mean over rows;
 *   <li>{@code L = (L_i2t + L_t2i) / 2} — the code averages (the VL-LTR paper writes a sum).
 * </ul>
 *
 * <p>With {@code ε = 0} this is exactly UniCL's {@code L_BiC} (Algorithm 1, directions averaged).
 */
public final class MultiPositiveContrastiveLoss extends Loss {

    /** VL-LTR's label smoothing for {@code smoothCE}. */
    public static final double DEFAULT_SMOOTHING = 0.1;

    /** {@code F.normalize}'s epsilon. */
    static final double NORM_EPS = 1e-12;

    private final double smoothing;
    private final boolean normalizeFeatures;

    private MultiPositiveContrastiveLoss(Builder builder) {
        super(builder.name);
        this.smoothing = builder.smoothing;
        this.normalizeFeatures = builder.normalizeFeatures;
    }

    /** @return a builder with the faithful defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the label-smoothing factor ε */
    public double getSmoothing() {
        return smoothing;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDList both = directionalLosses(labels.singletonOrThrow(), predictions);
        return GraphScalars.div(both.get(0).add(both.get(1)), 2f); // not div(Number): see GraphScalars
    }

    /**
     * The two directional losses, for logging.
     *
     * @param labels class ids {@code (B)}
     * @param predictions {@code [image (B, D), text (B, D), scale]}
     * @return {@code [L_i2t (image→text rows), L_t2i (text→image rows)]}
     */
    public NDList directionalLosses(NDArray labels, NDList predictions) {
        if (predictions.size() < 3) {
            throw new IllegalArgumentException(
                    "contrastive loss expects predictions [image features, text features, logit scale], got "
                            + predictions.size() + " arrays");
        }
        NDArray logitsPerImage = logitsPerImage(predictions.get(0), predictions.get(1), predictions.get(2));
        NDArray targets = sameLabelTargets(labels);
        if (targets.getShape().get(0) != logitsPerImage.getShape().get(0)) {
            throw new IllegalArgumentException(
                    "labels have " + targets.getShape().get(0) + " entries but the batch has "
                            + logitsPerImage.getShape().get(0) + " image/text pairs");
        }
        NDArray i2t = SoftCrossEntropy.mean(logitsPerImage, targets, smoothing);
        NDArray t2i = SoftCrossEntropy.mean(logitsPerImage.transpose(), targets, smoothing);
        return new NDList(i2t, t2i);
    }

    /**
     * {@code s · norm(image) · norm(text)ᵀ}.
     *
     * @param image {@code (B, D)} image features
     * @param text {@code (B, D)} text features
     * @param scale the multiplicative logit scale, shape {@code ()} or {@code (1)}
     * @return {@code (B, B)} logits per image; the logits per text are its transpose
     */
    public NDArray logitsPerImage(NDArray image, NDArray text, NDArray scale) {
        if (image.getShape().dimension() != 2 || !image.getShape().equals(text.getShape())) {
            throw new IllegalArgumentException(
                    "image and text features must both be (B, D), got " + image.getShape() + " and "
                            + text.getShape());
        }
        if (scale.size() != 1) {
            throw new IllegalArgumentException("logit scale must be a single value, got shape " + scale.getShape());
        }
        NDArray u = normalizeFeatures ? image.normalize(2, 1, NORM_EPS) : image;
        NDArray v = normalizeFeatures ? text.normalize(2, 1, NORM_EPS) : text;
        return u.matMul(v.transpose()).mul(scale.reshape(1, 1));
    }

    /**
     * Row-normalised same-label matrix {@code T_ij = [y_i = y_j] / |{k : y_k = y_i}|}.
     *
     * @param labels class ids {@code (B)}
     * @return {@code (B, B)} float32 targets
     */
    public static NDArray sameLabelTargets(NDArray labels) {
        if (labels.getShape().dimension() != 1) {
            throw new IllegalArgumentException(
                    "contrastive labels must be a 1-D array of class ids, got shape " + labels.getShape());
        }
        long b = labels.size();
        NDArray same = labels.reshape(b, 1).eq(labels.reshape(1, b)).toType(DataType.FLOAT32, false);
        return same.div(same.sum(new int[] {1}, true));
    }

    /** Builder of {@link MultiPositiveContrastiveLoss}. */
    public static final class Builder {
        private String name = "ContrastiveLoss";
        private double smoothing = DEFAULT_SMOOTHING;
        private boolean normalizeFeatures = true;

        Builder() {}

        /**
         * @param smoothing label smoothing ε in [0, 1); default {@value #DEFAULT_SMOOTHING} (VL-LTR {@code smoothCE});
         *     0 gives VL-LTR's {@code softCE} / UniCL's loss
         * @return this builder
         */
        public Builder optLabelSmoothing(double smoothing) {
            SoftCrossEntropy.checkSmoothing(smoothing);
            this.smoothing = smoothing;
            return this;
        }

        /**
         * @param normalize whether to L2-normalise the features first (default true, as the official models do
         *     before computing logits); false when the caller feeds pre-normalised features and wants raw dot products
         * @return this builder
         */
        public Builder optNormalizeFeatures(boolean normalize) {
            this.normalizeFeatures = normalize;
            return this;
        }

        /**
         * @param name the loss name shown by DJL's training listeners
         * @return this builder
         */
        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        /** @return the loss */
        public MultiPositiveContrastiveLoss build() {
            return new MultiPositiveContrastiveLoss(this);
        }
    }
}
