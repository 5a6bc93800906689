package dev.vlltr.core.dataset;

import java.util.Random;

/**
 * Encoded image bytes to a normalised float {@code C × size × size} tensor (torchvision's {@code Compose} of geometry,
 * {@code ToTensor}, {@code Normalize}). Random transforms draw only from the {@link Random} given (the loader seeds one
 * per image from seed, epoch and position), so the output is a pure function of its arguments. Implementations are
 * stateless: the loader's workers share one.
 */
public interface ImageTransform {

    int channels();

    /** @return the side of the square output */
    int size();

    /**
     * @param encoded JPEG or PNG bytes
     * @param where   names the image in messages
     * @param dst     receives {@code channels × size × size} floats at {@code offset}
     */
    void apply(byte[] encoded, String where, Random rng, float[] dst, int offset);

    /** The spec's training transform. */
    static ImageTransform train(DatasetSpec.Geometry g) {
        return new TrainTransform(g);
    }

    /** The spec's evaluation transform (deterministic; the {@code rng} is not used). */
    static ImageTransform eval(DatasetSpec.Geometry g) {
        return new EvalTransform(g);
    }

    /** {@code (x - mean_c) / std_c} in place. */
    static void normalise(float[] dst, int offset, int channels, int plane, float[] mean, float[] std) {
        for (int c = 0; c < channels; c++) {
            int base = offset + c * plane;
            float m = mean[c];
            float inv = 1f / std[c];
            for (int k = 0; k < plane; k++) {
                dst[base + k] = (dst[base + k] - m) * inv;
            }
        }
    }

    static float[] floats(java.util.List<Double> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }
}
