package dev.vlltr.registry;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.Map;

/**
 * Starts a real PostgreSQL (zonky embedded binaries) on 127.0.0.1 for the tests, or uses {@code TEST_DB_URL}
 * when set. Also fixes the bootstrap admin key and writes the log to a file that the auth test scans.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {
    public static final String ADMIN_KEY = "vlr_test-admin-key-do-not-use-in-production-0001";
    static EmbeddedPostgres pg;

    @Override
    public Map<String, String> start() {
        Map<String, String> common = Map.of(
                "vlltr.registry.bootstrap-api-key", ADMIN_KEY,
                "vlltr.registry.admin-key-file", "target/test-admin.key",
                "quarkus.log.file.enabled", "true",
                "quarkus.log.file.path", "target/registry-test.log");
        String external = System.getenv("TEST_DB_URL");
        java.util.HashMap<String, String> m = new java.util.HashMap<>(common);
        if (external != null) {
            m.put("quarkus.datasource.jdbc.url", external);
            m.put("quarkus.datasource.username", System.getenv().getOrDefault("TEST_DB_USER", "app"));
            m.put("quarkus.datasource.password", System.getenv().getOrDefault("TEST_DB_PASSWORD", "app"));
            return m;
        }
        try {
            if (pg == null) {
                pg = EmbeddedPostgres.builder().start();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start embedded PostgreSQL", e);
        }
        m.put("quarkus.datasource.jdbc.url", jdbcUrl("postgres"));
        m.put("quarkus.datasource.username", "postgres");
        m.put("quarkus.datasource.password", "postgres");
        return m;
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + database;
    }

    @Override
    public void stop() {
        // kept for the JVM: other test profiles reuse it; the JVM exit removes it
    }
}
