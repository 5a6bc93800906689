package dev.vlltr.core.data;

import java.util.List;
import java.util.Random;

/**
 * Applies augmentations in order (as torchvision {@code Compose}); images enter scaled to [0, 1]
 * ({@link ImageDataset#imageAsFloats}).
 */
public final class AugmentationPipeline implements Augmentation {

    private final List<Augmentation> steps;

    public AugmentationPipeline(List<Augmentation> steps) {
        this.steps = List.copyOf(steps);
    }

    public static AugmentationPipeline of(Augmentation... steps) {
        return new AugmentationPipeline(List.of(steps));
    }

    /** Fashion-MNIST training: RandomCrop(28, padding=2), RandomHorizontalFlip(0.5), Normalize(0.2860, 0.3530). */
    public static AugmentationPipeline fashionMnistTrain() {
        return of(new RandomCrop(2), new HorizontalFlip(0.5), Normalize.fashionMnist());
    }

    /** Fashion-MNIST evaluation: Normalize(0.2860, 0.3530) only. */
    public static AugmentationPipeline fashionMnistEval() {
        return of(Normalize.fashionMnist());
    }

    public List<Augmentation> steps() {
        return steps;
    }

    @Override
    public void apply(float[] data, int offset, int channels, int height, int width, Random rng) {
        for (Augmentation step : steps) {
            step.apply(data, offset, channels, height, width, rng);
        }
    }

    @Override
    public String toString() {
        return "AugmentationPipeline" + steps;
    }
}
