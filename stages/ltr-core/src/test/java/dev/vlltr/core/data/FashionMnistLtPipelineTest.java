package dev.vlltr.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The whole data path on the real files: fmnist-lt-quick split → JSON → samplers → loader → NDArrays. */
class FashionMnistLtPipelineTest {

    @Test
    void quickBenchmarkEndToEnd() throws IOException {
        ImageDataset full = TestData.fashionMnistTrain();
        LongTailSplit split = FmnistBenchmarks.FMNIST_LT_QUICK.splitter().build().split(full);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        LongTailSplitJson.write(split, json);
        LongTailSplit reread = LongTailSplitJson.read(new ByteArrayInputStream(json.toByteArray()), "quick.json");
        ImageSet train = reread.trainSet(full);
        ImageSet val = reread.valSet(full);
        assertArrayEquals(new int[] {300, 232, 179, 139, 107, 83, 64, 50, 38, 30}, train.classCounts());
        int[] ten = new int[10];
        java.util.Arrays.fill(ten, 10);
        assertArrayEquals(ten, val.classCounts());
        assertEquals("fmnist-lt-quick/train", train.name());

        Sampler balanced = Samplers.builder().setName("class").setLabels(train.labels(), 10).optSeed(0).build();
        int batchSize = 40;
        try (BatchLoader loader = BatchLoader.builder().setDataset(train).setBatches(Batches.of(balanced, batchSize))
                .optAugmentation(AugmentationPipeline.fashionMnistTrain()).optSeed(0).build();
             BatchLoader.Epoch epoch = loader.epoch(0);
             NDManager manager = NDManager.newBaseManager()) {
            assertEquals(1222 / batchSize, epoch.size());
            int[] seen = new int[10];
            double sum = 0;
            long values = 0;
            while (epoch.hasNext()) {
                try (NDManager step = manager.newSubManager()) {
                    NDList batch = epoch.next().toNDList(step);
                    assertEquals(new Shape(batchSize, 1, 28, 28), batch.get(0).getShape());
                    sum += batch.get(0).sum().getFloat();
                    values += batch.get(0).size();
                    for (int label : batch.get(1).toIntArray()) {
                        seen[label]++;
                    }
                }
            }
            // class-aware batches: 40 = 10 classes × 4, every class equally often
            int per = 1222 / batchSize * batchSize / 10;
            for (int c = 0; c < 10; c++) {
                assertEquals(per, seen[c], "class " + c);
            }
            // normalised inputs: mean near 0 (crops add black borders and class balance shifts it a little)
            double mean = sum / values;
            assertTrue(Math.abs(mean) < 0.3, "mean of normalised batches " + mean);
        }
    }
}
