package dev.vlltr.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import dev.vlltr.core.data.FeatureTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * LGR's rules on Java arrays (what the lgr stage uses) against hand-worked values and against the NDArray rules the
 * evaluation stage uses; the anchors table read as the text memory.
 */
class LgrInferenceArraysTest {

    @Test
    void softmaxMixRawSumAndArgmaxMatchHandWorkedValues() {
        // softmax(0, ln 3) = (1/4, 3/4); softmax(ln 3, 0) = (3/4, 1/4); α = 0.2: 0.2·(1/4, 3/4) + 0.8·(3/4, 1/4)
        float[] pI = {0, (float) Math.log(3)};
        float[] pT = {(float) Math.log(3), 0};
        assertArrayEquals(new float[] {0.25f, 0.75f}, LgrInference.softmax(pI), 1e-7f);
        assertArrayEquals(new float[] {0.65f, 0.35f}, new LgrInference(0.2).mixedProbabilities(pI, pT), 1e-7f);
        assertArrayEquals(new float[] {(float) Math.log(3), (float) Math.log(3)}, LgrInference.rawSum(pI, pT));
        assertEquals(0, LgrInference.argmax(LgrInference.rawSum(pI, pT)), "ties go to the first class");
        assertArrayEquals(new float[] {0.5f, 0.5f}, LgrInference.softmax(new float[] {1000, 1000}), 0f,
                "max-shifted: no overflow");
    }

    @Test
    void accuraciesAgreeWithTheNdArrayRules() {
        float[][] pI = {{2, 0, 1}, {0, 1, 3}, {1, 2, 0}, {0.1f, 0, 0}};
        float[][] pT = {{0, 3, 0}, {0, 2, 1}, {1, 0, 2}, {0, 0, 5}};
        int[] labels = {1, 2, 2, 0};
        LgrInference inf = new LgrInference(0.7);
        LgrInference.Accuracy a = inf.accuracy(pI, pT, labels, true);
        try (NDManager m = NDManager.newBaseManager()) {
            long[] mix = inf.predictMixed(m.create(pI), m.create(pT)).toLongArray();
            long[] sum = LgrInference.predictRawSum(m.create(pI), m.create(pT)).toLongArray();
            assertEquals(hits(mix, labels), a.top1());
            assertEquals(hits(sum, labels), a.top1Sum());
            float[][] probs = inf.probabilities(pI, pT, true);
            float[] nd = inf.mixedProbabilities(m.create(pI), m.create(pT)).toFloatArray();
            for (int i = 0; i < probs.length; i++) {
                for (int k = 0; k < 3; k++) {
                    assertEquals(nd[i * 3 + k], probs[i][k], 1e-6f);
                }
            }
        }
        assertEquals(0.5, a.top1Image(), "argmax P^I = 0, 2, 1, 0 against labels 1, 2, 2, 0");
        LgrInference.Accuracy noText = inf.accuracy(pI, pT, labels, false);
        assertEquals(noText.top1Image(), noText.top1(), "without the language branch the prediction is P^I");
    }

    private static double hits(long[] predicted, int[] labels) {
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            n += predicted[i] == labels[i] ? 1 : 0;
        }
        return n / (double) labels.length;
    }

    @Test
    void theAnchorsTableBecomesTheTextMemoryWithPerClassCounts() {
        // 2 classes x M = 2 slots, D = 2; class 1 has one real sentence and one padded slot
        Map<String, float[][]> arrays = new LinkedHashMap<>();
        arrays.put(FeatureTable.FEATURES, new float[][] {{1, 2}, {3, 4}, {5, 6}, {0, 0}});
        arrays.put("mask", new float[][] {{1}, {1}, {1}, {0}});
        FeatureTable t = new FeatureTable("anchors", List.of("a", "b"), new int[] {0, 0, 1, 1}, arrays);
        LgrTextMemory mem = LgrTextMemory.fromAnchorTable(t, List.of("a", "b"), 2);
        assertEquals(2, mem.classes());
        assertEquals(2, mem.m());
        assertArrayEquals(new int[] {2, 1}, mem.counts());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 0, 0}, mem.data());
        assertThrows(IllegalArgumentException.class, () -> LgrTextMemory.fromAnchorTable(t, List.of("a", "c"), 2));
        assertThrows(IllegalArgumentException.class, () -> LgrTextMemory.fromAnchorTable(t, List.of("a", "b"), 3));
    }
}
