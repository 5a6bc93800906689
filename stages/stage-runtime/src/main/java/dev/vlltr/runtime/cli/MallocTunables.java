package dev.vlltr.runtime.cli;

import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The glibc malloc settings every stage JVM runs with ({@code GLIBC_TUNABLES}; the images, the local runner, Airflow's
 * local mode, the test JVMs and the benchmarks set it). libtorch allocates each CPU tensor with {@code malloc}; with
 * glibc's defaults a buffer above 128 KiB made in a JVM thread comes from {@code mmap} or from a per-thread heap that
 * is trimmed back to the kernel when freed, so every step page-faults its activations in again (the CVLP step,
 * ResNet-20 at batch 128 on the CPU: 13,000–19,000 minor faults a step against a few hundred with these settings, and
 * 13–21 % slower; docs/results-and-benchmarks.md). A fixed mmap threshold of 32 MiB (glibc's ceiling) and a trim
 * threshold of 1 GiB keep freed buffers for the next step; a top pad of 64 MiB (one whole per-thread heap) keeps glibc
 * from unmapping a per-thread heap that became empty, which the trim threshold does not govern (without it some runs
 * still faulted 4,000–14,000 times a step).
 *
 * <p>glibc reads the variable once, at process start, so it cannot be set from inside a running JVM: a stage started
 * without it logs how to start it.
 */
public final class MallocTunables {

    private static final Logger LOG = LoggerFactory.getLogger(MallocTunables.class);

    /** The environment variable. */
    public static final String ENV = "GLIBC_TUNABLES";

    /** Its value: mmap threshold 32 MiB, trim threshold 1 GiB, top pad 64 MiB. */
    public static final String VALUE = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824"
            + ":glibc.malloc.top_pad=67108864";

    private MallocTunables() {}

    /**
     * What to tell a user whose JVM runs without the settings.
     *
     * @param osName   {@code os.name}
     * @param tunables the process's {@code GLIBC_TUNABLES}, or null
     * @return the advice, or empty when the settings are in place or the system is not Linux
     */
    static Optional<String> advice(String osName, String tunables) {
        if (osName == null || !osName.startsWith("Linux")) {
            return Optional.empty();
        }
        // every setting of VALUE must be there by name (a user may choose other numbers)
        if (tunables != null && Arrays.stream(VALUE.split(":"))
                .allMatch(setting -> tunables.contains(setting.substring(0, setting.indexOf('=') + 1)))) {
            return Optional.empty();
        }
        return Optional.of("this JVM runs without the stages' glibc malloc settings (" + ENV + "="
                + (tunables == null ? "unset" : tunables) + "): libtorch's freed CPU buffers go back to the kernel and"
                + " every training step page-faults them in again (up to ~20 % slower on the CPU). Start the stage with "
                + ENV + "=" + VALUE + " (the images and runners do; docs/results-and-benchmarks.md)");
    }

    /** Logs {@link #advice} for this process, once per call (a stage calls it once, before its work). */
    public static void warnIfUntuned() {
        advice(System.getProperty("os.name"), System.getenv(ENV)).ifPresent(LOG::warn);
    }
}
