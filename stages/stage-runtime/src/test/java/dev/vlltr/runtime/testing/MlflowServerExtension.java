package dev.vlltr.runtime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One {@link MlflowServer} per test class (it takes seconds to start): register as a static field with
 * {@code @RegisterExtension}. A failed test prints the server's log; the class is skipped when Python with mlflow is
 * missing (failed under {@code vlltr.requireServers=true}).
 */
public final class MlflowServerExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {
    private Path workDir;
    private MlflowServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        MlflowServer.requirePython();
        workDir = Files.createTempDirectory("mlflow-server-");
        server = MlflowServer.start(workDir);
    }

    /** The running server. */
    public MlflowServer server() {
        if (server == null) {
            throw new IllegalStateException("the MLflow server is not running (beforeAll did not run or failed)");
        }
        return server;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (server != null) {
            System.err.println("--- MLflow server log (" + context.getDisplayName() + " failed) ---\n" + server.log());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
        if (workDir != null) {
            try (Stream<Path> paths = Files.walk(workDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
