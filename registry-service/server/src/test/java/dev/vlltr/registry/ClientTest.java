package dev.vlltr.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.registry.client.ModelInfo;
import dev.vlltr.registry.client.RegistryClient;
import dev.vlltr.registry.client.RegistryException;
import dev.vlltr.registry.client.VersionInfo;
import dev.vlltr.registry.client.VersionPage;
import dev.vlltr.registry.client.VersionRequest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Java client (used by the evaluation stage) against the running service. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class ClientTest {
    static final String SHA = "ab".repeat(32);

    RegistryClient client(String role) {
        return RegistryClient.builder().setBaseUri(URI.create("http://127.0.0.1:" + RestAssured.port))
                .setApiKey(Api.key(role)).build();
    }

    @Test
    void registerVersionsAliasAndSearch() {
        RegistryClient reg = client("writer");
        String name = Api.unique("client");
        ModelInfo m = reg.ensureModel(name, "from the client");
        assertEquals(name, m.name());
        assertEquals(m.name(), reg.ensureModel(name, null).name(), "ensureModel is idempotent");
        VersionRequest req = VersionRequest.builder().optDescription("LGR")
                .optPipelineRunId("vlltr/2026-01-01/try1").optMlflowRunId("run42").optCodeVersion("git:abc")
                .optDatasetId("places-lt").optCorpusId("wiki")
                .addArtifact("head", "s3://b/head.pt", SHA)
                .addMetric("acc", 0.61).addShotMetric("many", "acc", 0.7).addShotMetric("few", "acc", 0.42)
                .addClassMetric("cat", "acc", 0.9).addTag("method", "lgr").optIdempotencyKey("eval-1").build();
        VersionInfo v = reg.registerVersion(name, req);
        assertEquals(1, v.version());
        assertEquals(0.42, v.metric("few_acc"), 1e-12);
        assertEquals(0.61, v.metric("acc"), 1e-12);
        assertEquals(1, reg.registerVersion(name, req).version(), "idempotent retry");
        assertEquals("run42", reg.getVersion(name, 1).lineage().path("mlflowRunId").asText());

        reg.setAlias(name, "staging", 1);
        assertEquals(Map.of("staging", 1), reg.getModel(name).aliases());

        VersionPage page = reg.searchVersions("model = '" + name + "' AND metrics.few_acc > 0.4", "version", 10, null);
        assertEquals(List.of(1), page.items().stream().map(VersionInfo::version).toList());

        RegistryException e = assertThrows(RegistryException.class, () -> reg.getVersion(name, 7));
        assertEquals(404, e.status());
        RegistryException denied = assertThrows(RegistryException.class,
                () -> client("reader").registerVersion(name, VersionRequest.builder().build()));
        assertEquals(403, denied.status());
    }

    @Test
    void simpleEntryPointAndConcurrentAliasWritersAllLand() throws Exception {
        RegistryClient reg = RegistryClient.create(URI.create("http://127.0.0.1:" + RestAssured.port), Api.key("writer"));
        String name = Api.unique("client-simple");
        reg.ensureModel(name);
        for (int i = 0; i < 4; i++) {
            reg.registerVersion(name, VersionRequest.builder().addMetric("acc", 0.5 + i / 100.0).build());
        }
        // four writers move four aliases of one model at once: each If-Match race loser re-reads and retries
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            int version = i;
            done.add(pool.submit(() -> {
                go.await();
                reg.setAlias(name, "a" + version, version);
                return null;
            }));
        }
        go.countDown();
        for (java.util.concurrent.Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        for (int i = 1; i <= 4; i++) {
            assertEquals(i, reg.getAlias(name, "a" + i));
        }
        assertEquals(Map.of("a1", 1, "a2", 2, "a3", 3, "a4", 4), reg.getModel(name).aliases());
        RegistryException missing = assertThrows(RegistryException.class, () -> reg.getAlias(name, "nope"));
        assertEquals(404, missing.status());
    }

    @Test
    void blockedPromotionCarriesReasons() {
        RegistryClient reg = client("writer");
        String name = Api.unique("client-gate");
        reg.ensureModel(name, null);
        Api.as("admin").header("If-Match", reg.getModel(name).etag())
                .body(Map.of("maxDrop", Map.of("few_acc", 0.01))).put("/api/v1/models/" + name + "/policy")
                .then().statusCode(200);
        reg.registerVersion(name, VersionRequest.builder().addShotMetric("few", "acc", 0.5).build());
        reg.registerVersion(name, VersionRequest.builder().addShotMetric("few", "acc", 0.3).build());
        reg.setAlias(name, "production", 1);
        RegistryException e = assertThrows(RegistryException.class, () -> reg.setAlias(name, "production", 2));
        assertEquals(409, e.status());
        assertTrue(e.reasons().get(0).contains("few_acc"), e.reasons().toString());
    }
}
