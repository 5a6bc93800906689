package dev.vlltr.core.data;

import java.util.Random;

/**
 * torchvision {@code RandomCrop(size, padding=p)} for a crop of the input size: the image is zero-padded by {@code p}
 * on every side and an {@code H × W} window is cut at a uniformly drawn offset (top, then left, each in
 * {@code 0..2p}). Applied before normalisation, so padded pixels are black, as in torchvision where the crop acts on
 * the PIL image. Defaults: 2 px for 28×28 (Fashion-MNIST), 4 px for 32×32 (the CIFAR-LT recipe).
 */
public final class RandomCrop implements Augmentation {

    private final int padding;

    public RandomCrop(int padding) {
        if (padding < 0) {
            throw new IllegalArgumentException("random crop: field 'padding' is " + padding + ", expected >= 0");
        }
        this.padding = padding;
    }

    /** @return the standard crop for this image size: padding 2 for 28 px, 4 for 32 px */
    public static RandomCrop standard(int height, int width) {
        if (height == 28 && width == 28) {
            return new RandomCrop(2);
        }
        if (height == 32 && width == 32) {
            return new RandomCrop(4);
        }
        throw new IllegalArgumentException("random crop: no standard padding for " + height + "x" + width
                + " images (known: 28x28 -> 2, 32x32 -> 4); give the padding explicitly");
    }

    public int padding() {
        return padding;
    }

    @Override
    public void apply(float[] data, int offset, int channels, int height, int width, Random rng) {
        int top = rng.nextInt(2 * padding + 1);
        int left = rng.nextInt(2 * padding + 1);
        shift(data, offset, channels, height, width, top - padding, left - padding);
    }

    /** Output pixel (y, x) = input (y + dy, x + dx), zero outside the input. */
    static void shift(float[] data, int offset, int channels, int height, int width, int dy, int dx) {
        if (dy == 0 && dx == 0) {
            return;
        }
        int plane = height * width;
        float[] src = new float[plane];
        for (int c = 0; c < channels; c++) {
            int base = offset + c * plane;
            System.arraycopy(data, base, src, 0, plane);
            for (int y = 0; y < height; y++) {
                int sy = y + dy;
                for (int x = 0; x < width; x++) {
                    int sx = x + dx;
                    data[base + y * width + x] = sy >= 0 && sy < height && sx >= 0 && sx < width
                            ? src[sy * width + sx] : 0f;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "RandomCrop(padding=" + padding + ")";
    }
}
