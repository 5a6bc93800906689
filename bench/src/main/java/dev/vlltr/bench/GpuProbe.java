package dev.vlltr.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What DJL's PyTorch engine sees: engine version, GPU count, and on a GPU a small matrix product computed there and
 * compared with the CPU's (so "sees the GPU" means it also computes on it). One JSON line.
 */
public final class GpuProbe {

    private GpuProbe() {}

    public static void main(String[] args) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        Engine engine = Engine.getInstance();
        out.put("engine", engine.getEngineName() + " " + engine.getVersion());
        int gpus = engine.getGpuCount();
        out.put("gpus", gpus);
        if (gpus > 0) {
            try (NDManager cpu = NDManager.newBaseManager(Device.cpu());
                    NDManager gpu = NDManager.newBaseManager(Device.gpu())) {
                NDArray a = cpu.arange(0f, 64f).reshape(8, 8).div(64f);
                float[] onCpu = a.matMul(a).toFloatArray();
                float[] onGpu = a.toDevice(Device.gpu(), true).matMul(a.toDevice(Device.gpu(), true))
                        .toDevice(Device.cpu(), true).toFloatArray();
                double worst = 0;
                for (int i = 0; i < onCpu.length; i++) {
                    worst = Math.max(worst, Math.abs(onCpu[i] - onGpu[i]));
                }
                out.put("gpu_matmul_max_abs_diff", worst);
                out.put("gpu_ok", worst < 1e-3);
            }
        }
        System.out.println(new ObjectMapper().writeValueAsString(out));
    }
}
