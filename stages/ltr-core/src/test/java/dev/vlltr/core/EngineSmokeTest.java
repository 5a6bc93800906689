package dev.vlltr.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Utils;
import org.junit.jupiter.api.Test;

/** Guards the build's engine pins and the offline setting every DJL JVM must run with. */
class EngineSmokeTest {

    @Test
    void pytorchEngineIsPinnedAndOffline() {
        assertTrue(Utils.isOfflineMode(), "DJL_OFFLINE=true must be set for every JVM that loads DJL");
        Engine engine = Engine.getInstance();
        assertEquals("PyTorch", engine.getEngineName());
        assertEquals("2.7.1", engine.getVersion());
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {1f, 2f, 3f});
            assertEquals(14f, a.mul(a).sum().getFloat(), 1e-6f);
        }
    }
}
