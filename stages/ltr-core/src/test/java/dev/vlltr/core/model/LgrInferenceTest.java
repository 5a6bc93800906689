package dev.vlltr.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vlltr.core.loss.Reference;
import org.junit.jupiter.api.Test;

class LgrInferenceTest {

    @Test
    void alphaMixAndRawSumCanDisagreeAndBothAreReported() {
        // Row 0: P^I = (10, 0), P^T = (0, 1). Raw sum (10, 1) → class 0; mix with α = 0.2:
        // 0.2·σ(10) + 0.8·(1/(1+e)) = 0.4151 vs 0.2·(1−σ(10)) + 0.8·(e/(1+e)) = 0.5849 → class 1.
        // Row 1: both branches agree on class 0.
        float[] pi = {10, 0, 3, 1};
        float[] pt = {0, 1, 2, 0};
        LgrInference inference = new LgrInference();
        assertEquals(0.2, inference.getAlpha());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(pi, new Shape(2, 2));
            NDArray b = m.create(pt, new Shape(2, 2));
            assertArrayEquals(new long[] {1, 0}, inference.predictMixed(a, b).toLongArray());
            assertArrayEquals(new long[] {0, 0}, LgrInference.predictRawSum(a, b).toLongArray());
            float[] mixed = inference.mixedProbabilities(a, b).toFloatArray();
            for (int row = 0; row < 2; row++) {
                double[] si = Reference.softmax(new double[] {pi[2 * row], pi[2 * row + 1]});
                double[] st = Reference.softmax(new double[] {pt[2 * row], pt[2 * row + 1]});
                for (int c = 0; c < 2; c++) {
                    assertEquals(0.2 * si[c] + 0.8 * st[c], mixed[2 * row + c], 1e-6);
                }
            }
            assertEquals(0.4151, mixed[0], 1e-4);
            // α = 1 follows the visual branch alone
            assertArrayEquals(new long[] {0, 0}, new LgrInference(1).predictMixed(a, b).toLongArray());
        }
        assertThrows(IllegalArgumentException.class, () -> new LgrInference(1.2));
    }
}
