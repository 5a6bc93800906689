package dev.vlltr.core.model.clip;

import ai.djl.training.initializer.Initializer;

/** PyTorch's and CLIP's initialisations (seeded through {@code Engine.setRandomSeed}). */
final class ClipInit {

    private ClipInit() {}

    /** {@code nn.init.normal_(w, std=σ)}. */
    static Initializer normal(double std) {
        return (m, shape, type) -> m.randomNormal(0f, (float) std, shape, type);
    }

    /** {@code U(−b, b)}. */
    static Initializer uniform(double bound) {
        return (m, shape, type) -> m.randomUniform((float) -bound, (float) bound, shape, type);
    }

    /**
     * PyTorch's default for {@code nn.Linear}/{@code nn.Conv2d} weights and biases: {@code kaiming_uniform_(a=√5)}
     * = {@code U(±1/√fan_in)}, the bias the same bound.
     */
    static Initializer torchDefault(long fanIn) {
        return uniform(1 / Math.sqrt(fanIn));
    }

    /** {@code xavier_uniform_}: {@code U(±√(6/(fan_in+fan_out)))} (nn.MultiheadAttention's in_proj_weight). */
    static Initializer xavierUniform(long fanIn, long fanOut) {
        return uniform(Math.sqrt(6.0 / (fanIn + fanOut)));
    }
}
