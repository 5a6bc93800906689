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
import org.junit.jupiter.api.Test;

/** Readiness really checks the database: with its PostgreSQL stopped the service reports DOWN (503). */
@QuarkusTest
@WithTestResource(ReadinessWithoutDatabaseTest.OwnPostgres.class)
class ReadinessWithoutDatabaseTest {

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
