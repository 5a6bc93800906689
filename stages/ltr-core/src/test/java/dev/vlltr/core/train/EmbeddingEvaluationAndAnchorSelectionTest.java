package dev.vlltr.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Zero-shot accuracy, retrieval and AnSS on hand-worked 2-D examples. */
class EmbeddingEvaluationAndAnchorSelectionTest {

    static final float[][] TEXT = {{1, 0}, {0, 1}, {-1, 0}};
    static final int[] TEXT_LABELS = {0, 0, 1};
    static final float[][] IMAGES = {{1, 0.1f}, {-1, 0.5f}, {0.2f, 1}};
    static final int[] IMAGE_LABELS = {0, 1, 1};

    @Test
    void prototypesAreRenormalisedMeansOfUnitSentences() {
        double[][] p = EmbeddingEvaluation.classPrototypes(new float[][] {{2, 0}, {0, 5}, {-3, 0}}, TEXT_LABELS, 2);
        assertArrayEquals(new double[] {Math.sqrt(0.5), Math.sqrt(0.5)}, p[0], 1e-12);
        assertArrayEquals(new double[] {-1, 0}, p[1], 1e-12);
        // image 2 (0.2, 1) is closer to class 0's prototype: 2 of 3 right
        assertEquals(2.0 / 3, EmbeddingEvaluation.zeroShotAccuracy(IMAGES, IMAGE_LABELS, p), 1e-12);
    }

    @Test
    void retrievalTop1InBothDirections() {
        EmbeddingEvaluation.Retrieval r = EmbeddingEvaluation.retrieval(IMAGES, IMAGE_LABELS, TEXT, TEXT_LABELS);
        // images -> best sentence: (1,0) c0 ok, (-1,0) c1 ok, (0,1) c0 wrong
        assertEquals(2.0 / 3, r.imageToText(), 1e-12);
        // sentences -> best image: img0 ok, img2 (label 1) for a class-0 sentence wrong, img1 ok
        assertEquals(2.0 / 3, r.textToImage(), 1e-12);
    }

    @Test
    void anssScoreIsTheSoftTargetTextToImageLoss() {
        float[][] images = {{1, 0}, {0, 1}};
        int[] labels = {0, 1};
        float[][] text = {{2, 0}, {0, 1}, {0, 3}};
        int[] textLabels = {0, 0, 1};
        double[] s = AnchorSentenceSelection.scores(text, textLabels, images, labels, 1.0);
        double lse = Math.log(Math.E + 1);
        assertEquals(lse - 1, s[0], 1e-12);   // logits (1, 0), target image 0
        assertEquals(lse, s[1], 1e-12);       // logits (0, 1), target image 0
        assertEquals(lse - 1, s[2], 1e-12);   // logits (0, 1), target image 1
        // scale 10, two images of class 0 (uniform target over both)
        double[] t = AnchorSentenceSelection.scores(new float[][] {{1, 0}}, new int[] {0},
                new float[][] {{1, 0}, {1, 1}, {0, 1}}, new int[] {0, 0, 1}, 10.0);
        double c = 10 / Math.sqrt(2);
        double l = Math.log(Math.exp(10) + Math.exp(c) + 1);
        assertEquals(-((10 - l) + (c - l)) / 2, t[0], 1e-9);
    }

    @Test
    void selectionStrategies() {
        int[] labels = {0, 0, 0, 1};
        double[] scores = {0.5, 0.1, 0.3, 2.0};
        List<AnchorSentenceSelection.ClassAnchors> anss = AnchorSentenceSelection.select(
                AnchorSentenceSelection.Strategy.ANSS, labels, scores, 2, 2, 0);
        assertArrayEquals(new int[] {1, 2}, anss.get(0).rows());
        assertArrayEquals(new double[] {0.1, 0.3}, anss.get(0).scores(), 0);
        assertArrayEquals(new int[] {3}, anss.get(1).rows(), "fewer than M: all kept (LGR pads)");
        assertArrayEquals(new int[] {0, 1}, AnchorSentenceSelection.select(AnchorSentenceSelection.Strategy.CUTOFF,
                labels, null, 2, 2, 0).get(0).rows());
        int[] r1 = AnchorSentenceSelection.select(AnchorSentenceSelection.Strategy.RANDOM, labels, null, 2, 2, 7)
                .get(0).rows();
        assertArrayEquals(r1, AnchorSentenceSelection.select(AnchorSentenceSelection.Strategy.RANDOM, labels, null,
                2, 2, 7).get(0).rows());
        assertEquals(2, java.util.Arrays.stream(r1).distinct().count());
        assertArrayEquals(new int[] {0, 1, 3, 4}, AnchorSentenceSelection.firstPerClass(new int[] {0, 0, 0, 1, 1},
                2, 2));
        assertThrows(IllegalArgumentException.class, () -> AnchorSentenceSelection.scores(text1(), new int[] {1},
                new float[][] {{1, 0}}, new int[] {0}, 1));
    }

    private static float[][] text1() {
        return new float[][] {{1, 0}};
    }

    @Test
    void classSentencesDrawFromTheImagesClassDeterministically() {
        ClassSentences s = new ClassSentences(new int[] {0, 1, 0, 1, 1}, 2);
        int[] labels = {0, 1, 1, 0, 1, 0};
        int[] a = s.sample(labels, 3, 2, 5);
        assertArrayEquals(a, s.sample(labels, 3, 2, 5));
        for (int i = 0; i < labels.length; i++) {
            assertEquals(labels[i], new int[] {0, 1, 0, 1, 1}[a[i]]);
        }
        int[] counts = new int[5];
        for (int b = 0; b < 2000; b++) {
            for (int r : s.sample(new int[] {1}, 0, 0, b)) {
                counts[r]++;
            }
        }
        for (int r : new int[] {1, 3, 4}) {
            assertEquals(2000 / 3.0, counts[r], 120, "uniform over the class's 3 sentences");
        }
        assertThrows(IllegalArgumentException.class, () -> new ClassSentences(new int[] {0, 0}, 2));
    }
}
