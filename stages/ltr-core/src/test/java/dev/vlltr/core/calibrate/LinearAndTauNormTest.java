package dev.vlltr.core.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class LinearAndTauNormTest {

    // W rows have norms 5 and 2; the bias must be ignored by tau-norm
    private static final float[][] W = {{3, 4}, {0, 2}};
    private static final float[] B = {10, -10};
    private static final float[][] X = {{1, 1}, {2, -1}};

    @Test
    void linearLogitsAreHandComputed() {
        LinearClassifier lin = new LinearClassifier(W, B);
        float[][] z = lin.logits(X);
        assertArrayEquals(new float[] {3 + 4 + 10, 2 - 10}, z[0], 1e-6f);
        assertArrayEquals(new float[] {6 - 4 + 10, -2 - 10}, z[1], 1e-6f);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 1, 2, -1}, new Shape(2, 2));
            assertArrayEquals(new float[] {17, -8, 12, -12}, lin.logits(x).toFloatArray(), 1e-5f);
            LinearClassifier back = LinearClassifier.fromNDArrays(lin.weightArray(m), lin.biasArray(m));
            assertArrayEquals(W[1], back.weights()[1]);
            assertArrayEquals(B, back.bias());
        }
    }

    @Test
    void linearRejectsBadShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LinearClassifier(W, new float[3]));
        assertTrue(e.getMessage().contains("expected C = 2"), e.getMessage());
        LinearClassifier lin = new LinearClassifier(W, B);
        e = assertThrows(IllegalArgumentException.class, () -> lin.logits(new float[][] {{1, 2, 3}}));
        assertTrue(e.getMessage().contains("row 0 has 3 values, expected 2"), e.getMessage());
    }

    @Test
    void tauZeroIsRawWeightsWithoutBias() {
        float[][] z = TauNormalizedClassifier.of(new LinearClassifier(W, B), 0).scores(X);
        assertArrayEquals(new float[] {7, 2}, z[0], 1e-6f);
        assertArrayEquals(new float[] {2, -2}, z[1], 1e-6f);
    }

    @Test
    void tauOneIsL2NormalisedWeights() {
        float[][] z = TauNormalizedClassifier.of(new LinearClassifier(W, B), 1).scores(X);
        assertArrayEquals(new float[] {7f / 5, 1}, z[0], 1e-6f);
        assertArrayEquals(new float[] {2f / 5, -1}, z[1], 1e-6f);
    }

    @Test
    void tauTwoAndHalfAreHandComputed() {
        TauNormalizedClassifier t2 = TauNormalizedClassifier.of(new LinearClassifier(W, B), 2);
        assertArrayEquals(new float[] {7f / 25, 2f / 4}, t2.scores(X)[0], 1e-6f);
        TauNormalizedClassifier half = TauNormalizedClassifier.of(new LinearClassifier(W, B), 0.5);
        assertArrayEquals(new float[] {(float) (7 / Math.sqrt(5)), (float) (2 / Math.sqrt(2))}, half.scores(X)[0],
                1e-5f);
        assertEquals(0.5, half.tau());
        assertArrayEquals(new float[] {0, 0}, half.asLinear().bias());
    }

    @Test
    void tauRejectsZeroNormRow() {
        LinearClassifier zeroRow = new LinearClassifier(new float[][] {{1, 0}, {0, 0}}, new float[2]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TauNormalizedClassifier.of(zeroRow, 1));
        assertTrue(e.getMessage().contains("class 1"), e.getMessage());
        // tau = 0 is defined (raw weights)
        assertArrayEquals(new float[] {1, 0}, TauNormalizedClassifier.of(zeroRow, 0).scores(new float[][] {{1, 1}})[0]);
    }
}
