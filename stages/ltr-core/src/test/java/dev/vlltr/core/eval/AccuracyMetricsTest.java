package dev.vlltr.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AccuracyMetricsTest {

    static final float[][] SCORES = {
        {0.1f, 0.5f, 0.3f, 0.2f}, // y=2: rank 1
        {0.9f, 0.1f, 0.0f, 0.0f}, // y=0: rank 0
        {0.2f, 0.2f, 0.1f, 0.5f}, // y=1: 0.5 above, tie with lower-indexed class 0 -> rank 2
        {0.4f, 0.4f, 0.0f, 0.0f}, // y=0: tie for first, lower index wins -> rank 0
    };
    static final int[] LABELS = {2, 0, 1, 0};

    @Test
    void topKIsHandComputed() {
        assertEquals(0.5, TopKAccuracy.of(SCORES, LABELS, 1));
        assertEquals(0.75, TopKAccuracy.of(SCORES, LABELS, 2));
        assertEquals(1.0, TopKAccuracy.of(SCORES, LABELS, 3));
        assertEquals(1.0, TopKAccuracy.of(SCORES, LABELS, 10), "k > C is clamped to C");
        assertArrayEquals(new int[] {1, 0, 3, 0}, Scores.predictions(SCORES));
        assertThrows(IllegalArgumentException.class, () -> TopKAccuracy.of(SCORES, LABELS, 0));
    }

    @Test
    void perClassAccuracyAndMeanOverPresentClasses() {
        PerClassAccuracy pc = PerClassAccuracy.of(SCORES, LABELS, 4);
        assertArrayEquals(new long[] {2, 0, 0, 0}, pc.correct());
        assertArrayEquals(new long[] {2, 1, 1, 0}, pc.total());
        assertEquals(1.0, pc.accuracy(0));
        assertEquals(0.0, pc.accuracy(1));
        assertTrue(Double.isNaN(pc.accuracy(3)), "a class absent from the split has no accuracy");
        assertEquals(1.0 / 3, pc.meanOverPresentClasses(), 1e-15);
    }

    @Test
    void confusionMatrixRowsAreTrueClasses() {
        ConfusionMatrix m = ConfusionMatrix.of(SCORES, LABELS);
        assertEquals(2, m.get(0, 0));
        assertEquals(1, m.get(1, 3));
        assertEquals(1, m.get(2, 1));
        long total = 0;
        for (long[] row : m.counts()) {
            for (long v : row) {
                total += v;
            }
        }
        assertEquals(4, total);
    }

    @Test
    void malformedInputIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TopKAccuracy.of(new float[][] {{1, 2}, {1}}, new int[] {0, 1}, 1));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TopKAccuracy.of(new float[][] {{1, 2}}, new int[] {2}, 1));
        assertTrue(e.getMessage().contains("label[0] = 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TopKAccuracy.of(SCORES, new int[] {0}, 1));
    }
}
