package dev.vlltr.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * One assembled batch in plain Java arrays: images NCHW float, labels, and the dataset indices they came from.
 *
 * @param number the batch's position in the epoch, 0-based
 * @param images {@code size * channels * height * width} floats, NCHW
 * @param labels one label per image
 * @param indices the dataset index of each image
 * @param channels C
 * @param height H
 * @param width W
 */
public record FloatBatch(int number, float[] images, int[] labels, int[] indices, int channels, int height, int width) {

    /** @return images in the batch */
    public int size() {
        return labels.length;
    }

    /** @return the NDArray shape of the images, (N, C, H, W) */
    public Shape shape() {
        return new Shape(size(), channels, height, width);
    }

    /**
     * Creates the NDArrays in {@code manager} (the caller closes the manager, e.g. a per-step sub-manager).
     *
     * @param manager where the arrays live
     * @return {@code [images (N,C,H,W) float32, labels (N) float32]} — float labels, as DJL's
     *     {@code softmaxCrossEntropyLoss} expects for sparse labels
     */
    public NDList toNDList(NDManager manager) {
        NDArray x = manager.create(images, shape());
        float[] y = new float[labels.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels[i];
        }
        return new NDList(x, manager.create(y));
    }
}
