package dev.vlltr.core.data;

import java.util.Random;

/** Per-channel {@code (x - mean_c) / std_c} (torchvision {@code Normalize}); one value applies to every channel. */
public final class Normalize implements ImageAugmentation {

    private final float[] mean;
    private final float[] std;

    /**
     * @param mean per-channel means (or one for all channels)
     * @param std per-channel standard deviations, positive (or one for all channels)
     */
    public Normalize(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("normalize: mean and std must have the same, non-zero length, got "
                    + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("normalize: std must be positive, got " + s);
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    @Override
    public void apply(float[] image, int channels, int height, int width, Random random) {
        if (mean.length != 1 && mean.length != channels) {
            throw new IllegalArgumentException("normalize: " + mean.length + " means for an image with " + channels + " channels");
        }
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            float m = mean[mean.length == 1 ? 0 : c];
            float s = std[std.length == 1 ? 0 : c];
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                image[i] = (image[i] - m) / s;
            }
        }
    }
}
