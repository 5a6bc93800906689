package dev.vlltr.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import dev.vlltr.core.calibrate.LinearClassifier;
import dev.vlltr.core.data.Batches;
import dev.vlltr.core.data.ImageDataset;
import dev.vlltr.core.data.Samplers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** End-to-end CE training (ResNet-8) on a tiny two-class image set: learning, determinism, extraction, save/load, BN pass. */
class SupervisedTrainerTest {

    /** 48 images 1×8×8: class 0 is bright in the top half, class 1 in the bottom half, plus noise. */
    static ImageDataset tinySet(long seed, int n) {
        Random rnd = new Random(seed);
        byte[] px = new byte[n * 64];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    boolean bright = (y < 4) == (labels[i] == 0);
                    int v = (bright ? 180 : 40) + rnd.nextInt(60);
                    px[i * 64 + y * 8 + x] = (byte) v;
                }
            }
        }
        return new ImageDataset("tiny", px, 1, 8, 8, labels, List.of("top", "bottom"));
    }

    static SupervisedTrainer trainer(ImageDataset data, long seed, int epochs) {
        return SupervisedTrainer.builder().setTrainSet(data)
                .setSampler(Samplers.builder().setName("instance").setLabels(data.labels(), 2).optSeed(seed).build())
                .optBatchSize(16).optSchedule(SupervisedTrainer.defaultSchedule(16).withEpochs(epochs)
                        .withLearningRate(0.05))
                .optAugmentation(null).optEvalAugmentation(null).optDepth(8).optSeed(seed).build();
    }

    @Test
    void lossDecreasesAndTheSameSeedGivesTheSameNetwork() throws Exception {
        ImageDataset data = tinySet(1, 48);
        float[][] w1;
        float[][] w2;
        List<SupervisedTrainer.EpochStats> h1;
        try (SupervisedTrainer.Result r = trainer(data, 3, 4).train()) {
            h1 = r.history();
            assertEquals(4, h1.size());
            assertEquals(3, r.selectedEpoch(), "without validation the last epoch is kept");
            assertTrue(h1.get(3).meanLoss() < h1.get(0).meanLoss(), "loss must decrease: " + h1);
            // cosine stepped before each epoch (official order): epoch e trains at lr0 (1 + cos(pi (e+1)/T)) / 2
            assertEquals(0.05 * (1 + Math.cos(Math.PI / 4)) / 2, h1.get(0).learningRate(), 1e-12);
            assertEquals(0.0, h1.get(3).learningRate(), 1e-12);
            w1 = r.model().classifier().weights();
        }
        try (SupervisedTrainer.Result r = trainer(data, 3, 4).train()) {
            w2 = r.model().classifier().weights();
            for (int e = 0; e < 4; e++) {
                assertEquals(h1.get(e).meanLoss(), r.history().get(e).meanLoss(), 0.0, "epoch " + e);
            }
        }
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(w1[c], w2[c], 0f, "same seed, same weights");
        }
        try (SupervisedTrainer.Result r = trainer(data, 4, 4).train()) {
            assertFalse(Arrays.equals(w1[0], r.model().classifier().weights()[0]), "another seed, other weights");
        }
    }

    @Test
    void extractionMatchesTheLinearLayerAndSurvivesSaveAndLoad() throws Exception {
        ImageDataset data = tinySet(2, 32);
        try (SupervisedTrainer.Result r = trainer(data, 0, 2).train()) {
            SupervisedModel m = r.model();
            SupervisedModel.Extraction ex = m.extract(data, null, 10);
            assertEquals(32, ex.features().length);
            assertEquals(m.featureDim(), ex.features()[0].length);
            assertArrayEquals(data.labels(), ex.labels());
            LinearClassifier fc = m.classifier();
            float[][] again = fc.logits(ex.features());
            for (int i = 0; i < 32; i++) {
                assertArrayEquals(again[i], ex.logits()[i], 1e-4f, "row " + i);
            }
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            m.save(saved);
            try (SupervisedModel back = SupervisedModel.load(new ByteArrayInputStream(saved.toByteArray()), 2, 8,
                    new Shape(1, 8, 8), Device.cpu())) {
                SupervisedModel.Extraction ex2 = back.extract(data, null, 7);
                for (int i = 0; i < 32; i++) {
                    assertArrayEquals(ex.features()[i], ex2.features()[i], 1e-6f);
                }
                // a BN pass on class-balanced batches changes the running statistics, hence the features
                int seen = back.reestimateBatchNorm(data, Batches.of(Samplers.builder().setName("class")
                        .setLabels(data.labels(), 2).build(), 8), null, 1, 0);
                assertEquals(4, seen);
                SupervisedModel.Extraction ex3 = back.extract(data, null, 7);
                assertFalse(Arrays.equals(ex2.features()[0], ex3.features()[0]));
            }
        }
    }
}
