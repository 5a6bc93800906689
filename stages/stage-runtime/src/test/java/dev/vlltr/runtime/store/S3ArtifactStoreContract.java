package dev.vlltr.runtime.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.testing.S3Server;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every S3 server must give our store; run against s3proxy and a real MinIO. */
abstract class S3ArtifactStoreContract {

    static final String BUCKET = "artifacts";

    @TempDir
    Path tmp;

    abstract S3Server server();

    S3ArtifactStore store(S3Config.Verify verify) {
        return new S3ArtifactStore(server().config().withPartSize(S3Config.MIN_PART_SIZE).withVerify(verify));
    }

    @Test
    void smallPutStatGetRoundTrip() throws Exception {
        try (S3ArtifactStore store = store(S3Config.Verify.CHECKSUM)) {
            URI uri = URI.create("s3://" + BUCKET + "/run-1/stage/small.json");
            byte[] data = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            ArtifactInfo put = store.put(data, uri);
            assertEquals(Sha256.of(data), put.sha256());
            ArtifactInfo stat = store.stat(uri).orElseThrow();
            assertEquals(put, stat, "the digest is recorded with the object");
            assertArrayEquals(data, store.readAllBytes(uri, put.sha256()));
        }
    }

    @Test
    void largeFileGoesMultipartAndVerifiesByReadBack() throws Exception {
        byte[] data = new byte[12 * 1024 * 1024 + 123];   // three 5 MiB parts
        new Random(7).nextBytes(data);
        Path src = tmp.resolve("big.bin");
        Files.write(src, data);
        try (S3ArtifactStore store = store(S3Config.Verify.READ_BACK)) {
            URI uri = URI.create("s3://" + BUCKET + "/run-1/stage/big.bin");
            ArtifactInfo info = store.put(src, uri);
            assertEquals(data.length, info.size());
            assertEquals(Sha256.of(data), info.sha256());

            Path back = tmp.resolve("back.bin");
            store.download(uri, back, info.sha256());
            assertArrayEquals(data, Files.readAllBytes(back));
        }
    }

    @Test
    void corruptedObjectIsDetectedOnDownloadAndNoFileIsLeft() throws Exception {
        try (S3ArtifactStore store = store(S3Config.Verify.CHECKSUM)) {
            URI uri = URI.create("s3://" + BUCKET + "/run-1/stage/weights.bin");
            ArtifactInfo good = store.put("original weights".getBytes(StandardCharsets.UTF_8), uri);
            // Someone overwrites the bytes behind our back, keeping the recorded digest.
            try (MinioClient raw = MinioClient.builder().endpoint(server().endpoint())
                    .credentials(server().config().accessKey(), server().config().secretKey()).build()) {
                byte[] evil = "tampered weights".getBytes(StandardCharsets.UTF_8);
                raw.putObject(PutObjectArgs.builder().bucket(BUCKET).object("run-1/stage/weights.bin")
                        .stream(new ByteArrayInputStream(evil), (long) evil.length, -1L)
                        .userMetadata(Map.of("sha256", good.sha256())).build());
            }
            Path target = tmp.resolve("dl/weights.bin");
            ChecksumMismatchException e =
                    assertThrows(ChecksumMismatchException.class, () -> store.download(uri, target, null));
            assertEquals(good.sha256(), e.expected());
            assertFalse(Files.exists(target));
            try (var s = Files.list(target.getParent())) {
                assertEquals(0, s.count(), "no partial download may remain");
            }
            assertThrows(ChecksumMismatchException.class, () -> store.readAllBytes(uri, good.sha256()));
        }
    }

    @Test
    void missingBucketIsAClearConfigurationError() throws Exception {
        try (S3ArtifactStore store = store(S3Config.Verify.CHECKSUM)) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> store.put("x".getBytes(StandardCharsets.UTF_8), URI.create("s3://no-such-bucket/a/b")));
            assertTrue(e.getMessage().contains("'no-such-bucket' does not exist"), e.getMessage());
            assertTrue(e.getMessage().contains(server().endpoint()), e.getMessage());
        }
    }

    @Test
    void listCopyDeletePutIfAbsent() throws Exception {
        try (S3ArtifactStore store = store(S3Config.Verify.CHECKSUM)) {
            URI base = URI.create("s3://" + BUCKET + "/run-2/");
            store.put("a".getBytes(StandardCharsets.UTF_8), ArtifactUris.resolve(base, "s/a.txt"));
            store.put("b".getBytes(StandardCharsets.UTF_8), ArtifactUris.resolve(base, "s/b.txt"));
            assertEquals(List.of("s/a.txt", "s/b.txt"),
                    store.list(base).stream().map(a -> ArtifactUris.relativize(base, a.uri())).toList());

            ArtifactInfo copied = store.copy(ArtifactUris.resolve(base, "s/a.txt"), ArtifactUris.resolve(base, "t/a.txt"));
            assertEquals(Sha256.of("a".getBytes(StandardCharsets.UTF_8)), copied.sha256());
            try (InputStream in = store.open(copied.uri())) {
                assertEquals("a", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }

            URI once = ArtifactUris.resolve(base, "once.json");
            assertTrue(store.putIfAbsent("1".getBytes(StandardCharsets.UTF_8), once).isPresent());
            assertTrue(store.putIfAbsent("2".getBytes(StandardCharsets.UTF_8), once).isEmpty());
            assertArrayEquals("1".getBytes(StandardCharsets.UTF_8), store.readAllBytes(once, null));

            store.delete(once);
            assertFalse(store.exists(once));
            assertThrows(ArtifactNotFoundException.class, () -> store.open(once));
        }
    }
}
