package dev.vlltr.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.vlltr.core.data.Augmentation;
import dev.vlltr.core.data.BatchLoader;
import dev.vlltr.core.data.FloatBatch;
import dev.vlltr.core.data.ImageSet;

/**
 * Runs a block in inference mode (BatchNorm running statistics, no gradient) over images of an {@link ImageSet} in
 * fixed-size chunks, with the evaluation transform (normalisation), and returns one float row per image. Rows of a
 * multi-output block are taken from output {@code output}.
 */
public final class ImageEmbedder {

    private ImageEmbedder() {}

    /**
     * @param block images {@code (B, C, H, W)} → {@code (B, D)} (initialised)
     * @param manager where temporaries live (closed per chunk)
     * @param images the set
     * @param indices which images, in output order
     * @param eval the evaluation transform (deterministic; its {@code Random} is never consulted in practice)
     * @param batchSize chunk size
     * @return {@code indices.length × D}
     */
    public static float[][] embed(Block block, NDManager manager, ImageSet images, int[] indices, Augmentation eval,
            int batchSize) {
        return embedOutputs(block, manager, images, indices, eval, batchSize, 0);
    }

    /**
     * Like {@link #embed}, taking rows from the block's output number {@code output}. The images are read and
     * transformed on a {@link BatchLoader}'s producers ({@link BatchLoader#readerOf}: one for an in-memory set,
     * several for a lazy one, which decodes there) at most {@code threads + 1} chunks ahead, while this thread runs
     * the block; the result does not depend on the thread count.
     */
    public static float[][] embedOutputs(Block block, NDManager manager, ImageSet images, int[] indices,
            Augmentation eval, int batchSize, int output) {
        float[][] out = new float[indices.length][];
        int[][] chunks = new int[(indices.length + batchSize - 1) / batchSize][];
        for (int b = 0; b < chunks.length; b++) {
            chunks[b] = java.util.Arrays.copyOfRange(indices, b * batchSize,
                    Math.min(indices.length, (b + 1) * batchSize));
        }
        try (BatchLoader loader = BatchLoader.readerOf(images).setBatches(epoch -> chunks).optAugmentation(eval)
                .build();
                BatchLoader.Epoch epoch = loader.epoch(0)) {
            int start = 0;
            while (epoch.hasNext()) {
                FloatBatch batch = epoch.next();
                try (NDManager chunk = manager.newSubManager()) {
                    NDArray x = batch.imagesArray(chunk);
                    NDArray y = block.forward(new ParameterStore(chunk, false), new NDList(x), false).get(output);
                    copyRows(y, out, start);
                }
                start += batch.size();
            }
        }
        return out;
    }

    /** Copies the rows of a 2-D array into {@code out} from row {@code start}. */
    static void copyRows(NDArray y, float[][] out, int start) {
        long n = y.getShape().get(0);
        int d = (int) y.getShape().get(1);
        float[] flat = y.toType(DataType.FLOAT32, false).toFloatArray();
        for (int i = 0; i < n; i++) {
            out[start + i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
        }
    }

    /** Runs {@code block} over rows of a float table (e.g. sentence embeddings, features) in chunks. */
    public static float[][] mapRows(Block block, NDManager manager, float[][] rows, DataType inputType,
            int batchSize) {
        return mapRowsOutput(block, manager, rows, inputType, batchSize, 0);
    }

    /** Like {@link #mapRows}, taking rows from the block's output number {@code output}. */
    public static float[][] mapRowsOutput(Block block, NDManager manager, float[][] rows, DataType inputType,
            int batchSize, int output) {
        float[][] out = new float[rows.length][];
        int d = rows[0].length;
        for (int start = 0; start < rows.length; start += batchSize) {
            int n = Math.min(batchSize, rows.length - start);
            float[] buf = new float[n * d];
            for (int i = 0; i < n; i++) {
                System.arraycopy(rows[start + i], 0, buf, i * d, d);
            }
            try (NDManager chunk = manager.newSubManager()) {
                NDArray x = chunk.create(buf, new Shape(n, d)).toType(inputType, false);
                NDArray y = block.forward(new ParameterStore(chunk, false), new NDList(x), false).get(output);
                copyRows(y, out, start);
            }
        }
        return out;
    }
}
