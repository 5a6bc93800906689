package dev.vlltr.core.dataset;

/**
 * What the dataset's transforms share: the output geometry ({@code channels × size × size}) and the closing
 * {@code Normalize} with the spec's mean and std.
 */
abstract class GeometryTransform implements ImageTransform {

    final int channels;
    final int size;
    private final float[] mean;
    private final float[] std;

    GeometryTransform(DatasetSpec.Geometry g, int size) {
        this.channels = g.channels();
        this.size = size;
        this.mean = ImageTransform.floats(g.mean());
        this.std = ImageTransform.floats(g.std());
    }

    @Override
    public final int channels() {
        return channels;
    }

    @Override
    public final int size() {
        return size;
    }

    /** torchvision {@code Normalize} of the {@code channels × size × size} floats at {@code offset}. */
    final void normalise(float[] dst, int offset) {
        ImageTransform.normalise(dst, offset, channels, size * size, mean, std);
    }
}
