package dev.vlltr.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * The learnable temperature of CLIP-style contrastive training: a scalar parameter {@code θ} (the log of the logit
 * scale); the block outputs the multiplicative scale {@code s = exp(min(θ, θ_max))} (shape {@code (1)}).
 *
 * <p>Defaults: {@code θ₀ = ln(1/0.07)} (CLIP's initialisation; VL-LTR starts from the CLIP checkpoint's value, which
 * is {@code ln 100} — pass it with {@link Builder#optInitialValue}); clamp {@code θ_max = ln 100} applied in the
 * forward pass (gradient 0 while clamped), as CLIP-style training does. VL-LTR's own code never clamps: {@code
 * optMaxValue(Double.POSITIVE_INFINITY)} reproduces that. UniCL initialises {@code θ₀ = 1}.
 *
 * <p>Weight decay is the trainer's business: VL-LTR's 0-dim {@code logit_scale} falls in timm's weight-decay group,
 * UniCL excludes it ({@code no_weight_decay}); here θ has shape {@code (1)}.
 *
 * <p>The block takes no input (pass an empty {@link NDList}), or one array that only names the manager its results
 * join (e.g. the batch's images; otherwise they join θ's, the model's, and stay there until the model closes).
 */
public final class LogitScale extends AbstractBlock {

    /** CLIP's initial {@code θ = ln(1/0.07)}. */
    public static final double CLIP_INIT = Math.log(1 / 0.07);
    /** CLIP's clamp {@code ln 100}. */
    public static final double CLIP_MAX = Math.log(100);

    private final double maxValue;
    private final Parameter theta;

    private LogitScale(Builder builder) {
        this.maxValue = builder.maxValue;
        theta = addParameter(
                Parameter.builder()
                        .setName("logit_scale")
                        .setType(Parameter.Type.OTHER)
                        .optShape(new Shape(1))
                        .optInitializer(new ConstantInitializer((float) builder.initialValue))
                        .optRequiresGrad(builder.learnable)
                        .build());
    }

    /** @return a builder with CLIP's defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the clamp {@code θ_max} (infinite when disabled) */
    public double getMaxValue() {
        return maxValue;
    }

    /** @return the raw parameter {@code θ} (log of the scale) */
    public Parameter getThetaParameter() {
        return theta;
    }

    /** @return the current multiplicative scale {@code exp(min(θ, θ_max))} as a double (must be initialised) */
    public double currentScale() {
        // toFloatArray, not getFloat(0): that makes an indexed 0-d array in the model's manager, never freed
        return Math.exp(Math.min(theta.getArray().toFloatArray()[0], maxValue));
    }

    /**
     * Clamps the stored {@code θ} to {@code θ_max} in place — CLIP/open_clip's {@code logit_scale.data.clamp_(…)}
     * after each optimiser step. Optional: the forward clamp already bounds the scale, but a θ above the bound gets no
     * gradient there and would stay above it; calling this after {@code trainer.step()} keeps θ on the bound.
     *
     * @return whether θ was changed
     */
    public boolean clampParameter() {
        NDArray t = theta.getArray();
        if (!Double.isInfinite(maxValue) && t.toFloatArray()[0] > maxValue) {
            t.set(new float[] {(float) maxValue});
            return true;
        }
        return false;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray t = parameterStore.getValue(theta, theta.getArray().getDevice(), training);
        // exp(min(θ, max)); the clamp is torch.clamp's (gradient 1 inside, 0 above)
        if (inputs.isEmpty()) {
            NDArray clamped = Double.isInfinite(maxValue) ? t : t.clip(-Float.MAX_VALUE, maxValue);
            return new NDList(clamped.exp());
        }
        // Results of operations on θ join θ's manager (the model's) and would stay there until the model closes, and so
        // would the two bound arrays DJL's clip makes there (and never frees): an input names the manager they all
        // belong to (the batch's; the bounds must live until backward, which reads them).
        NDManager batch = inputs.head().getManager();
        NDArray scale;
        try (NDManager scope = batch.newSubManager()) {
            scope.tempAttachAll(t);
            NDArray clamped = Double.isInfinite(maxValue) ? t : t.clip(-Float.MAX_VALUE, maxValue);
            scale = clamped.exp();
            for (NDArray a : scope.getManagedArrays()) {
                if (a != t) {
                    a.attach(batch);
                }
            }
        }
        return new NDList(scale);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(1)};
    }

    /** Builder of {@link LogitScale}. */
    public static final class Builder {
        private double initialValue = CLIP_INIT;
        private double maxValue = CLIP_MAX;
        private boolean learnable = true;

        Builder() {}

        /**
         * @param theta0 initial {@code θ} (log of the scale); default {@code ln(1/0.07)}
         * @return this builder
         */
        public Builder optInitialValue(double theta0) {
            if (!Double.isFinite(theta0)) {
                throw new IllegalArgumentException("logit scale initial value must be finite, got " + theta0);
            }
            this.initialValue = theta0;
            return this;
        }

        /**
         * @param max clamp on {@code θ} in the forward pass; default {@code ln 100}; {@code +∞} disables it (VL-LTR)
         * @return this builder
         */
        public Builder optMaxValue(double max) {
            if (Double.isNaN(max)) {
                throw new IllegalArgumentException("logit scale clamp must be a number or +Infinity");
            }
            this.maxValue = max;
            return this;
        }

        /**
         * @param learnable whether {@code θ} is trained (default true; LGR uses a frozen copy of the CVLP value)
         * @return this builder
         */
        public Builder optLearnable(boolean learnable) {
            this.learnable = learnable;
            return this;
        }

        /** @return the block */
        public LogitScale build() {
            return new LogitScale(this);
        }
    }
}
