package dev.vlltr.runtime.cli;

import dev.vlltr.runtime.manifest.XcomWriter;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.runtime.store.FileArtifactStore;
import dev.vlltr.runtime.store.S3ArtifactStore;
import dev.vlltr.runtime.store.S3Config;
import dev.vlltr.runtime.testing.MinioServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The child JVM of {@link PublishKillTest}: runs {@link PairStage} and, when publishing reaches the phase named in
 * the arguments, writes a marker file and waits to be killed with SIGKILL by the test. No clean-up code can run.
 *
 * <p>Arguments: {@code <artifact-root> <work-dir> <run-id> <factor> <big-mb> <phase|NONE> <marker> [s3-endpoint]}.
 */
public final class PublishKillMain {

    private PublishKillMain() {}

    public static void main(String[] args) throws Exception {
        String root = args[0];
        Path work = Path.of(args[1]);
        String runId = args[2];
        String phase = args[5];
        Path marker = Path.of(args[6]);
        ArtifactStore store = args.length > 7
                ? new S3ArtifactStore(S3Config.of(args[7], MinioServer.ACCESS, MinioServer.SECRET)
                        .withPartSize(S3Config.MIN_PART_SIZE))
                : new FileArtifactStore();
        StageRunner runner = new StageRunner(store, work, new XcomWriter(work.resolveSibling("no-xcom")))
                .onPublish(reached -> {
                    if (reached.name().equals(phase)) {
                        Files.writeString(marker, reached.name());
                        Thread.sleep(600_000);   // bounded: the test kills us long before
                    }
                });
        runner.run(PairStage.DEFINITION, new StageConfig(runId, root, null, null, Map.of(),
                Map.of("factor", args[3], "big-mb", args[4])), false, new PairStage()::execute);
        Files.writeString(marker, "DONE");
    }
}
