package dev.vlltr.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.runtime.manifest.ArtifactRef;
import dev.vlltr.runtime.manifest.XcomWriter;
import dev.vlltr.runtime.store.ArtifactStores;
import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.MinioServer;
import dev.vlltr.runtime.testing.MinioServerExtension;
import dev.vlltr.runtime.testing.PublishedOutputs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, defect 3: memoisation trusts nothing it has not verified. The fingerprint covers the upstream outputs'
 * digests, upstream outputs are checked before a consumer runs or skips, and a skip re-checks the stage's own
 * outputs by SHA-256 (never by size alone).
 */
class MemoisationVerifiesTest {

    @RegisterExtension
    static final MinioServerExtension MINIO = new MinioServerExtension();

    @TempDir
    Path tmp;

    private CommandRun sum(Path numbers, String... extra) {
        String[] args = {"--run-id", "r", "--artifact-root", tmp.resolve("root").toString(), "--input",
            "numbers=" + numbers, "--xcom-dir", tmp.resolve("no-xcom").toString()};
        return CommandRun.of(new SumStage(), concat(args, extra));
    }

    private CommandRun twice(DoubleStage stage) {
        return CommandRun.of(stage, "--run-id", "r", "--artifact-root", tmp.resolve("root").toString(), "--input",
                "sum=" + tmp.resolve("root/r/sum/manifest.json"), "--xcom-dir", tmp.resolve("no-xcom").toString());
    }

    @Test
    void sameSizeByteChangeInAnUpstreamOutputFailsTheConsumerWithExitTwoInsteadOfSkipping() throws Exception {
        Path numbers = Files.writeString(tmp.resolve("n.txt"), "1\n2\n3\n");
        assertEquals(0, sum(numbers).code());
        DoubleStage first = new DoubleStage();
        assertEquals(0, twice(first).code());
        assertEquals(1, first.executions.get());

        Path result = PublishedOutputs.file(tmp.resolve("root"), "r", "sum", "result");
        assertEquals("12", Files.readString(result));
        Files.writeString(result, "13");   // same size, other bytes (the corpus.jsonl case)

        DoubleStage again = new DoubleStage();
        CommandRun r = twice(again);
        assertEquals(2, r.code(), r.err());
        assertEquals(0, again.executions.get(), "neither skipped nor run on the changed bytes");
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.contains(result.toUri().toString()), err);
        assertTrue(err.contains(tmp.resolve("root/r/sum/manifest.json").toUri().toString()), err);
        assertTrue(err.contains("SHA-256"), err);
    }

    @Test
    void theConsumerIsMemoisedWhileItsVerifiedUpstreamStandsAndRerunsWhenTheUpstreamOutputsChange()
            throws Exception {
        Path numbers = Files.writeString(tmp.resolve("n.txt"), "1\n2\n3\n");
        assertEquals(0, sum(numbers).code());
        DoubleStage consumer = new DoubleStage();
        assertEquals(0, twice(consumer).code());
        assertEquals(0, twice(consumer).code());
        assertEquals(1, consumer.executions.get(), "nothing changed: skipped after verifying both manifests");

        Files.writeString(numbers, "1\n2\n3\n4\n");
        assertEquals(0, sum(numbers).code());
        assertEquals(0, twice(consumer).code());
        assertEquals(2, consumer.executions.get());
        assertEquals("40", Files.readString(PublishedOutputs.file(tmp.resolve("root"), "r", "double", "result")));
    }

    @Test
    void s3ObjectWithoutDigestMetadataIsRehashedNotComparedBySize() throws Exception {
        Path numbers = Files.writeString(tmp.resolve("n.txt"), "1\n2\n3\n");
        try (ArtifactStores store = new ArtifactStores(MINIO.server().config())) {
            StageRunner runner = new StageRunner(store, tmp.resolve("work"), new XcomWriter(tmp.resolve("no-xcom")));
            StageConfig cfg = new StageConfig("r", "s3://artifacts/memo", null, null,
                    Map.of("numbers", numbers.toString()), Map.of());
            SumStage stage = new SumStage();
            ArtifactRef out = runner.run(SumStage.DEFINITION, cfg, false, stage::execute).manifest().output("result");

            // another tool rewrites the object: same size, other bytes, no x-amz-meta-sha256
            rawPut(out.uri(), "13");
            assertFalse(runner.run(SumStage.DEFINITION, cfg, false, stage::execute).memoised());
            assertEquals(2, stage.executions.get());

            // the right bytes without the metadata: the full re-hash proves them, so the skip is allowed
            rawPut(out.uri(), "12");
            assertTrue(runner.run(SumStage.DEFINITION, cfg, false, stage::execute).memoised());
            assertEquals(2, stage.executions.get());
        }
    }

    private static void rawPut(URI uri, String text) throws Exception {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        try (MinioClient raw = MinioClient.builder().endpoint(MINIO.server().endpoint())
                .credentials(MinioServer.ACCESS, MinioServer.SECRET).build()) {
            raw.putObject(PutObjectArgs.builder().bucket(uri.getHost()).object(uri.getPath().substring(1))
                    .stream(new ByteArrayInputStream(data), (long) data.length, -1L).build());
        }
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
