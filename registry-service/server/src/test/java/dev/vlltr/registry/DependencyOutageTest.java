package dev.vlltr.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Outages of what the service depends on: an MLflow that never answers turns the mirror FAILED after its
 * attempts, reported on the version, in search and in the metrics, with the registry write kept; and with its
 * PostgreSQL stopped, readiness reports DOWN (503) and API calls answer 503 problem+json.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@WithTestResource(DependencyOutageTest.OwnPostgres.class)
class DependencyOutageTest {

    /** A PostgreSQL of this test's own, so stopping it disturbs no other test. */
    public static class OwnPostgres implements QuarkusTestResourceLifecycleManager {
        static EmbeddedPostgres pg;

        @Override
        public Map<String, String> start() {
            try {
                pg = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start embedded PostgreSQL", e);
            }
            Map<String, String> m = new HashMap<>();
            m.put("vlltr.registry.bootstrap-api-key", EmbeddedPostgresResource.ADMIN_KEY);
            m.put("vlltr.registry.admin-key-file", "target/test-admin.key");
            m.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres");
            m.put("quarkus.datasource.username", "postgres");
            m.put("quarkus.datasource.password", "postgres");
            // an MLflow address where nothing listens
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                m.put("vlltr.registry.mlflow-uri", "http://127.0.0.1:" + probe.getLocalPort());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            m.put("vlltr.registry.mlflow.max-attempts", "2");
            m.put("vlltr.registry.mlflow.backoff-base", "PT0.1S");
            m.put("vlltr.registry.mlflow.backoff-max", "PT0.2S");
            m.put("vlltr.registry.mlflow.poll-interval", "0.5s");
            return m;
        }

        @Override
        public void stop() {
            try {
                if (pg != null) {
                    pg.close();
                }
            } catch (IOException ignored) {
                // already stopped by the test
            }
        }
    }

    @Test
    @Order(1)
    void mirrorGivesUpAfterItsAttemptsAndReportsItWithoutLosingTheWrite() throws Exception {
        var admin = given().header("X-API-Key", EmbeddedPostgresResource.ADMIN_KEY)
                .contentType(io.restassured.http.ContentType.JSON);
        admin.body(Map.of("name", "outage")).post("/api/v1/models").then().statusCode(201);
        given().header("X-API-Key", EmbeddedPostgresResource.ADMIN_KEY).contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("description", "kept")).post("/api/v1/models/outage/versions").then().statusCode(201)
                .body("mirror.status", is("PENDING"));
        String status = null;
        long end = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < end && !"FAILED".equals(status)) {
            Thread.sleep(200);
            status = given().header("X-API-Key", EmbeddedPostgresResource.ADMIN_KEY)
                    .get("/api/v1/models/outage/versions/1").then().statusCode(200).extract().path("mirror.status");
        }
        given().header("X-API-Key", EmbeddedPostgresResource.ADMIN_KEY).get("/api/v1/models/outage/versions/1")
                .then().body("mirror.status", is("FAILED")).body("mirror.attempts", is(2))
                .body("mirror.error", org.hamcrest.Matchers.containsString("ConnectException"))
                .body("description", is("kept"));
        given().header("X-API-Key", EmbeddedPostgresResource.ADMIN_KEY)
                .queryParam("filter", "mirror_status = 'FAILED'").get("/api/v1/versions").then().statusCode(200)
                .body("items.model", org.hamcrest.Matchers.contains("outage"));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        double failures = metrics.lines().filter(l -> l.startsWith("registry_mirror_failures_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        org.junit.jupiter.api.Assertions.assertEquals(2.0, failures, metrics.lines()
                .filter(l -> l.contains("mirror")).toList().toString());
        // no further attempts once FAILED
        Thread.sleep(1500);
        given().header("X-API-Key", EmbeddedPostgresResource.ADMIN_KEY).get("/api/v1/models/outage/versions/1")
                .then().body("mirror.attempts", is(2));
    }

    @Test
    @Order(2)
    void readinessGoesDownWithTheDatabase() throws IOException {
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        OwnPostgres.pg.close();
        given().get("/q/health/ready").then().statusCode(503).body("status", is("DOWN"))
                .body("checks.status", hasItem("DOWN"));
        // liveness is about the process, not its dependencies: a restart would not bring the database back
        given().get("/q/health/live").then().statusCode(200);
        // API calls fail cleanly as 503 problem+json, not with a hung request or a bare 500
        given().header("X-API-Key", EmbeddedPostgresResource.ADMIN_KEY).get("/api/v1/models").then()
                .statusCode(503).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("database is unreachable"));
    }
}
