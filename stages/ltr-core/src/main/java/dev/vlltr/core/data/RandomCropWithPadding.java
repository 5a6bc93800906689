package dev.vlltr.core.data;

import java.util.Random;

/**
 * torchvision's {@code RandomCrop(size, padding=p)} at the original size: zero-pad every side by {@code p}, then cut
 * the original size at a uniformly random offset {@code (i, j) ∈ [0, 2p]²} (row offset drawn first, as torchvision).
 * Zero padding happens before normalisation, i.e. black.
 */
public final class RandomCropWithPadding implements ImageAugmentation {

    private final int padding;

    /**
     * @param padding zero padding per side (0 disables the crop)
     */
    public RandomCropWithPadding(int padding) {
        if (padding < 0) {
            throw new IllegalArgumentException("random crop: padding must be >= 0, got " + padding);
        }
        this.padding = padding;
    }

    /**
     * @param side image side in pixels
     * @return 2 for 28-pixel (and smaller) images such as Fashion-MNIST, 4 otherwise (the CIFAR recipe for 32 pixels)
     */
    public static int defaultPadding(int side) {
        return side <= 28 ? 2 : 4;
    }

    /** @return padding per side */
    public int padding() {
        return padding;
    }

    @Override
    public void apply(float[] image, int channels, int height, int width, Random random) {
        if (padding == 0) {
            return;
        }
        int dy = random.nextInt(2 * padding + 1) - padding;
        int dx = random.nextInt(2 * padding + 1) - padding;
        crop(image, channels, height, width, dy, dx);
    }

    /** Output (y, x) = input (y + dy, x + dx), zero outside. */
    static void crop(float[] image, int channels, int height, int width, int dy, int dx) {
        float[] src = image.clone();
        for (int c = 0; c < channels; c++) {
            int base = c * height * width;
            for (int y = 0; y < height; y++) {
                int sy = y + dy;
                for (int x = 0; x < width; x++) {
                    int sx = x + dx;
                    image[base + y * width + x] =
                            sy >= 0 && sy < height && sx >= 0 && sx < width ? src[base + sy * width + sx] : 0f;
                }
            }
        }
    }
}
