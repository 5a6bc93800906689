package dev.vlltr.core.data;

import java.util.List;

/**
 * Labelled images of one shape that the {@link BatchLoader} can read by index: the in-memory {@link ImageDataset},
 * or a lazy set ({@code dev.vlltr.core.dataset.LazySplitImages}) that decodes each image from
 * its file when asked (on the loader's producer threads), so its memory does not grow with its size. Labels never
 * need decoding. Implementations must allow concurrent reads.
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

    /** @return image {@code i} as {@code C × H × W} unsigned bytes (a copy, or decoded now for a lazy set) */
    byte[] imageBytes(int i);

    /**
     * Writes image {@code i} scaled to [0, 1] (value / 255, torchvision's {@code ToTensor}) into {@code dst} at
     * {@code dstOffset}; by default from {@link #imageBytes} (an in-memory set reads its array without the copy).
     */
    default void imageAsFloats(int i, float[] dst, int dstOffset) {
        if (i < 0 || i >= size()) {
            throw new IndexOutOfBoundsException(name() + ": image " + i + " of " + size());
        }
        byte[] px = imageBytes(i);
        for (int k = 0; k < px.length; k++) {
            dst[dstOffset + k] = (px[k] & 0xff) / 255f;
        }
    }

    /**
     * @param indices images to keep, in this order (repeats allowed)
     * @return the images at {@code indices} as a set of the same kind (in memory: copies; lazy: the same files)
     */
    ImageSet subset(int[] indices, String subsetName);

    /** @return whether the pixels are held in memory (reading is a copy) rather than decoded when read */
    default boolean inMemory() {
        return false;
    }

    /** @return images per class, indexed by label (from the labels alone, nothing is decoded) */
    default int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int label : labels()) {
            counts[label]++;
        }
        return counts;
    }
}
