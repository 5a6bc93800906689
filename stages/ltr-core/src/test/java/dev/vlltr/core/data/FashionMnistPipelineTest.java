package dev.vlltr.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The pieces together on real data: quick benchmark index → JSON → subset → sampler → loader → NDArrays. */
class FashionMnistPipelineTest {

    @Test
    void quickBenchmarkEpochThroughTheLoader() throws IOException {
        InMemoryImageDataset train = TestData.fashionMnistTrain();
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        LongTailBenchmark.FMNIST_LT_QUICK.generate(train).write(json);
        LongTailIndex index = LongTailIndex.read(new ByteArrayInputStream(json.toByteArray()), "quick.json");
        ImageDataset subset = index.trainSet(train, "quick.json");
        ImageDataset val = index.valSet(train, "quick.json");
        assertEquals(100, val.size());

        Sampler sampler = SamplerFactory.builder().setName("class").setLabels(subset.labels(), subset.numClasses())
                .optSeed(1).build();
        int[] epoch = sampler.epochIndices(1);
        int[] expected = new int[10];
        for (int i : epoch) {
            expected[subset.label(i)]++;
        }
        int[] seen = new int[10];
        int batches = 0;
        try (NDManager manager = NDManager.newBaseManager();
             BatchLoader loader = BatchLoader.builder().setDataset(subset).setIndices(epoch).setBatchSize(128)
                     .optAugmentation(ImageAugmentation.fashionMnistTraining()).optSeed(1).optNumWorkers(2).build()) {
            while (loader.hasNext()) {
                try (NDManager step = manager.newSubManager()) {
                    NDList batch = loader.next(step);
                    long n = batch.get(0).getShape().get(0);
                    assertEquals(new Shape(n, 1, 28, 28), batch.get(0).getShape());
                    for (float label : batch.get(1).toFloatArray()) {
                        seen[(int) label]++;
                    }
                    batches++;
                }
            }
        }
        assertEquals((1222 + 127) / 128, batches);
        assertArrayEquals(expected, seen);

        IllegalArgumentException wrongBase = assertThrows(IllegalArgumentException.class,
                () -> index.trainSet(train.subset(new int[] {0, 1, 2}), "quick.json"));
        assertTrue(wrongBase.getMessage().contains("'baseSize'"), wrongBase.getMessage());
    }

    @Test
    void evaluationTransformCentresTheTestSet() throws IOException {
        InMemoryImageDataset test = TestData.fashionMnistTest();
        int[] all = new int[test.size()];
        java.util.Arrays.setAll(all, i -> i);
        double sum = 0;
        long count = 0;
        try (BatchLoader loader = BatchLoader.builder().setDataset(test).setIndices(all).setBatchSize(1000)
                .optAugmentation(ImageAugmentation.fashionMnistEvaluation()).build()) {
            while (loader.hasNext()) {
                for (float v : loader.next().images()) {
                    sum += v;
                    count++;
                }
            }
        }
        // test-set mean pixel is within 0.01 of the train mean, so the normalised mean is near 0
        assertEquals(0.0, sum / count, 0.03);
    }
}
