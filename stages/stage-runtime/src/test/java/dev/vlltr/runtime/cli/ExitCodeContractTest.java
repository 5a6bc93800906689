package dev.vlltr.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.runtime.manifest.XcomWriter;
import dev.vlltr.runtime.store.ArtifactStores;
import dev.vlltr.runtime.store.S3Config;
import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.MinioServer;
import dev.vlltr.runtime.testing.MinioServerExtension;
import dev.vlltr.runtime.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, defect 4: the exit-code contract for store and root failures. Bad input, refused credentials, unwritable
 * roots, corrupt or missing upstreams: exit 2 with one line naming URI, endpoint and cause, before the stage body
 * runs. A store that stays unreachable after its retries: exit 1 naming the endpoint and the object.
 */
class ExitCodeContractTest {

    @RegisterExtension
    static final MinioServerExtension MINIO = new MinioServerExtension();

    @TempDir
    Path tmp;

    private Path numbers() throws Exception {
        return Files.writeString(tmp.resolve("n.txt"), "1\n2\n");
    }

    @Test
    void unwritableArtifactRootIsExitTwoWithItsCauseBeforeTheStageRuns() throws Exception {
        // a root below a regular file cannot be created (as root, chmod would not stop us; this does)
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        SumStage stage = new SumStage();
        CommandRun r = CommandRun.of(stage, "--run-id", "r", "--artifact-root", file.resolve("root").toString(),
                "--input", "numbers=" + numbers(), "--xcom-dir", tmp.resolve("no-xcom").toString());
        assertEquals(2, r.code(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("error: --artifact-root " + file.resolve("root").toUri()), err);
        assertTrue(err.contains("cannot write there"), err);
        assertFalse(err.contains("artifact not found"), "the cause is kept: " + err);
        assertEquals(0, stage.executions.get(), "checked before the work starts");
    }

    @Test
    void missingUpstreamManifestIsExitTwoNamingTheUri() throws Exception {
        Path missing = tmp.resolve("root/r/sum/manifest.json");
        CommandRun r = CommandRun.of(new DoubleStage(), "--run-id", "r", "--artifact-root",
                tmp.resolve("root").toString(), "--input", "sum=" + missing, "--xcom-dir",
                tmp.resolve("no-xcom").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("input 'sum': no manifest at " + missing.toUri()), r.err());
    }

    @Test
    void refusedCredentialsAreExitTwoNamingTheEndpointBeforeTheStageRuns() throws Exception {
        S3Config wrong = S3Config.of(MINIO.server().endpoint(), MinioServer.ACCESS, "not-the-secret");
        SumStage stage = new SumStage();
        Failures f = failureOf(wrong, stage, "s3://artifacts/creds");
        assertEquals(ExitCodes.BAD_INPUT, f.exitCode(), f.message());
        assertTrue(f.message().contains(MINIO.server().endpoint()), f.message());
        assertTrue(f.message().contains("SignatureDoesNotMatch") || f.message().contains("InvalidAccessKeyId")
                || f.message().contains("AccessDenied"), f.message());
        assertTrue(f.message().contains("s3://artifacts/"), "names the object: " + f.message());
        assertFalse(f.message().contains("\n"));
        assertEquals(0, stage.executions.get());
    }

    @Test
    void unreachableStoreIsExitOneNamingEndpointAndObjectAfterTheRetries() throws Exception {
        String endpoint = "http://127.0.0.1:" + Ports.free();   // nothing listens there
        S3Config down = S3Config.of(endpoint, MinioServer.ACCESS, MinioServer.SECRET)
                .withRetries(2, Duration.ofMillis(10));
        SumStage stage = new SumStage();
        Failures f = failureOf(down, stage, "s3://artifacts/down");
        assertEquals(ExitCodes.FAILURE, f.exitCode(), f.message());
        assertFalse(f.unexpected(), "a known condition, not a bug: no stack trace: " + f.message());
        assertTrue(f.message().contains(endpoint), f.message());
        assertTrue(f.message().contains("s3://artifacts/down"), f.message());
        assertTrue(f.message().contains("after 2 attempts"), f.message());
        assertEquals(0, stage.executions.get());
    }

    @Test
    void unknownEndpointHostIsExitTwo() throws Exception {
        S3Config nowhere = S3Config.of("http://no-such-host.invalid:9000", MinioServer.ACCESS, MinioServer.SECRET)
                .withRetries(1, Duration.ofMillis(10));
        Failures f = failureOf(nowhere, new SumStage(), "s3://artifacts/nowhere");
        assertEquals(ExitCodes.BAD_INPUT, f.exitCode(), f.message());
        assertTrue(f.message().contains("no-such-host.invalid"), f.message());
    }

    @Test
    void aMismatchOnReadingIsBadInputButOnWritingARetryableFailure() {
        java.net.URI uri = java.net.URI.create("s3://artifacts/r/sum/outputs/ab/result.txt");
        Failures read = Failures.of("sum", new java.io.UncheckedIOException(
                new dev.vlltr.runtime.store.ChecksumMismatchException(uri, "aa", "bb")));
        assertEquals(ExitCodes.BAD_INPUT, read.exitCode(), read.message());
        assertTrue(read.message().contains(uri.toString()), read.message());
        Failures write = Failures.of("sum", new dev.vlltr.runtime.store.WriteVerificationException(uri, "aa", "bb"));
        assertEquals(ExitCodes.FAILURE, write.exitCode(), write.message());
        assertFalse(write.unexpected());
        assertTrue(write.message().contains(uri.toString()), write.message());
    }

    @Test
    void aBugIsExitOneAndKeepsItsStackTrace() {
        Failures f = Failures.of("sum", new NullPointerException("oops"));
        assertEquals(ExitCodes.FAILURE, f.exitCode());
        assertTrue(f.unexpected());
        assertTrue(f.message().contains("NullPointerException: oops"), f.message());
    }

    /** Runs the stage on {@code root} through {@code s3} the way StageCommand does and maps what it throws. */
    private Failures failureOf(S3Config s3, SumStage stage, String root) throws Exception {
        try (ArtifactStores store = new ArtifactStores(s3)) {
            StageRunner runner = new StageRunner(store, tmp.resolve("work"), new XcomWriter(tmp.resolve("no-xcom")));
            StageConfig cfg = new StageConfig("r", root, null, null, Map.of("numbers", numbers().toString()), Map.of());
            Exception e = assertThrows(Exception.class, () -> runner.run(SumStage.DEFINITION, cfg, false,
                    stage::execute));
            return Failures.of("sum", e);
        }
    }
}
