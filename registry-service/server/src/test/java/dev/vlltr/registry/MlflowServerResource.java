package dev.vlltr.registry;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real {@code mlflow server} on 127.0.0.1 for the mirror test. The registry is configured with its URI at
 * once, but the server is started only when the test calls {@link #startServer()}, so that the test can first
 * watch the mirror fail and retry. Found at {@code VLLTR_MLFLOW} or {@code ~/.cache/vlltr/venv-mlflow/bin/mlflow}.
 */
public class MlflowServerResource implements QuarkusTestResourceLifecycleManager {
    static int port;
    static Process process;
    static Path dir;

    static Path executable() {
        String env = System.getenv("VLLTR_MLFLOW");
        if (env != null) {
            return Path.of(env);
        }
        String py = System.getenv("VLLTR_MLFLOW_PYTHON");
        if (py != null) {
            return Path.of(py).resolveSibling("mlflow");
        }
        return Path.of(System.getProperty("user.home"), ".cache/vlltr/venv-mlflow/bin/mlflow");
    }

    static boolean available() {
        return Files.isExecutable(executable());
    }

    @Override
    public Map<String, String> start() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("vlltr.registry.mlflow-uri", uri(),
                "vlltr.registry.mlflow.backoff-base", "PT0.3S",
                "vlltr.registry.mlflow.backoff-max", "PT1S",
                "vlltr.registry.mlflow.poll-interval", "1s",
                "vlltr.registry.mlflow.max-attempts", "1000");
    }

    static String uri() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the server and waits until it answers (up to 3 minutes on a loaded machine). */
    static synchronized void startServer() throws Exception {
        if (process != null) {
            return;
        }
        dir = Files.createTempDirectory("mlflow-mirror");
        ProcessBuilder pb = new ProcessBuilder(executable().toString(), "server", "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--workers", "1",
                "--backend-store-uri", "sqlite:///" + dir.resolve("mlflow.db"),
                "--artifacts-destination", dir.resolve("art").toString())
                .redirectErrorStream(true).redirectOutput(new File(dir.resolve("server.log").toString()));
        pb.environment().put("MLFLOW_DISABLE_TELEMETRY", "true");
        pb.environment().put("DO_NOT_TRACK", "true");
        process = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mlflow server exited: " + Files.readString(dir.resolve("server.log")));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri() + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("mlflow server did not answer within 3 minutes");
    }

    @Override
    public void stop() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            process = null;
        }
    }
}
