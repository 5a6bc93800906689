import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Run at image build time (java's single-file source launcher, on the stage's fast-jar classpath): loads the PyTorch
 * engine once so that DJL extracts libtorch and its JNI library into DJL_CACHE_DIR inside the image. Pods then
 * start without extracting anything and without network (DJL_OFFLINE=true).
 *
 * <p>{@code --extract-only}: for the CUDA variant built on a machine without an NVIDIA driver, a failure to
 * initialise CUDA after the extraction is reported but not fatal.
 */
public class DjlWarmUp {

    public static void main(String[] args) {
        boolean extractOnly = args.length > 0 && args[0].equals("--extract-only");
        try {
            Engine engine = Engine.getEngine("PyTorch");
            try (NDManager manager = engine.newBaseManager()) {
                NDArray sum = manager.ones(new Shape(2, 3)).sum();
                System.out.println("DJL warm-up: PyTorch " + engine.getVersion() + ", sum(ones(2,3)) = "
                        + sum.getFloat() + ", GPUs visible: " + engine.getGpuCount());
                if (sum.getFloat() != 6f) {
                    throw new IllegalStateException("libtorch computed " + sum.getFloat() + " instead of 6");
                }
            }
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            if (!extractOnly) {
                throw e;
            }
            System.out.println("DJL warm-up: native libraries extracted; engine not usable here (" + e + ")");
        }
    }
}
