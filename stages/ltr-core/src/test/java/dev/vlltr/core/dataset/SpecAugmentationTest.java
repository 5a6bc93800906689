package dev.vlltr.core.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.core.data.AugmentationPipeline;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The shipped Fashion-MNIST specs' geometry gives exactly the augmentations the stages hard-wired before
 * ({@code AugmentationPipeline.fashionMnistTrain/Eval}): same outputs, bit for bit, for the same random stream — so
 * training from a spec is the training of before.
 */
class SpecAugmentationTest {

    static DatasetSpec spec(String name) throws IOException {
        Path file = FolderFiles.repositoryDatasets().resolve(name).resolve("dataset.yaml");
        try (InputStream in = Files.newInputStream(file)) {
            return DatasetSpecReader.read(in, file.toString());
        }
    }

    @Test
    void fashionMnistSpecsAugmentExactlyAsTheHardWiredPipelines() throws IOException {
        for (String name : List.of("fmnist-lt-if100", "fmnist-lt-fewshot", "fmnist-lt-quick")) {
            DatasetSpec.Geometry g = spec(name).geometry();
            assertTrue(SpecAugmentation.inMemoryTrainable(g));
            same(AugmentationPipeline.fashionMnistTrain(), SpecAugmentation.train(g, name), name + " train");
            same(AugmentationPipeline.fashionMnistEval(), SpecAugmentation.eval(g), name + " eval");
        }
    }

    private static void same(AugmentationPipeline expected, AugmentationPipeline actual, String what) {
        Random pixels = new Random(42);
        for (int trial = 0; trial < 50; trial++) {
            float[] a = new float[2 + 28 * 28];
            for (int i = 2; i < a.length; i++) {
                a[i] = pixels.nextInt(256) / 255f;
            }
            float[] b = a.clone();
            expected.apply(a, 2, 1, 28, 28, new Random(trial));
            actual.apply(b, 2, 1, 28, 28, new Random(trial));
            assertArrayEquals(a, b, what + " trial " + trial);
        }
    }

    @Test
    void resizedCropOrJitterIsRefusedInMemoryNamingTheField() throws IOException {
        DatasetSpec.Geometry g = spec("imagenet-lt").geometry();
        assertFalse(SpecAugmentation.inMemoryTrainable(g));
        DatasetSpecException e = assertThrows(DatasetSpecException.class, () -> SpecAugmentation.train(g, "inet"));
        assertTrue(e.getMessage().contains("geometry.train"), e.getMessage());
        assertEquals(3, SpecAugmentation.mean(g).length);
    }
}
