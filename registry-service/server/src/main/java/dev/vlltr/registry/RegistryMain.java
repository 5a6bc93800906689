package dev.vlltr.registry;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Entry point. When no datasource URL is configured ({@code QUARKUS_DATASOURCE_JDBC_URL} or the system property
 * {@code quarkus.datasource.jdbc.url}), starts an embedded PostgreSQL (zonky binaries) on 127.0.0.1 and a free
 * port ({@link EmbeddedDatabase}: durable settings, an orphan of a killed run stopped first), with its data in {@code VLLTR_REGISTRY_DATA_DIR} / {@code vlltr.registry.data-dir} (default
 * {@code ~/.vlltr/registry-pg}, kept between starts), and points the datasource at it. Production sets a real URL.
 */
@QuarkusMain
public final class RegistryMain {
    private RegistryMain() {}

    public static void main(String... args) throws IOException {
        EmbeddedPostgres pg = null;
        if (configured(System.getenv(), "quarkus.datasource.jdbc.url") == null) {
            Path data = dataDir(System.getenv());
            pg = EmbeddedDatabase.start(data, 0);
            // lets the liveness check see whether the postmaster this process owns is still running
            System.setProperty(DatabaseLiveness.DATA_DIR_PROPERTY, data.toString());
            System.setProperty("quarkus.datasource.jdbc.url",
                    "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres");
            System.setProperty("quarkus.datasource.username", "postgres");
            System.setProperty("quarkus.datasource.password", "postgres");
            System.out.println("registry: embedded PostgreSQL on 127.0.0.1:" + pg.getPort() + ", data in "
                    + data + ", fsync and synchronous commit on (set QUARKUS_DATASOURCE_JDBC_URL to use your own PostgreSQL)");
        }
        try {
            Quarkus.run(args);
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    /** Where the embedded database keeps its files. */
    static Path dataDir(Map<String, String> env) {
        String dir = configured(env, "vlltr.registry.data-dir");
        return Path.of(dir != null ? dir : System.getProperty("user.home") + "/.vlltr/registry-pg").toAbsolutePath();
    }

    /** A system property, or else its environment form (QUARKUS_DATASOURCE_JDBC_URL); null when blank. */
    static String configured(Map<String, String> env, String property) {
        String v = System.getProperty(property);
        if (v == null) {
            v = env.get(property.toUpperCase().replace('.', '_').replace('-', '_'));
        }
        return v == null || v.isBlank() ? null : v;
    }
}
