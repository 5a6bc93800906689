package dev.vlltr.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingDevicesTest {

    @Test
    void parsesEveryFormAgainstTheGpuCount() {
        assertEquals(List.of(Device.cpu()), TrainingDevices.parse("cpu", 0).devices());
        assertEquals(List.of(Device.gpu(0)), TrainingDevices.parse("gpu", 2).devices());
        assertEquals(List.of(Device.gpu(1)), TrainingDevices.parse("gpu:1", 2).devices());
        assertEquals(List.of(Device.gpu(0), Device.gpu(1), Device.gpu(2)), TrainingDevices.parse("gpus", 3).devices());
        assertEquals(3, TrainingDevices.simulated(3).shards());
        assertEquals(1, TrainingDevices.simulated(3).distinct().length, "simulated shards share the CPU");
    }

    @Test
    void aDeviceThatDoesNotExistNamesTheParameterAndWhatWasExpected() {
        String noGpu = assertThrows(IllegalArgumentException.class,
                () -> TrainingDevices.parseParameter("gpu", 0, "device")).getMessage();
        assertTrue(noGpu.startsWith("parameter 'device': ") && noGpu.contains("none") && noGpu.contains("'gpu'"),
                noGpu);
        String three = assertThrows(IllegalArgumentException.class,
                () -> TrainingDevices.parseParameter("gpu:3", 1, "device")).getMessage();
        assertTrue(three.contains("0..0") && three.contains("1 GPU") && three.contains("'gpu:3'"), three);
        assertThrows(IllegalArgumentException.class, () -> TrainingDevices.parse("gpus", 0));
        assertThrows(IllegalArgumentException.class, () -> TrainingDevices.parse("gpu:-1", 4));
        assertThrows(IllegalArgumentException.class, () -> TrainingDevices.parse("gpu:x", 4));
        String other = assertThrows(IllegalArgumentException.class, () -> TrainingDevices.parse("cuda", 4))
                .getMessage();
        assertTrue(other.contains("expected cpu, gpu, gpu:N or gpus"), other);
    }
}
