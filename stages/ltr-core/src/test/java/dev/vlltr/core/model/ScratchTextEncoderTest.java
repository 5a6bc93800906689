package dev.vlltr.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.vlltr.core.loss.CvlpLoss;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScratchTextEncoderTest {

    private static final List<String> CORPUS = List.of(
            "a photo of a sandal.", "a photo of a sneaker.", "A sandal is an open shoe.",
            "a photo of a bag.", "The bag has a strap.");

    @Test
    void vocabularyIsDeterministicAndHandlesUnknownWords() {
        WordVocabulary v = WordVocabulary.build(CORPUS, 100, 1);
        // "a" ×7, "photo"/"of" ×3, then "bag"/"sandal" ×2 (lexicographic), then the singletons
        assertEquals(List.of("<pad>", "<unk>", "a", "of", "photo", "bag", "sandal"), v.tokens().subList(0, 7));
        int[][] ids = v.encode(List.of("A photo of a zebra", "...", "a sandal a sandal a sandal"), 4);
        assertArrayEquals(new int[] {2, 4, 3, 2}, ids[0]);
        assertArrayEquals(new int[] {WordVocabulary.UNK, 0, 0, 0}, ids[1]);
        assertArrayEquals(new int[] {2, 6, 2, 6}, ids[2], "truncated to L");
        assertEquals(WordVocabulary.UNK, v.encode(List.of("zebra"), 2)[0][0]);
        assertEquals(v.tokens(), WordVocabulary.fromTokens(v.tokens()).tokens());
        assertEquals(4, WordVocabulary.build(CORPUS, 4, 1).size());
        assertEquals(List.of("<pad>", "<unk>", "a", "of", "photo"), WordVocabulary.build(CORPUS, 100, 3).tokens());
        assertThrows(IllegalArgumentException.class, () -> WordVocabulary.fromTokens(List.of("a", "b")));
    }

    @Test
    void paddingDoesNotChangeTheEmbedding() {
        Engine.getInstance().setRandomSeed(1);
        WordVocabulary v = WordVocabulary.build(CORPUS, 100, 1);
        ScratchTextEncoder enc = ScratchTextEncoder.builder().setVocabularySize(v.size()).optWidth(16).optHeads(2)
                .optMaxLength(12).optEmbedDim(8).build();
        List<String> s = List.of("a photo of a sandal.", "the bag");
        try (NDManager m = NDManager.newBaseManager()) {
            enc.initialize(m, DataType.FLOAT32, new Shape(2, 12));
            ParameterStore ps = new ParameterStore(m, false);
            float[] shortPad = embed(enc, ps, m, v.encode(s, 6));
            float[] longPad = embed(enc, ps, m, v.encode(s, 12));
            assertEquals(16, shortPad.length);
            assertArrayEquals(shortPad, longPad, 1e-5f);
            double diff = 0;
            for (int k = 0; k < 8; k++) {
                diff += Math.abs(shortPad[k] - shortPad[8 + k]);
            }
            assertTrue(diff > 1e-3, "different sentences give different embeddings");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> embed(enc, ps, m, v.encode(s, 13)));
            assertTrue(e.getMessage().contains("L ≤ 12"), e.getMessage());
        }
    }

    private static float[] embed(ScratchTextEncoder enc, ParameterStore ps, NDManager m, int[][] ids) {
        int b = ids.length;
        int len = ids[0].length;
        int[] flat = new int[b * len];
        for (int i = 0; i < b; i++) {
            System.arraycopy(ids[i], 0, flat, i * len, len);
        }
        return enc.forward(ps, new NDList(m.create(flat, new Shape(b, len))), false).singletonOrThrow()
                .toFloatArray();
    }

    @Test
    void trainsInsideCvlpWithoutPretrainedLanguage() {
        Engine.getInstance().setRandomSeed(2);
        WordVocabulary v = WordVocabulary.build(CORPUS, 100, 1);
        ScratchTextEncoder text = ScratchTextEncoder.builder().setVocabularySize(v.size()).optWidth(16).optHeads(2)
                .optLayers(1).optMaxLength(8).optEmbedDim(8).build();
        CvlpModel net = new CvlpModel(VisionEncoder.builder().optDepth(8).optEmbedDim(8).build(), text,
                LogitScale.builder().build());
        try (Model model = Model.newInstance("cvlp-scratch")) {
            model.setBlock(net);
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(CvlpLoss.builder().build())
                    .optOptimizer(Optimizer.adamW().optLearningRateTracker(Tracker.fixed(3e-3f)).build());
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.initialize(new Shape(4, 1, 8, 8), new Shape(4, 8));
                NDManager data = trainer.getManager().newSubManager();
                int[][] ids = v.encode(List.of("a photo of a sandal.", "a photo of a bag.",
                        "A sandal is an open shoe.", "The bag has a strap."), 8);
                int[] flat = new int[32];
                for (int i = 0; i < 4; i++) {
                    System.arraycopy(ids[i], 0, flat, i * 8, 8);
                }
                NDArray tokens = data.create(flat, new Shape(4, 8));
                NDArray labels = data.create(new int[] {0, 1, 0, 1});
                NDArray images = data.randomNormal(new Shape(2, 1, 8, 8)).get(labels)
                        .add(data.randomNormal(new Shape(4, 1, 8, 8)).mul(0.2f));
                float first = 0;
                float last = 0;
                for (int step = 0; step < 12; step++) {
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDArray loss = trainer.getLoss()
                                .evaluate(new NDList(labels), trainer.forward(new NDList(images, tokens)));
                        last = loss.getFloat();
                        if (step == 0) {
                            first = last;
                        }
                        gc.backward(loss);
                    }
                    trainer.step();
                }
                assertTrue(last < 0.8 * first, "loss should fall: " + first + " -> " + last);
                data.close();
            }
        }
    }
}
