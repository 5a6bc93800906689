package dev.vlltr.runtime.store;

import dev.vlltr.runtime.testing.MinioServer;
import dev.vlltr.runtime.testing.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract against a real MinIO server. */
class MinioArtifactStoreTest extends S3ArtifactStoreContract {

    static MinioServer server;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("minio-");
        server = MinioServer.start(dir.resolve("data"));
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    S3Server server() {
        return server;
    }
}
