package dev.vlltr.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/** The Flyway migrations apply to an empty database, are idempotent, and the constraints hold. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class MigrationTest {

    @Test
    void fromEmptyAndIdempotent() throws SQLException {
        String db = "mig_" + System.nanoTime();
        try (Connection c = DriverManager.getConnection(EmbeddedPostgresResource.jdbcUrl("postgres"), "postgres",
                "postgres")) {
            c.createStatement().execute("create database " + db);
        }
        String url = EmbeddedPostgresResource.jdbcUrl(db);
        Flyway flyway = Flyway.configure().dataSource(url, "postgres", "postgres")
                .locations("classpath:db/migration").load();
        MigrateResult first = flyway.migrate();
        assertTrue(first.migrationsExecuted >= 1, "migrations applied to the empty database");
        assertEquals("2", flyway.info().current().getVersion().getVersion(), "every migration up to V2 applied");
        MigrateResult second = flyway.migrate();
        assertEquals(0, second.migrationsExecuted, "a second run applies nothing");
        flyway.validate();

        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres")) {
            Set<String> tables = new HashSet<>();
            try (ResultSet rs = c.createStatement().executeQuery(
                    "select table_name from information_schema.tables where table_schema = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertTrue(tables.containsAll(Set.of("registered_models", "model_versions", "version_metrics",
                    "version_artifacts", "model_aliases", "promotion_policies", "audit_log", "api_keys")), tables.toString());
            // constraints guard the data even without the API
            assertThrows(SQLException.class, () -> c.createStatement().execute(
                    "insert into registered_models(name, created_by) values ('bad name; --', 't')"));
            c.createStatement().execute("insert into registered_models(name, created_by) values ('ok', 't')");
            assertThrows(SQLException.class, () -> c.createStatement().execute(
                    "insert into registered_models(name, created_by) values ('ok', 't')"));
            assertThrows(SQLException.class, () -> c.createStatement().execute("insert into model_versions(model_id,"
                    + " version, created_by, stage) select id, 1, 't', 'Prod' from registered_models"));
            assertThrows(SQLException.class, () -> c.createStatement().execute(
                    "insert into api_keys(name, key_hash, role, created_by) values ('k', 'plaintext', 'admin', 't')"));
            // the search indexes exist
            Set<String> indexes = new HashSet<>();
            try (ResultSet rs = c.createStatement().executeQuery("select indexname from pg_indexes where schemaname = 'public'")) {
                while (rs.next()) {
                    indexes.add(rs.getString(1));
                }
            }
            assertTrue(indexes.containsAll(Set.of("version_metrics_key_value_idx", "model_tags_key_value_idx",
                    "registered_models_created_idx", "audit_log_entity_idx")), indexes.toString());
        }
    }
}
