package dev.vlltr.runtime.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real {@link MinioServer} per test class, with the bucket {@link #BUCKET} created: register as a static field
 * with {@code @RegisterExtension}. Skipped (failed under {@code vlltr.requireServers=true}) without the binary.
 */
public final class MinioServerExtension implements BeforeAllCallback, AfterAllCallback {

    public static final String BUCKET = "artifacts";

    private Path dataDir;
    private MinioServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("minio-server-");
        server = MinioServer.start(dataDir.resolve("data"));
        server.createBucket(BUCKET);
    }

    /** The running server. */
    public MinioServer server() {
        if (server == null) {
            throw new IllegalStateException("MinIO is not running (beforeAll did not run or failed)");
        }
        return server;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
        if (dataDir != null) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
