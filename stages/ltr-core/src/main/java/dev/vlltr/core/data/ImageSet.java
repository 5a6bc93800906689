package dev.vlltr.core.data;

import java.util.List;

/**
 * Labelled images of one shape that the {@link BatchLoader} can read by index: the in-memory {@link ImageDataset},
 * or {@link LazyImageList}, which decodes each image from its file when asked (on the loader's producer threads).
 * Implementations must allow concurrent reads.
 */
public interface ImageSet {

    /** @return a short description for messages */
    String name();

    int size();

    int channels();

    int height();

    int width();

    /** @return {@code C × H × W} */
    default int imageSize() {
        return channels() * height() * width();
    }

    List<String> classNames();

    default int numClasses() {
        return classNames().size();
    }

    int label(int i);

    /** @return a copy of all labels */
    int[] labels();

    /** Writes image {@code i} scaled to [0, 1] (value / 255) into {@code dst} at {@code dstOffset}. */
    void imageAsFloats(int i, float[] dst, int dstOffset);
}
