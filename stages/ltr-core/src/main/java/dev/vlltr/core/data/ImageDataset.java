package dev.vlltr.core.data;

import java.util.List;
import java.util.Random;

/**
 * A labelled image classification dataset with a fixed output shape. Pixels are unsigned bytes in CHW order
 * (channels, height, width); labels are class indices into {@link #classNames()}.
 */
public interface ImageDataset {

    /** @return the number of images */
    int size();

    /** @return the class names, index = label */
    List<String> classNames();

    /** @return the number of classes */
    default int numClasses() {
        return classNames().size();
    }

    /**
     * @param index the image index
     * @return its label, in {@code [0, numClasses())}
     */
    int label(int index);

    /** @return a copy of all labels, in index order */
    default int[] labels() {
        int[] labels = new int[size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = label(i);
        }
        return labels;
    }

    /** @return channels of every image (1 grayscale, 3 RGB) */
    int channels();

    /** @return height of every image in pixels */
    int height();

    /** @return width of every image in pixels */
    int width();

    /**
     * Returns one image's pixels as unsigned bytes, CHW.
     *
     * @param index the image index
     * @param random randomness for datasets that decode with a random crop; {@code null} means the deterministic
     *     (evaluation) view. In-memory datasets ignore it.
     * @return a new array of {@code channels() * height() * width()} bytes
     */
    byte[] pixels(int index, Random random);

    /** Deterministic (evaluation) view of {@link #pixels(int, Random)}. */
    default byte[] pixels(int index) {
        return pixels(index, null);
    }

    /**
     * A view of some images of this dataset (no pixels are copied).
     *
     * @param indices indices into this dataset, in the order of the view
     * @return the view
     */
    default ImageDataset subset(int[] indices) {
        return new SubsetImageDataset(this, indices);
    }
}
