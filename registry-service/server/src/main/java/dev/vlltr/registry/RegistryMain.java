package dev.vlltr.registry;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Entry point. When no datasource URL is configured ({@code QUARKUS_DATASOURCE_JDBC_URL} or the system property
 * {@code quarkus.datasource.jdbc.url}), starts an embedded PostgreSQL (zonky binaries) on 127.0.0.1 and a free
 * port, with its data in {@code VLLTR_REGISTRY_DATA_DIR} / {@code vlltr.registry.data-dir} (default
 * {@code ~/.vlltr/registry-pg}, kept between starts), and points the datasource at it. Production sets a real URL.
 */
@QuarkusMain
public final class RegistryMain {
    private RegistryMain() {}

    public static void main(String... args) throws IOException {
        EmbeddedPostgres pg = null;
        if (configured(System.getenv(), "quarkus.datasource.jdbc.url") == null) {
            pg = startEmbedded(dataDir(System.getenv()));
            System.setProperty("quarkus.datasource.jdbc.url",
                    "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres");
            System.setProperty("quarkus.datasource.username", "postgres");
            System.setProperty("quarkus.datasource.password", "postgres");
            System.out.println("registry: embedded PostgreSQL on 127.0.0.1:" + pg.getPort() + ", data in "
                    + dataDir(System.getenv()) + " (set QUARKUS_DATASOURCE_JDBC_URL to use your own PostgreSQL)");
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

    /** Starts (or re-opens: the data directory is kept) the embedded cluster, listening on 127.0.0.1 only. */
    static EmbeddedPostgres startEmbedded(Path data) throws IOException {
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------")); // postgres demands 0700
        return EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
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
