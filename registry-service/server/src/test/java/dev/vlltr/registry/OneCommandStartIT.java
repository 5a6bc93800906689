package dev.vlltr.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged service started the way users start it, {@code java -jar quarkus-run.jar} with no database
 * configured: it runs on its embedded PostgreSQL, binds 127.0.0.1, prints where it listens and where the
 * generated admin key is (never the key), and what was written survives a restart. Runs in the
 * integration-test phase, after the jar is built.
 */
class OneCommandStartIT {
    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Started(Process process, Path log, int port) {}

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    Started start(Path work, int port) throws Exception {
        Path log = Files.createTempFile(work, "registry", ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("VLLTR_REGISTRY_"));
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("VLLTR_REGISTRY_DATA_DIR", work.resolve("pg").toString());
        pb.environment().put("VLLTR_REGISTRY_ADMIN_KEY_FILE", work.resolve("admin.key").toString());
        Process p = pb.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("service exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (get(port, "/q/health/ready", null).statusCode() == 200) {
                    return new Started(p, log, port);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        p.destroyForcibly();
        throw new AssertionError("service not ready in 3 minutes:\n" + Files.readString(log));
    }

    HttpResponse<String> get(int port, String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String stop(Started s) throws Exception {
        s.process.destroy(); // SIGTERM: Quarkus shuts down, then RegistryMain stops PostgreSQL
        assertTrue(s.process.waitFor(60, TimeUnit.SECONDS), "service stops on SIGTERM");
        return Files.readString(s.log);
    }

    @Test
    void startsOnEmbeddedDatabaseWithOneCommandAndKeepsData() throws Exception {
        assertTrue(Files.exists(JAR), "packaged service at " + JAR.toAbsolutePath());
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "one-command");
        int port = freePort();
        Started first = start(work, port);
        String key;
        try {
            key = Files.readString(work.resolve("admin.key")).strip();
            assertTrue(key.startsWith("vlr_"), "generated key in the key file");
            HttpRequest create = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/models"))
                    .header("X-API-Key", key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"kept-model\"}")).build();
            assertEquals(201, http.send(create, HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(401, get(port, "/api/v1/models", null).statusCode());
        } finally {
            String log1 = stop(first);
            assertTrue(log1.contains("Listening on: http://127.0.0.1:" + port), log1);
            assertTrue(log1.contains("API http://127.0.0.1:" + port + "/api/v1"), log1);
            assertTrue(log1.contains("embedded PostgreSQL on 127.0.0.1:"), log1);
            assertTrue(log1.contains("admin API key: generated, written to " + work.resolve("admin.key")), log1);
        }
        assertFalse(Files.readString(first.log).contains(key), "the key is never printed");

        Started second = start(work, port);
        try {
            HttpResponse<String> r = get(port, "/api/v1/models/kept-model", key);
            assertEquals(200, r.statusCode(), "the model and the key survive a restart: " + r.body());
        } finally {
            String log2 = stop(second);
            assertTrue(log2.contains("admin API key: kept from an earlier start; the generated one is in "
                    + work.resolve("admin.key")), log2);
            assertFalse(log2.contains(key));
        }
    }

    @Test
    void restartsAtOnceAfterKill9OfTheServiceAndKeepsAcknowledgedWrites() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "killed-service");
        int port = freePort();
        Started first = start(work, port);
        String key = Files.readString(work.resolve("admin.key")).strip();
        HttpRequest create = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/models"))
                .header("X-API-Key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"acknowledged\"}")).build();
        assertEquals(201, http.send(create, HttpResponse.BodyHandlers.ofString()).statusCode());
        first.process.destroyForcibly(); // SIGKILL: no shutdown hook, the embedded postmaster is orphaned
        assertTrue(first.process.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.exists(work.resolve("pg/postmaster.pid")), "the orphan still holds the data directory");

        Started second = start(work, port); // used to exit with "postmaster.pid already exists"
        try {
            HttpResponse<String> r = get(port, "/api/v1/models/acknowledged", key);
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(Files.readString(second.log).contains("stopping the orphaned embedded PostgreSQL"),
                    Files.readString(second.log));
        } finally {
            stop(second);
        }
    }
}
