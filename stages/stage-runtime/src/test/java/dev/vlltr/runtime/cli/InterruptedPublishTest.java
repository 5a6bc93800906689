package dev.vlltr.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.runtime.manifest.XcomWriter;
import dev.vlltr.runtime.store.ArtifactInfo;
import dev.vlltr.runtime.store.S3ArtifactStore;
import dev.vlltr.runtime.store.S3Config;
import dev.vlltr.runtime.testing.MinioServer;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real MinIO server killed in the middle of a stage's multipart upload: nothing of the stage may be visible. */
class InterruptedPublishTest {

    @TempDir
    Path tmp;

    static final StageDefinition BIG = new StageDefinition("big", "writes one large output", List.of(), List.of());

    @Test
    void serverKilledMidUploadLeavesNoOutputAndNoManifest() throws Exception {
        Path data = tmp.resolve("minio-data");
        URI stageDir = URI.create("s3://artifacts/run-x/big/");
        CompletableFuture<Object> publish;
        try (MinioServer minio = MinioServer.start(data)) {
            minio.createBucket("artifacts");
            S3Config cfg = minio.config().withPartSize(S3Config.MIN_PART_SIZE).withRetries(2, Duration.ofMillis(50));
            S3ArtifactStore store = new S3ArtifactStore(cfg);
            StageRunner runner = new StageRunner(store, tmp.resolve("work"), new XcomWriter(tmp.resolve("no-xcom")));
            StageConfig config = new StageConfig("run-x", "s3://artifacts", null, null, Map.of(), Map.of());
            publish = CompletableFuture.supplyAsync(() -> {
                try {
                    return runner.run(BIG, config, false, ctx -> {
                        byte[] chunk = new byte[1 << 20];
                        Random rnd = new Random(3);
                        try (OutputStream out = Files.newOutputStream(ctx.output("weights", "weights.bin"))) {
                            for (int i = 0; i < 160; i++) {   // 160 MiB: 32 parts of 5 MiB
                                rnd.nextBytes(chunk);
                                out.write(chunk);
                            }
                        }
                    });
                } catch (Exception e) {
                    return e;
                }
            });
            awaitMultipartInProgress(data, publish);
            minio.kill();
            Object outcome = publish.get(120, TimeUnit.SECONDS);
            assertTrue(outcome instanceof Exception, "publishing must fail when the server dies, got " + outcome);
            store.close();
        }
        // Restart MinIO on the same data: the interrupted stage must have left nothing visible.
        try (MinioServer again = MinioServer.start(data);
                S3ArtifactStore store = new S3ArtifactStore(again.config())) {
            List<ArtifactInfo> visible = store.list(stageDir);
            assertEquals(List.of(), visible, "no object of the interrupted stage may be visible");
            assertFalse(store.exists(URI.create("s3://artifacts/run-x/big/manifest.json")));
        }
    }

    /** Waits until MinIO has received parts of a multipart upload (so the kill lands mid-upload). */
    private static void awaitMultipartInProgress(Path data, CompletableFuture<?> publish) throws Exception {
        Path multipart = data.resolve(".minio.sys/multipart");
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (publish.isDone()) {
                throw new AssertionError("the upload finished before it could be interrupted: " + publish.get());
            }
            if (Files.isDirectory(multipart)) {
                try (Stream<Path> s = Files.walk(multipart)) {
                    if (s.filter(Files::isRegularFile).count() >= 2) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no multipart upload appeared in " + multipart);
    }
}
