package dev.vlltr.registry;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL of the crash tests' own, started exactly as the one-command start starts it
 * ({@link EmbeddedDatabase}: durable settings) on a fixed port and data directory, so that a test can kill it
 * and start it again under the service's feet. The service is told the data directory, as RegistryMain tells it,
 * so its liveness check watches this postmaster.
 */
public class DurablePostgres implements QuarkusTestResourceLifecycleManager {
    static Path data;
    static int port;
    static EmbeddedPostgres pg;

    @Override
    public Map<String, String> start() {
        try {
            data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "durable-pg");
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            pg = EmbeddedDatabase.start(data, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the durable embedded PostgreSQL", e);
        }
        Map<String, String> m = new HashMap<>();
        m.put("vlltr.registry.bootstrap-api-key", EmbeddedPostgresResource.ADMIN_KEY);
        m.put("vlltr.registry.admin-key-file", "target/test-admin.key");
        m.put("quarkus.datasource.jdbc.url", jdbcUrl());
        m.put("quarkus.datasource.username", "postgres");
        m.put("quarkus.datasource.password", "postgres");
        m.put(DatabaseLiveness.DATA_DIR_PROPERTY, data.toString());
        return m;
    }

    static String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** kill -9 of the postmaster; returns once it and its backends are gone (at most 30 s). */
    static void killPostmaster() throws Exception {
        ProcessHandle postmaster = EmbeddedDatabase.postmaster(data)
                .orElseThrow(() -> new AssertionError("no running postmaster on " + data));
        List<ProcessHandle> children = postmaster.children().toList();
        postmaster.destroyForcibly(); // SIGKILL
        postmaster.onExit().get(30, TimeUnit.SECONDS);
        for (ProcessHandle c : children) {
            c.onExit().get(30, TimeUnit.SECONDS);
        }
        pg.close(); // releases zonky's lock on the data directory; its pg_ctl stop finds nothing to stop
    }

    /** Stops the database cleanly (pg_ctl stop -m fast). */
    static void stopCleanly() throws IOException {
        pg.close();
    }

    /** Starts it again on the same port and data directory (crash recovery replays the WAL). */
    static void restart() throws IOException {
        pg = EmbeddedDatabase.start(data, port);
    }

    @Override
    public void stop() {
        try {
            pg.close();
        } catch (IOException ignored) {
            // already stopped
        }
    }
}
