package dev.vlltr.core.data;

import java.util.Arrays;
import java.util.Random;

/** torchvision {@code Normalize(mean, std)}: {@code (x - mean_c) / std_c} per channel; deterministic. */
public final class Normalize implements Augmentation {

    private final float[] mean;
    private final float[] std;

    public Normalize(float[] mean, float[] std) {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("normalize: fields 'mean' " + Arrays.toString(mean) + " and 'std' "
                    + Arrays.toString(std) + " must have one entry per channel");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("normalize: field 'std' " + Arrays.toString(std)
                        + " must be positive");
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Fashion-MNIST: mean 0.2860, std 0.3530. */
    public static Normalize fashionMnist() {
        return new Normalize(new float[] {FashionMnist.MEAN}, new float[] {FashionMnist.STD});
    }

    @Override
    public void apply(float[] data, int offset, int channels, int height, int width, Random rng) {
        if (channels != mean.length) {
            throw new IllegalArgumentException("normalize: image has " + channels + " channels, mean/std have "
                    + mean.length);
        }
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            int base = offset + c * plane;
            float m = mean[c];
            float s = std[c];
            for (int k = 0; k < plane; k++) {
                data[base + k] = (data[base + k] - m) / s;
            }
        }
    }

    @Override
    public String toString() {
        return "Normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
