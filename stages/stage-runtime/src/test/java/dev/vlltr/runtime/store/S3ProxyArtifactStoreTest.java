package dev.vlltr.runtime.store;

import dev.vlltr.runtime.testing.S3ProxyServer;
import dev.vlltr.runtime.testing.S3Server;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against s3proxy, in-process (fast). */
class S3ProxyArtifactStoreTest extends S3ArtifactStoreContract {

    static S3ProxyServer server;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = new S3ProxyServer(dir);
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Override
    S3Server server() {
        return server;
    }
}
