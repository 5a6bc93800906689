package dev.vlltr.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness as "would a restart of this process help?". A database that is simply away is readiness' business
 * (a restart would not bring it back), so that stays UP here. DOWN only when the service cannot recover by
 * itself: the embedded postmaster this process started has died (only a restart starts it again), or the
 * database accepts a fresh connection but the pool still cannot hand one out (the pool is wedged).
 */
@Liveness
@ApplicationScoped
public class DatabaseLiveness implements HealthCheck {
    /** Set by {@link RegistryMain} to the data directory of the embedded cluster it started. */
    public static final String DATA_DIR_PROPERTY = "vlltr.registry.embedded-data-dir";

    @Inject
    DataSource pool;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password", defaultValue = "")
    String password;

    @ConfigProperty(name = DATA_DIR_PROPERTY)
    Optional<String> embeddedDataDir;

    @Override
    public HealthCheckResponse call() {
        var r = HealthCheckResponse.named("database connection recovery");
        if (embeddedDataDir.isPresent()) {
            try {
                if (EmbeddedDatabase.postmaster(Path.of(embeddedDataDir.get())).isEmpty()) {
                    return r.down().withData("reason", "the embedded PostgreSQL of this service has stopped;"
                            + " a restart starts it again").build();
                }
            } catch (java.io.IOException e) {
                return r.down().withData("reason", "cannot read the embedded PostgreSQL's pid file").build();
            }
        }
        if (valid(this::pooled)) {
            return r.up().build();
        }
        if (valid(() -> DriverManager.getConnection(url, user, password))) {
            return r.down().withData("reason", "the database answers but the connection pool cannot reconnect").build();
        }
        return r.up().withData("database", "unreachable; see readiness").build();
    }

    private Connection pooled() throws SQLException {
        return pool.getConnection();
    }

    private interface Opener {
        Connection open() throws SQLException;
    }

    private static boolean valid(Opener opener) {
        try (Connection c = opener.open()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }
}
