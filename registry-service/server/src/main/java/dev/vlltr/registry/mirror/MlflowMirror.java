package dev.vlltr.registry.mirror;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.registry.error.LogSafe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Copies registered versions into MLflow's model registry when {@code vlltr.registry.mlflow-uri} is set.
 * The registry write is committed first with mirror status PENDING; this outbox is then worked off right
 * away and by a poller, with exponential backoff. After {@code max-attempts} failures the status is FAILED
 * (visible on the version, in {@code registry_mirror_failures_total} and searchable as
 * {@code mirror_status = 'FAILED'}); the registry row is never lost or rolled back.
 */
@ApplicationScoped
public class MlflowMirror {
    private static final Logger LOG = Logger.getLogger(MlflowMirror.class);
    /** Tag on each MLflow version naming the registry version it mirrors (also makes retries idempotent). */
    public static final String VERSION_TAG = "vlltr.registry.version";

    @ConfigProperty(name = "vlltr.registry.mlflow-uri")
    Optional<String> trackingUri;

    @ConfigProperty(name = "vlltr.registry.mlflow.max-attempts", defaultValue = "8")
    int maxAttempts;

    @ConfigProperty(name = "vlltr.registry.mlflow.backoff-base", defaultValue = "PT2S")
    Duration backoffBase;

    @ConfigProperty(name = "vlltr.registry.mlflow.backoff-max", defaultValue = "PT5M")
    Duration backoffMax;

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry meters;

    @Inject
    AliasMirror aliases;

    private MlflowRegistryClient client;
    private Counter failures;
    private Counter successes;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mlflow-mirror");
        t.setDaemon(true);
        return t;
    });

    @PostConstruct
    void init() {
        trackingUri.filter(s -> !s.isBlank()).ifPresent(u ->
                client = new MlflowRegistryClient(URI.create(u), json, Duration.ofSeconds(5)));
        failures = meters.counter("registry_mirror_failures_total");
        successes = meters.counter("registry_mirror_successes_total");
    }

    void stop(@Observes ShutdownEvent ev) {
        worker.shutdownNow();
    }

    public boolean enabled() {
        return client != null;
    }

    /** Works off due mirror jobs soon, off the request thread. */
    public void kick() {
        if (enabled()) {
            worker.submit(this::processDueQuietly);
        }
    }

    @Scheduled(every = "${vlltr.registry.mlflow.poll-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (enabled()) {
            processDueQuietly();
        }
    }

    private void processDueQuietly() {
        try {
            processDue();
        } catch (Exception e) {
            LOG.warn("MLflow mirror pass failed: " + LogSafe.escape(e));
        }
    }

    private record Job(long id, String model, String modelDescription, int version, String description,
                       String source, String runId, int attempts) {}

    /** Claims due jobs (lease 60 s, SKIP LOCKED so replicas share the work) and mirrors each. */
    synchronized int processDue() throws SQLException {
        List<Job> jobs = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("select v.id, m.name, m.description, v.version,"
                    + " v.description, (select a.uri from version_artifacts a where a.version_id = v.id"
                    + " order by a.name limit 1), v.mlflow_run_id, v.mirror_attempts"
                    + " from model_versions v join registered_models m on m.id = v.model_id"
                    + " where v.mirror_status = 'PENDING' and v.mirror_next_at <= now()"
                    + " order by v.mirror_next_at limit 20 for update of v skip locked")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        jobs.add(new Job(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                                rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "update model_versions set mirror_next_at = now() + interval '60 seconds' where id = ?")) {
                for (Job j : jobs) {
                    ps.setLong(1, j.id);
                    ps.executeUpdate();
                }
            }
            c.commit();
        }
        for (Job j : jobs) {
            mirror(j);
        }
        // aliases after versions: an alias waits for the version it names to be in MLflow
        return jobs.size() + aliases.processDue(client, maxAttempts, backoffBase, backoffMax);
    }

    /**
     * The MLflow version's source: the version's first artifact. MLflow refuses a local (file:) source unless it lies
     * inside the artifact folder of the version's run, which a local pipeline's artifacts never do, so a local
     * artifact is replaced by the run itself ({@code runs:/<run>}) or, without a run, by this registry's URI.
     */
    static String source(String artifactUri, String mlflowRunId, String model, int version) {
        boolean local = artifactUri != null && (artifactUri.startsWith("file:") || artifactUri.startsWith("/"));
        if (artifactUri != null && !local) {
            return artifactUri;
        }
        return mlflowRunId != null && !mlflowRunId.isBlank() ? "runs:/" + mlflowRunId
                : "vlltr-registry:/" + model + "/" + version;
    }

    private void mirror(Job j) throws SQLException {
        String mlflowVersion = null;
        String error = null;
        try {
            client.ensureRegisteredModel(j.model, j.modelDescription);
            String tag = Integer.toString(j.version);
            mlflowVersion = client.findVersionByTag(j.model, VERSION_TAG, tag);
            if (mlflowVersion == null) {
                String source = source(j.source, j.runId, j.model, j.version);
                mlflowVersion = client.createModelVersion(j.model, source, j.runId, j.description,
                        Map.of(VERSION_TAG, tag));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + ": "
                    + (e.getMessage() != null ? e.getMessage() : "cannot reach MLflow at " + trackingUri.orElse("?"));
        }
        int attempts = j.attempts + 1;
        try (Connection c = dataSource.getConnection()) {
            if (error == null) {
                successes.increment();
                try (PreparedStatement ps = c.prepareStatement("update model_versions set mirror_status = 'MIRRORED',"
                        + " mirror_attempts = ?, mirror_error = null, mirror_version = ?, mirror_next_at = null"
                        + " where id = ?")) {
                    ps.setInt(1, attempts);
                    ps.setString(2, mlflowVersion);
                    ps.setLong(3, j.id);
                    ps.executeUpdate();
                }
                aliases.versionMirrored(c, j.model);
            } else {
                failures.increment();
                boolean giveUp = attempts >= maxAttempts;
                long delayMs = Math.min(backoffMax.toMillis(), backoffBase.toMillis() * (1L << Math.min(attempts - 1, 20)));
                LOG.warnf("MLflow mirror of %s/%d failed (attempt %d of %d)%s: %s", j.model, j.version, attempts,
                        maxAttempts, giveUp ? ", giving up" : "", LogSafe.escape(error));
                try (PreparedStatement ps = c.prepareStatement("update model_versions set mirror_status = ?,"
                        + " mirror_attempts = ?, mirror_error = ?, mirror_next_at = now() + (? * interval '1 millisecond')"
                        + " where id = ?")) {
                    ps.setString(1, giveUp ? "FAILED" : "PENDING");
                    ps.setInt(2, attempts);
                    ps.setString(3, error.length() > 1000 ? error.substring(0, 1000) : error);
                    ps.setLong(4, delayMs);
                    ps.setLong(5, j.id);
                    ps.executeUpdate();
                }
            }
        }
    }
}
