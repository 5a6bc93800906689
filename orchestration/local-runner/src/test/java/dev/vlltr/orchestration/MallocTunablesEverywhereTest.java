package dev.vlltr.orchestration;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.runtime.cli.MallocTunables;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * glibc reads its malloc settings at process start, so every place that starts a stage JVM has to set them: the
 * images, Airflow's local mode, the test JVMs, the benchmarks (the Java local runner uses {@link MallocTunables}
 * itself). They are written out in each of those files; this keeps them the same.
 */
class MallocTunablesEverywhereTest {

    @Test
    void everyPlaceThatStartsAStageJvmSetsTheSameSettings() throws Exception {
        String df = Files.readString(RepoFiles.root().resolve("orchestration/images/Dockerfile.jvm-stage"));
        String runtime = df.substring(df.indexOf("AS runtime-base"), df.indexOf("AS cpu"));
        assertTrue(runtime.contains("GLIBC_TUNABLES=" + MallocTunables.VALUE), runtime);
        for (String file : List.of("orchestration/airflow/dags/vlltr_stage_operators.py",
                "orchestration/images/verify-image.sh", "pom.xml", "bench/lib/harness.sh")) {
            String text = Files.readString(RepoFiles.root().resolve(file));
            assertTrue(text.contains(MallocTunables.VALUE), file + " does not set " + MallocTunables.VALUE);
        }
    }
}
