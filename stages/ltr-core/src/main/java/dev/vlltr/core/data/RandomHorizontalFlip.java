package dev.vlltr.core.data;

import java.util.Random;

/** Mirrors the image left-right with probability {@code p} (torchvision {@code RandomHorizontalFlip}, default 0.5). */
public final class RandomHorizontalFlip implements ImageAugmentation {

    /** torchvision's default. */
    public static final double DEFAULT_PROBABILITY = 0.5;

    private final double probability;

    /** @param probability chance of flipping, in [0, 1] */
    public RandomHorizontalFlip(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("horizontal flip: probability must be in [0, 1], got " + probability);
        }
        this.probability = probability;
    }

    @Override
    public void apply(float[] image, int channels, int height, int width, Random random) {
        if (random.nextDouble() < probability) {
            flip(image, channels, height, width);
        }
    }

    static void flip(float[] image, int channels, int height, int width) {
        for (int row = 0; row < channels * height; row++) {
            int base = row * width;
            for (int x = 0; x < width / 2; x++) {
                float tmp = image[base + x];
                image[base + x] = image[base + width - 1 - x];
                image[base + width - 1 - x] = tmp;
            }
        }
    }
}
