package dev.vlltr.orchestration.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.orchestration.PipelineSpecReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry service as the local runner starts it: its packaged jar, embedded PostgreSQL, a fresh admin key. */
class EmbeddedRegistryTest {

    static final Path JAR = PipelineSpecReader.findRepositoryRoot().resolve(LocalRunCommand.REGISTRY_JAR);

    static int status(URI url, String key) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20)).GET();
        if (key != null) {
            r.header("X-API-Key", key);
        }
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void startsOnLoopbackWithTheGeneratedKeyAndKeepsItsDatabaseAcrossRuns(@TempDir Path work) throws Exception {
        assertTrue(Files.isRegularFile(JAR), "registry jar not built: " + JAR);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String firstKey;
        try (EmbeddedRegistry registry = EmbeddedRegistry.start(java, JAR, work.resolve("db"), work.resolve("r.log"),
                Duration.ofMinutes(3))) {
            assertEquals("127.0.0.1", registry.url().getHost());
            URI models = registry.url().resolve("/api/v1/models");
            assertEquals(200, status(models, registry.apiKey()));
            assertEquals(401, status(models, null));
            firstKey = registry.apiKey();
        }
        String log = Files.readString(work.resolve("r.log"));
        assertFalse(log.contains(firstKey), "the admin key must never be logged");
        // a second run re-uses the database with a new key (the runner generates one per run)
        try (EmbeddedRegistry again = EmbeddedRegistry.start(java, JAR, work.resolve("db"), work.resolve("r.log"),
                Duration.ofMinutes(3))) {
            assertEquals(200, status(again.url().resolve("/api/v1/models"), again.apiKey()));
            assertEquals(401, status(again.url().resolve("/api/v1/models"), firstKey));
        }
    }
}
