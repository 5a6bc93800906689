package dev.vlltr.runtime.store;

import dev.vlltr.runtime.testing.MinioServer;
import dev.vlltr.runtime.testing.S3Server;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against a real MinIO server. */
class MinioArtifactStoreTest extends S3ArtifactStoreContract {

    static MinioServer server;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
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
