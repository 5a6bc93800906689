package dev.vlltr.registry.mirror;

import dev.vlltr.registry.error.LogSafe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Copies alias changes into MLflow's registry. A change writes a row to {@code alias_mirror_jobs} in its own
 * transaction ({@link #enqueue}); the mirror's worker then makes MLflow's alias match the registry's current
 * state: set to the MLflow version that mirrors the aliased registry version, or deleted when the alias is gone.
 * Reconciling to the current state (not replaying each change) makes retries and reordering harmless. An alias on a
 * version that is not in MLflow yet waits for that version's mirror.
 */
@ApplicationScoped
public class AliasMirror {
    private static final Logger LOG = Logger.getLogger(AliasMirror.class);

    @Inject
    DataSource dataSource;

    /** Records that {@code alias} of the model changed (call in the transaction that changes it). */
    public void enqueue(Connection c, long modelId, String alias) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into alias_mirror_jobs(model_id, alias) values (?, ?)"
                + " on conflict (model_id, alias) do update set seq = alias_mirror_jobs.seq + 1, attempts = 0,"
                + " error = null, next_at = now()")) {
            ps.setLong(1, modelId);
            ps.setString(2, alias);
            ps.executeUpdate();
        }
    }

    /** Makes the model's alias jobs that wait for a version due now (call when a version reached MLflow). */
    void versionMirrored(Connection c, String model) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update alias_mirror_jobs set next_at = now()"
                + " where model_id = (select id from registered_models where name = ?)"
                + " and next_at > now() and next_at < 'infinity'")) {
            ps.setString(1, model);
            ps.executeUpdate();
        }
    }

    private record Job(long modelId, String alias, long seq, int attempts, String model, String mirrorStatus,
                       String mlflowVersion, Integer version) {}

    /** Claims due jobs (60 s lease, SKIP LOCKED) and reconciles each; returns how many were claimed. */
    int processDue(MlflowRegistryClient client, int maxAttempts, Duration backoffBase, Duration backoffMax)
            throws SQLException {
        List<Job> jobs = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("select j.model_id, j.alias, j.seq, j.attempts, m.name,"
                    + " v.mirror_status, v.mirror_version, v.version from alias_mirror_jobs j"
                    + " join registered_models m on m.id = j.model_id"
                    + " left join model_aliases a on a.model_id = j.model_id and a.alias = j.alias"
                    + " left join model_versions v on v.id = a.version_id"
                    + " where j.next_at <= now() order by j.next_at limit 20 for update of j skip locked");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jobs.add(new Job(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), (Integer) rs.getObject(8)));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("update alias_mirror_jobs set next_at = now()"
                    + " + interval '60 seconds' where model_id = ? and alias = ?")) {
                for (Job j : jobs) {
                    ps.setLong(1, j.modelId);
                    ps.setString(2, j.alias);
                    ps.executeUpdate();
                }
            }
            c.commit();
        }
        for (Job j : jobs) {
            String error = reconcile(client, j);
            finish(j, error, maxAttempts, backoffBase, backoffMax);
        }
        return jobs.size();
    }

    /** Makes MLflow's alias match the registry; the error, or null when done. */
    private static String reconcile(MlflowRegistryClient client, Job j) {
        try {
            if (j.version == null) {
                client.deleteAlias(j.model, j.alias);
                return null;
            }
            if (!"MIRRORED".equals(j.mirrorStatus)) {
                return "version " + j.version + " is not in MLflow yet (mirror " + j.mirrorStatus + ")";
            }
            client.setAlias(j.model, j.alias, j.mlflowVersion);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private void finish(Job j, String error, int maxAttempts, Duration backoffBase, Duration backoffMax)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (error == null) {
                // done, unless the alias changed again meanwhile (then seq moved on and the row stays due)
                try (PreparedStatement ps = c.prepareStatement(
                        "delete from alias_mirror_jobs where model_id = ? and alias = ? and seq = ?")) {
                    ps.setLong(1, j.modelId);
                    ps.setString(2, j.alias);
                    ps.setLong(3, j.seq);
                    ps.executeUpdate();
                }
                return;
            }
            boolean waiting = j.version != null && "PENDING".equals(j.mirrorStatus);
            int attempts = waiting ? j.attempts : j.attempts + 1; // waiting for the version is no failed attempt
            boolean giveUp = attempts >= maxAttempts || "FAILED".equals(j.mirrorStatus)
                    || "DISABLED".equals(j.mirrorStatus);
            // a waiting job is woken by versionMirrored(); backoffMax is only its fallback
            long delayMs = waiting ? backoffMax.toMillis()
                    : Math.min(backoffMax.toMillis(), backoffBase.toMillis() * (1L << Math.min(attempts - 1, 20)));
            if (!waiting) {
                LOG.warnf("MLflow mirror of alias %s of %s failed (attempt %d of %d)%s: %s", j.alias, j.model,
                        attempts, maxAttempts, giveUp ? ", giving up" : "", LogSafe.escape(error));
            }
            try (PreparedStatement ps = c.prepareStatement("update alias_mirror_jobs set attempts = ?, error = ?,"
                    + " next_at = case when ? then 'infinity'::timestamptz"
                    + " else now() + (? * interval '1 millisecond') end"
                    + " where model_id = ? and alias = ? and seq = ?")) {
                ps.setInt(1, attempts);
                ps.setString(2, error.length() > 1000 ? error.substring(0, 1000) : error);
                ps.setBoolean(3, giveUp);
                ps.setLong(4, delayMs);
                ps.setLong(5, j.modelId);
                ps.setString(6, j.alias);
                ps.setLong(7, j.seq);
                ps.executeUpdate();
            }
        }
    }
}
