package dev.vlltr.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class TorchSgdTest {

    @Test
    void twoStepsMatchTorchSgdByHand() {
        // w = 1, lr 0.1, momentum 0.9, wd 0.01; g1 = 0.5, g2 = -0.25
        // step 1: d = 0.5 + 0.01 = 0.51, buf = 0.51, w = 1 - 0.051 = 0.949
        // step 2: d = -0.25 + 0.00949 = -0.24051, buf = 0.459 - 0.24051 = 0.21849, w = 0.949 - 0.021849 = 0.927151
        TorchSgd sgd = TorchSgd.builder().setLearningRate(() -> 0.1).optMomentum(0.9).optWeightDecay(0.01).build();
        try (NDManager nd = NDManager.newBaseManager()) {
            NDArray w = nd.create(new float[] {1f, 2f});
            sgd.update("w", w, nd.create(new float[] {0.5f, 0f}));
            assertEquals(0.949, w.toFloatArray()[0], 1e-6);
            assertEquals(2 - 0.1 * 0.02, w.toFloatArray()[1], 1e-6);
            sgd.update("w", w, nd.create(new float[] {-0.25f, 0f}));
            assertEquals(0.927151, w.toFloatArray()[0], 1e-6);
            // second coordinate: d1 = 0.02, buf1 = 0.02, w1 = 1.998; d2 = 0.01998, buf2 = 0.018 + 0.01998
            assertEquals(1.998 - 0.1 * (0.018 + 0.01998), w.toFloatArray()[1], 1e-6);
        }
    }

    @Test
    void withoutMomentumItIsPlainSgd() {
        TorchSgd sgd = TorchSgd.builder().setLearningRate(() -> 0.5).optMomentum(0).optWeightDecay(0).build();
        try (NDManager nd = NDManager.newBaseManager()) {
            NDArray w = nd.create(new float[] {1f});
            sgd.update("w", w, nd.create(new float[] {0.2f}));
            sgd.update("w", w, nd.create(new float[] {0.2f}));
            assertEquals(0.8, w.toFloatArray()[0], 1e-6);
        }
        assertThrows(IllegalArgumentException.class, () -> TorchSgd.builder().optMomentum(1.0));
    }
}
