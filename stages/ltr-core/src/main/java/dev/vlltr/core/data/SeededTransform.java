package dev.vlltr.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Transform;
import java.util.Random;

/**
 * A DJL {@link Transform} that applies an {@link ImageAugmentation} with its own {@link Random} (DJL's built-in random
 * transforms use a global RNG; this one is reproducible). Input: a float CHW array (after DJL's {@code ToTensor}) or a
 * batch NCHW; each image of a batch draws from the same stream in order. The result lives in the input's manager.
 * Not thread-safe (one {@code Random}); give each thread its own instance.
 */
public final class SeededTransform implements Transform {

    private final ImageAugmentation augmentation;
    private final Random random;

    /**
     * @param augmentation what to apply
     * @param random the randomness (owned by this transform from now on)
     */
    public SeededTransform(ImageAugmentation augmentation, Random random) {
        this.augmentation = augmentation;
        this.random = random;
    }

    /**
     * @param augmentation what to apply
     * @param seed seed of a fresh {@code java.util.Random}
     */
    public SeededTransform(ImageAugmentation augmentation, long seed) {
        this(augmentation, new Random(seed));
    }

    @Override
    public NDArray transform(NDArray array) {
        Shape shape = array.getShape();
        int dims = shape.dimension();
        if (dims != 3 && dims != 4) {
            throw new IllegalArgumentException("SeededTransform expects CHW or NCHW, got shape " + shape);
        }
        int n = dims == 4 ? (int) shape.get(0) : 1;
        int c = (int) shape.get(dims - 3);
        int h = (int) shape.get(dims - 2);
        int w = (int) shape.get(dims - 1);
        float[] data = array.toType(DataType.FLOAT32, false).toFloatArray();
        int size = c * h * w;
        float[] image = new float[size];
        for (int i = 0; i < n; i++) {
            System.arraycopy(data, i * size, image, 0, size);
            augmentation.apply(image, c, h, w, random);
            System.arraycopy(image, 0, data, i * size, size);
        }
        return array.getManager().create(data, shape);
    }
}
