package dev.vlltr.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * timm's {@code trunc_normal_(w, std=σ)}: normal {@code N(0, σ²)} restricted to the <em>absolute</em> interval
 * {@code [−2, 2]} (timm's defaults {@code a=−2, b=2}), not to ±2σ as DJL's {@code TruncatedNormalInitializer}.
 * For σ = 0.02 the bound is 100σ away, so the draw is a plain normal; values are clipped to the bound for an exact
 * support. Seeded through {@code Engine.setRandomSeed}.
 */
public final class TimmTruncNormalInitializer implements Initializer {

    private final float sigma;

    /** @param sigma the standard deviation (VL-LTR: 0.02) */
    public TimmTruncNormalInitializer(float sigma) {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("trunc-normal σ must be positive, got " + sigma);
        }
        this.sigma = sigma;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        return manager.randomNormal(0f, sigma, shape, dataType).clip(-2f, 2f);
    }
}
