package dev.vlltr.core.dataset;

import dev.vlltr.core.data.AugmentationPipeline;
import dev.vlltr.core.data.HorizontalFlip;
import dev.vlltr.core.data.Normalize;
import dev.vlltr.core.data.RandomCrop;
import java.util.ArrayList;
import java.util.List;

/**
 * The spec's geometry as the in-memory path's augmentations, applied to images already at their training size:
 * train {@code RandomCrop(size, padding)} + {@code RandomHorizontalFlip(flip)} + {@code Normalize(mean, std)}, eval
 * {@code Normalize} only (the resize and centre crop were applied when the images were loaded). For the Fashion-MNIST
 * specs this is exactly {@code AugmentationPipeline.fashionMnistTrain/Eval}. A random-resized crop or colour jitter
 * needs the encoded image, so only the streaming loader ({@link ImageTransform#train}) applies them.
 */
public final class SpecAugmentation {

    private SpecAugmentation() {
    }

    /** @return whether the in-memory path can apply the spec's training geometry faithfully */
    public static boolean inMemoryTrainable(DatasetSpec.Geometry g) {
        DatasetSpec.TrainGeometry t = g.train();
        return t == null || (t.randomResizedCrop() == null && t.colorJitter() == null);
    }

    /** @throws DatasetSpecException when the spec asks for a random-resized crop or colour jitter */
    public static AugmentationPipeline train(DatasetSpec.Geometry g, String specName) {
        if (!inMemoryTrainable(g)) {
            throw new DatasetSpecException(specName + ": field 'geometry.train' asks for a random-resized crop or"
                    + " colour jitter, which the in-memory loader cannot apply; use the streaming loader");
        }
        List<dev.vlltr.core.data.Augmentation> steps = new ArrayList<>();
        DatasetSpec.TrainGeometry t = g.train();
        if (t != null && t.randomCrop() != null && t.randomCrop().padding() != null) {
            steps.add(new RandomCrop(t.randomCrop().padding()));
        }
        if (t != null && t.flip() != null && t.flip() > 0) {
            steps.add(new HorizontalFlip(t.flip()));
        }
        steps.add(normalize(g));
        return new AugmentationPipeline(steps);
    }

    /** Evaluation on images already resized and cropped: {@code Normalize(mean, std)}. */
    public static AugmentationPipeline eval(DatasetSpec.Geometry g) {
        return AugmentationPipeline.of(normalize(g));
    }

    public static Normalize normalize(DatasetSpec.Geometry g) {
        return new Normalize(ImageTransform.floats(g.mean()), ImageTransform.floats(g.std()));
    }

    /** @return the per-channel mean as floats */
    public static float[] mean(DatasetSpec.Geometry g) {
        return ImageTransform.floats(g.mean());
    }

    /** @return the per-channel std as floats */
    public static float[] std(DatasetSpec.Geometry g) {
        return ImageTransform.floats(g.std());
    }
}
