package dev.vlltr.core.data;

import java.util.Random;

/**
 * An image transform on a float {@code C × H × W} image stored at {@code data[offset ..]}, applied in place. Random
 * transforms draw only from the {@link Random} passed in (the loader gives each batch its own seeded one), never from
 * a global generator. Implementations must be stateless (or otherwise thread-safe): the {@link BatchLoader} calls one
 * instance from several producer threads.
 */
@FunctionalInterface
public interface Augmentation {

    void apply(float[] data, int offset, int channels, int height, int width, Random rng);
}
