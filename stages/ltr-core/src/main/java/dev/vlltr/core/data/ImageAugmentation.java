package dev.vlltr.core.data;

import java.util.List;
import java.util.Random;

/**
 * An in-place operation on one CHW float image (values on the [0, 1] scale before {@link Normalize}). Randomness comes
 * only from the {@link Random} passed in, so a pipeline is reproducible from a seed and safe to run on several threads
 * with one {@code Random} each. Wrap one in {@link SeededTransform} to use it as a DJL {@code Transform}.
 */
@FunctionalInterface
public interface ImageAugmentation {

    /**
     * @param image CHW pixels, modified in place
     * @param channels C
     * @param height H
     * @param width W
     * @param random the randomness to use (deterministic operations ignore it)
     */
    void apply(float[] image, int channels, int height, int width, Random random);

    /** @return the operation that does nothing */
    static ImageAugmentation identity() {
        return (image, c, h, w, random) -> { };
    }

    /**
     * @param steps operations, applied in order
     * @return their composition
     */
    static ImageAugmentation compose(ImageAugmentation... steps) {
        List<ImageAugmentation> list = List.of(steps);
        return (image, c, h, w, random) -> {
            for (ImageAugmentation step : list) {
                step.apply(image, c, h, w, random);
            }
        };
    }

    /**
     * The LDAM-DRW / CIFAR-LT training recipe: random crop with zero padding, horizontal flip (p 0.5), normalisation.
     *
     * @param side the image side (28 → padding 2, otherwise 4, see {@link RandomCropWithPadding#defaultPadding(int)})
     * @param mean per-channel mean
     * @param std per-channel standard deviation
     * @return crop, flip, normalise
     */
    static ImageAugmentation standardTraining(int side, float[] mean, float[] std) {
        return compose(new RandomCropWithPadding(RandomCropWithPadding.defaultPadding(side)),
                new RandomHorizontalFlip(RandomHorizontalFlip.DEFAULT_PROBABILITY), new Normalize(mean, std));
    }

    /** @return {@link #standardTraining} for Fashion-MNIST (pad 2, mean 0.2860, std 0.3530) */
    static ImageAugmentation fashionMnistTraining() {
        return standardTraining(FashionMnist.SIZE, new float[] {FashionMnist.MEAN}, new float[] {FashionMnist.STD});
    }

    /** @return normalisation only, for evaluation on Fashion-MNIST */
    static ImageAugmentation fashionMnistEvaluation() {
        return new Normalize(new float[] {FashionMnist.MEAN}, new float[] {FashionMnist.STD});
    }
}
