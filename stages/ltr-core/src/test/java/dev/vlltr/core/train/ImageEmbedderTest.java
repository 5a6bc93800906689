package dev.vlltr.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import dev.vlltr.core.data.AugmentationPipeline;
import dev.vlltr.core.data.ImageDataset;
import dev.vlltr.core.data.Normalize;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ImageEmbedder} reads the images on a {@code BatchLoader}'s producers: its rows must equal those of the plain
 * loop it replaced (image to floats, the eval transform, one forward pass per chunk), chunk by chunk, for any index
 * order (repeats, a short last chunk).
 */
class ImageEmbedderTest {

    @Test
    void rowsEqualThePlainChunkedLoop() {
        int n = 11;
        byte[] px = new byte[n * 2 * 3 * 3];
        new Random(5).nextBytes(px);
        int[] labels = new int[n];
        ImageDataset set = new ImageDataset("t", px, 2, 3, 3, labels, List.of("a"));
        AugmentationPipeline eval = AugmentationPipeline.of(new Normalize(new float[] {0.4f, 0.5f},
                new float[] {0.2f, 0.3f}));
        int[] indices = {3, 0, 10, 3, 7, 1, 2, 9, 4};
        int batch = 4;
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(5).build());
            block.setInitializer(new NormalInitializer(0.1f), ai.djl.nn.Parameter.Type.WEIGHT);
            block.initialize(m, DataType.FLOAT32, new Shape(1, 2, 3, 3));
            float[][] rows = ImageEmbedder.embed(block, m, set, indices, eval, batch);
            assertEquals(indices.length, rows.length);
            int size = set.imageSize();
            for (int start = 0; start < indices.length; start += batch) {
                int k = Math.min(batch, indices.length - start);
                float[] buf = new float[k * size];
                for (int i = 0; i < k; i++) {
                    set.imageAsFloats(indices[start + i], buf, i * size);
                    eval.apply(buf, i * size, 2, 3, 3, new Random(0));
                }
                try (NDManager chunk = m.newSubManager()) {
                    NDArray x = chunk.create(buf, new Shape(k, 2, 3, 3));
                    float[] y = block.forward(new ParameterStore(chunk, false), new NDList(x), false)
                            .singletonOrThrow().toFloatArray();
                    for (int i = 0; i < k; i++) {
                        assertArrayEquals(java.util.Arrays.copyOfRange(y, i * 5, i * 5 + 5), rows[start + i],
                                "row " + (start + i));
                    }
                }
            }
        }
    }
}
