package dev.vlltr.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * One assembled mini-batch on the Java heap: {@code size × C × H × W} floats (decoded and augmented), the labels and
 * the train-set indices the images came from. {@link #toNDList} turns it into NDArrays on the consumer's thread.
 *
 * @param index    0-based position of the batch in its epoch
 * @param images   row-major {@code size × C × H × W}
 * @param labels   one label per image
 * @param indices  the dataset index of each image
 */
public record FloatBatch(int index, float[] images, int[] labels, int[] indices, int channels, int height,
        int width) {

    public int size() {
        return labels.length;
    }

    /** @return the images as a float32 NDArray of shape {@code (size, C, H, W)} in {@code manager} */
    public NDArray imagesArray(NDManager manager) {
        return manager.create(images, new Shape(size(), channels, height, width));
    }

    /** @return the labels as an int32 NDArray of shape {@code (size)} in {@code manager} */
    public NDArray labelsArray(NDManager manager) {
        return manager.create(labels);
    }

    /** @return {@code [images (size, C, H, W) float32, labels (size) int32]} */
    public NDList toNDList(NDManager manager) {
        return new NDList(imagesArray(manager), labelsArray(manager));
    }
}
