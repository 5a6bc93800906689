package dev.vlltr.registry.store;

import dev.vlltr.registry.error.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Plain JDBC transactions over the Agroal pool; SQL errors become problem responses. */
@ApplicationScoped
public class Db {
    /** A unit of JDBC work. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    @Inject
    DataSource dataSource;

    /** Runs {@code work} in one transaction; any exception rolls it back. */
    public <T> T tx(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw map(e);
        }
    }

    /**
     * Runs read-only work in one REPEATABLE READ transaction, so a read that takes several queries (a model with
     * its tags, aliases and row version) sees one snapshot: the ETag it returns always belongs to its body.
     */
    public <T> T read(Work<T> work) {
        return tx(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("set transaction isolation level repeatable read, read only");
            }
            return work.run(c);
        });
    }

    static RuntimeException map(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return switch (state) {
            case "23505" -> ProblemException.conflict("already exists: " + constraint(e));
            case "23503" -> ProblemException.conflict("still referenced: " + constraint(e));
            // constraint and data errors: a value the API's validation let through but the database cannot take
            // (22021/22P05: a NUL character; 22008: a time out of range; 54000: a value too large to index)
            case "23514", "22001", "22P02", "23502", "22021", "22P05", "22008", "22003", "22007", "54000" ->
                    ProblemException.badRequest("rejected by the database (" + constraint(e) + ")");
            default -> unavailable(state)
                    ? (RuntimeException) new ProblemException(503, "Service Unavailable",
                            "the registry database is unreachable (SQL state " + state + "); try again later")
                            .with("retryAfterSeconds", 5)
                    : new IllegalStateException("database error " + state, e);
        };
    }

    /** Connection failures (class 08), shutdowns (57P0x) and pool time-outs: the database is away, not the request. */
    static boolean unavailable(String state) {
        return state.startsWith("08") || state.startsWith("57P0") || state.isEmpty();
    }

    private static String constraint(SQLException e) {
        if (e instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null
                && p.getServerErrorMessage().getConstraint() != null) {
            return p.getServerErrorMessage().getConstraint();
        }
        return e.getSQLState();
    }
}
