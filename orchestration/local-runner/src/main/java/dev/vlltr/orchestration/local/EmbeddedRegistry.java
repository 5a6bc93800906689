package dev.vlltr.orchestration.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The model registry service for a local run: its runnable jar started on 127.0.0.1 with its embedded PostgreSQL
 * (data kept under the run's work folder, so registered versions survive between runs), a fresh admin key handed to
 * the evaluation stage (and written to the work folder's key file), stopped when the run ends; {@code run-local.sh ui}
 * starts it again on the same database.
 */
public final class EmbeddedRegistry implements AutoCloseable {

    private final Process process;
    private final URI url;
    private final String apiKey;

    private EmbeddedRegistry(Process process, URI url, String apiKey) {
        this.process = process;
        this.url = url;
        this.apiKey = apiKey;
    }

    /**
     * Starts the service on a free port and waits until its readiness check (database included) answers 200.
     *
     * @param dataDir the embedded database's folder
     * @param log     the service's log file
     */
    public static EmbeddedRegistry start(Path java, Path jar, Path dataDir, Path log, Duration timeout)
            throws IOException, InterruptedException {
        return start(java, jar, dataDir, log, timeout, 0, Map.of());
    }

    /**
     * Starts the service and waits until its readiness check (database included) answers 200.
     *
     * @param dataDir the embedded database's folder
     * @param log     the service's log file
     * @param port    the port to listen on (127.0.0.1), 0 for a free one
     * @param extraEnv more of the service's settings (e.g. its MLflow mirror)
     */
    public static EmbeddedRegistry start(Path java, Path jar, Path dataDir, Path log, Duration timeout, int port,
            Map<String, String> extraEnv) throws IOException, InterruptedException {
        if (port == 0) {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
        }
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String key = "vlltr-local-" + HexFormat.of().formatHex(secret);
        Files.createDirectories(dataDir);
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(java.toString(), "-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(extraEnv);
        pb.environment().putAll(environment(port, dataDir, key));
        Process process = pb.start();
        URI url = URI.create("http://127.0.0.1:" + port);
        EmbeddedRegistry registry = new EmbeddedRegistry(process, url, key);
        try {
            registry.awaitReady(timeout, log);
        } catch (IOException | InterruptedException | RuntimeException e) {
            registry.close();
            throw e;
        }
        return registry;
    }

    /**
     * The settings that make a local registry mirror its versions into the MLflow UI that {@code run-local.sh ui}
     * serves at {@code mlflowUri}. While that UI is not running the mirror cannot reach it: a version then stays
     * PENDING (retried every few seconds, practically without limit) instead of being given up, and is mirrored as
     * soon as a registry on the same database runs next to the UI.
     */
    static Map<String, String> mirrorEnvironment(URI mlflowUri) {
        return Map.of(
                "VLLTR_REGISTRY_MLFLOW_URI", mlflowUri.toString(),
                "VLLTR_REGISTRY_MLFLOW_MAX_ATTEMPTS", "1000000",
                "VLLTR_REGISTRY_MLFLOW_BACKOFF_BASE", "PT2S",
                "VLLTR_REGISTRY_MLFLOW_BACKOFF_MAX", "PT10S",
                "VLLTR_REGISTRY_MLFLOW_POLL_INTERVAL", "2s");
    }

    /** The service's settings for a local run (see registry-service/README.md, "Configuration"). */
    static Map<String, String> environment(int port, Path dataDir, String adminKey) {
        return Map.of(
                "QUARKUS_HTTP_HOST", "127.0.0.1",
                "QUARKUS_HTTP_PORT", String.valueOf(port),
                "VLLTR_REGISTRY_DATA_DIR", dataDir.toAbsolutePath().toString(),
                "VLLTR_REGISTRY_BOOTSTRAP_API_KEY", adminKey);
    }

    private void awaitReady(Duration timeout, Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(url.resolve("/q/health/ready")).timeout(Duration.ofSeconds(5))
                .GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the registry service exited with code " + process.exitValue()
                        + " during start-up; its log " + log + " ends with:\n  "
                        + String.join("\n  ", StageProcess.tail(log, 15)));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IOException("the registry service was not ready within " + timeout.toSeconds() + " s (" + url
                + "/q/health/ready); see " + log);
    }

    /** Whether a registry answers its readiness check at {@code url} (within a few seconds). */
    static boolean isReady(URI url) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        try {
            return http.send(HttpRequest.newBuilder(url.resolve("/q/health/ready")).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    public URI url() {
        return url;
    }

    public String apiKey() {
        return apiKey;
    }

    /** Stops the service (and with it the embedded database) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
