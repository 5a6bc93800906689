package dev.vlltr.core.data;

import java.util.Random;

/** torchvision {@code RandomHorizontalFlip(p)}: mirrors the image left-right with probability p (default 0.5). */
public final class HorizontalFlip implements Augmentation {

    private final double probability;

    public HorizontalFlip() {
        this(0.5);
    }

    public HorizontalFlip(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("horizontal flip: field 'probability' is " + probability
                    + ", expected 0..1");
        }
        this.probability = probability;
    }

    @Override
    public void apply(float[] data, int offset, int channels, int height, int width, Random rng) {
        if (rng.nextDouble() < probability) {
            flip(data, offset, channels * height, width);
        }
    }

    static void flip(float[] data, int offset, int rows, int width) {
        for (int r = 0; r < rows; r++) {
            int row = offset + r * width;
            for (int x = 0, y = width - 1; x < y; x++, y--) {
                float t = data[row + x];
                data[row + x] = data[row + y];
                data[row + y] = t;
            }
        }
    }

    @Override
    public String toString() {
        return "HorizontalFlip(p=" + probability + ")";
    }
}
