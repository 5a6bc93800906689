import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Run at image build time (java's single-file source launcher, on the stage's fast-jar classpath): loads the PyTorch
 * engine once so that DJL extracts libtorch and its JNI library into DJL_CACHE_DIR inside the image. Pods then
 * start without extracting anything and without network (DJL_OFFLINE=true). Compiled into every stage image as
 * {@code /deployments/tools/DjlWarmUp.class}, it is also the image's self-check (orchestration/images/verify-image.sh);
 * the CUDA images load their CUDA libtorch with it on a machine without a GPU too (0 GPUs visible, CPU compute).
 */
public class DjlWarmUp {

    public static void main(String[] args) throws IOException {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = engine.newBaseManager()) {
            NDArray sum = manager.ones(new Shape(2, 3)).sum();
            System.out.println("DJL warm-up: PyTorch " + engine.getVersion() + ", sum(ones(2,3)) = "
                    + sum.getFloat() + ", GPUs visible: " + engine.getGpuCount());
            if (sum.getFloat() != 6f) {
                throw new IllegalStateException("libtorch computed " + sum.getFloat() + " instead of 6");
            }
        }
        // which libtorch this process really runs (the CPU build from the DJL cache, or the CUDA one of the -cuda images)
        Path maps = Path.of("/proc/self/maps");
        if (Files.isReadable(maps)) {
            System.out.println("DJL warm-up: loaded " + Files.readAllLines(maps).stream()
                    .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                    .filter(f -> f.matches(".*/([^/]*-)?lib(torch_cpu|torch_cuda|c10_cuda|cudart|djl_torch)[^/]*\\.so[.0-9]*"))
                    .distinct().sorted().collect(Collectors.joining(" ")));
        }
    }
}
