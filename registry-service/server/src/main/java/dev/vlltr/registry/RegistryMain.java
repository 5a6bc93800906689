package dev.vlltr.registry;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Entry point. When no datasource URL is configured ({@code quarkus.datasource.jdbc.url} as system property
 * or {@code QUARKUS_DATASOURCE_JDBC_URL}), starts an embedded PostgreSQL (zonky binaries) whose data lives in
 * {@code registry.pg.data-dir} / {@code REGISTRY_PG_DATA_DIR} (default {@code ~/.vlltr/registry-pg}), on
 * 127.0.0.1 and a free port, and points the datasource at it. Production sets a real URL.
 */
@QuarkusMain
public final class RegistryMain {
    private RegistryMain() {}

    public static void main(String... args) throws IOException {
        EmbeddedPostgres pg = null;
        if (configured("quarkus.datasource.jdbc.url") == null) {
            String dir = configured("registry.pg.data-dir");
            Path data = Path.of(dir != null ? dir : System.getProperty("user.home") + "/.vlltr/registry-pg");
            pg = startEmbedded(data);
            System.setProperty("quarkus.datasource.jdbc.url",
                    "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres");
            System.setProperty("quarkus.datasource.username", "postgres");
            System.setProperty("quarkus.datasource.password", "postgres");
        }
        try {
            Quarkus.run(args);
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    static EmbeddedPostgres startEmbedded(Path data) throws IOException {
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------")); // postgres demands 0700
        return EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
    }

    private static String configured(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            v = System.getenv(property.toUpperCase().replace('.', '_').replace('-', '_'));
        }
        return v == null || v.isBlank() ? null : v;
    }
}
