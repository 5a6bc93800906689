package dev.vlltr.runtime.tracking;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.ExperimentsPage;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.RunsPage;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks to an MLflow tracking server through {@link MlflowClient} (REST), and uploads artifacts without Python:
 * to the server's artifact proxy ({@code PUT /api/2.0/mlflow-artifacts/artifacts/...}) when the run's {@code
 * artifact_uri} is {@code mlflow-artifacts:}, or by copying when it is a {@code file:} path this process can reach.
 *
 * <p>Repeat-safety: the Java client retries failed requests (4xx included), which can create a run twice; created
 * runs carry a {@value TrackingTags#CREATE_TOKEN} tag and duplicates are deleted right away. Two processes that
 * create the same pipeline's parent run at the same moment both settle on the earliest one (by start time, then run
 * id) and delete their own extra, after waiting {@link Builder#optCreateSettleTime} (default 500 ms) for creates still
 * in flight. MLflow offers no atomic create-if-absent for runs, so this is best effort: a create request that takes
 * longer than the settle time (or host clocks that disagree by more) can still leave two parents. When stages of a new
 * pipeline run start in parallel, call {@link #startPipelineRun} once before fanning out.
 *
 * <pre>{@code
 * try (Tracker tracker = MlflowTracker.builder().setTrackingUri("http://mlflow:5000").optFromEnvironment().build();
 *      TrackedRun run = tracker.startStageRun("vl-ltr", airflowRunId, "lgr")) {
 *     run.logParams(Map.of("lr", "3e-4")).logMetric("val/top1", 0.771, epoch);
 *     run.end(RunStatus.FINISHED);
 * }
 * }</pre>
 */
public final class MlflowTracker extends AbstractTracker {
    private static final Logger LOG = LoggerFactory.getLogger(MlflowTracker.class);
    private static final int SEARCH_PAGE_SIZE = 1000;

    private final String trackingUri;
    private final MlflowClient client;
    private final MlflowArtifactUploader uploader;
    private final Map<String, String> artifactUris = new ConcurrentHashMap<>();
    private final Duration createSettleTime;

    private MlflowTracker(Builder b) {
        super(b.sourceName);
        this.trackingUri = b.trackingUri;
        this.createSettleTime = b.createSettleTime;
        setFlushInterval(b.flushInterval);
        BasicMlflowHostCreds creds = new BasicMlflowHostCreds(b.trackingUri, b.username, b.password, b.token,
                b.insecureTls);
        this.client = new MlflowClient(creds);
        this.uploader = new MlflowArtifactUploader(URI.create(b.trackingUri), b.username, b.password, b.token,
                b.insecureTls, b.httpTimeout);
    }

    /** A builder; {@link Builder#setTrackingUri} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String uri() {
        return trackingUri;
    }

    /** The underlying client, for calls this class does not wrap (registry reads, {@code sendPost}). */
    public MlflowClient client() {
        return client;
    }

    @Override
    protected boolean createMayDuplicate() {
        return true;
    }

    @Override
    protected Duration createSettleTime() {
        return createSettleTime;
    }

    @Override
    public String getOrCreateExperiment(String experimentName) {
        requireText("experiment name", experimentName);
        Optional<String> found = findExperiment(experimentName);
        if (found.isPresent()) {
            return found.get();
        }
        try {
            return client.createExperiment(experimentName);
        } catch (MlflowHttpException e) {
            // Someone else created it meanwhile, or our own create succeeded and the client retried it.
            if (e.getStatusCode() == 400 && String.valueOf(e.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS")) {
                return findExperiment(experimentName).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    private Optional<String> findExperiment(String name) {
        ExperimentsPage page = client.searchExperiments("name = " + quote("experiment name", name),
                Service.ViewType.ALL, 10, List.of());
        for (Service.Experiment e : page.getItems()) {
            if (e.getName().equals(name)) {
                if (!"active".equals(e.getLifecycleStage())) {
                    throw new IllegalStateException("MLflow experiment '" + name + "' (id " + e.getExperimentId()
                            + ") at " + trackingUri + " is deleted; restore it or choose another experiment name");
                }
                return Optional.of(e.getExperimentId());
            }
        }
        return Optional.empty();
    }

    @Override
    protected List<RunSummary> findActiveRuns(String experimentId, String tagKey, String tagValue) {
        String filter = "tags.`" + tagKey + "` = " + quote("tag " + tagKey, tagValue);
        List<RunSummary> runs = new ArrayList<>();
        RunsPage page = client.searchRuns(List.of(experimentId), filter, Service.ViewType.ACTIVE_ONLY,
                SEARCH_PAGE_SIZE, List.of());
        while (true) {
            for (Service.Run run : page.getItems()) {
                Map<String, String> tags = new LinkedHashMap<>();
                run.getData().getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
                runs.add(new RunSummary(run.getInfo().getRunId(), run.getInfo().getStartTime(), tags));
            }
            if (!page.hasNextPage()) {
                return runs;
            }
            page = (RunsPage) page.getNextPage();
        }
    }

    @Override
    protected String createRun(String experimentId, String runName, long startTime, Map<String, String> tags) {
        Service.CreateRun.Builder request = Service.CreateRun.newBuilder()
                .setExperimentId(experimentId)
                .setRunName(runName)
                .setStartTime(startTime)
                .setUserId(user());
        tags.forEach((k, v) -> request.addTags(Service.RunTag.newBuilder().setKey(k).setValue(v)));
        Service.RunInfo info = client.createRun(request.build());
        artifactUris.put(info.getRunId(), info.getArtifactUri());
        return info.getRunId();
    }

    @Override
    protected void deleteRun(String runId) {
        LOG.info("deleting duplicate MLflow run {} (created by a retried or concurrent create)", runId);
        client.deleteRun(runId);
    }

    @Override
    protected void logBatch(String runId, MlflowLimits.Batch batch) {
        List<Service.Metric> metrics = new ArrayList<>(batch.metrics().size());
        for (MetricPoint m : batch.metrics()) {
            metrics.add(Service.Metric.newBuilder().setKey(m.key()).setValue(m.value())
                    .setTimestamp(m.timestamp()).setStep(m.step()).build());
        }
        List<Service.Param> params = new ArrayList<>(batch.params().size());
        batch.params().forEach((k, v) -> params.add(Service.Param.newBuilder().setKey(k).setValue(v).build()));
        List<Service.RunTag> tags = new ArrayList<>(batch.tags().size());
        batch.tags().forEach((k, v) -> tags.add(Service.RunTag.newBuilder().setKey(k).setValue(v).build()));
        client.logBatch(runId, metrics, params, tags);
    }

    @Override
    protected void logArtifact(String runId, Path file, String artifactDir) {
        String artifactUri = artifactUris.computeIfAbsent(runId, id -> client.getRun(id).getInfo().getArtifactUri());
        uploader.upload(runId, artifactUri, file, artifactDir);
    }

    @Override
    protected void terminate(String runId, RunStatus status, long endTime) {
        client.setTerminated(runId, Service.RunStatus.valueOf(status.name()), endTime);
    }

    @Override
    protected void closeStorage() {
        client.close();
    }

    /** Quotes a search-filter string literal; MLflow's filter grammar has no escapes, so pick a quote not inside. */
    static String quote(String what, String value) {
        if (!value.contains("'")) {
            return "'" + value + "'";
        }
        if (!value.contains("\"")) {
            return "\"" + value + "\"";
        }
        throw new IllegalArgumentException(what + " '" + value + "' contains both ' and \"; MLflow's search filter"
                + " cannot express it");
    }

    /** Builder for {@link MlflowTracker}. */
    public static final class Builder {
        private String trackingUri;
        private String username;
        private String password;
        private String token;
        private boolean insecureTls;
        private String sourceName;
        private Duration httpTimeout = Duration.ofMinutes(10);
        private Duration createSettleTime = Duration.ofMillis(500);
        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;

        private Builder() {
        }

        /** Required: {@code http(s)://host[:port][/prefix]} of the tracking server. */
        public Builder setTrackingUri(String uri) {
            String u = uri == null ? "" : uri.trim();
            if (!u.startsWith("http://") && !u.startsWith("https://")) {
                throw new IllegalArgumentException("MLflow tracking URI '" + uri + "' must start with http:// or"
                        + " https://");
            }
            while (u.endsWith("/")) {
                u = u.substring(0, u.length() - 1);
            }
            this.trackingUri = u;
            return this;
        }

        /** HTTP basic auth (MLflow's {@code basic-auth} app). */
        public Builder optBasicAuth(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** Bearer token. */
        public Builder optToken(String token) {
            this.token = token;
            return this;
        }

        /** Skip TLS certificate checks (self-signed test servers only). */
        public Builder optInsecureTls(boolean insecureTls) {
            this.insecureTls = insecureTls;
            return this;
        }

        /** Value of the {@value TrackingTags#SOURCE_NAME} tag; default the Java main class. */
        public Builder optSourceName(String sourceName) {
            this.sourceName = sourceName;
            return this;
        }

        /** Timeout of one artifact upload; default 10 minutes. */
        public Builder optHttpTimeout(Duration timeout) {
            this.httpTimeout = timeout;
            return this;
        }

        /**
         * Buffered metrics/params/tags older than this go out with the next logging call (so the UI follows a
         * training run live); default {@link AbstractTracker#DEFAULT_FLUSH_INTERVAL}, zero sends on every call.
         */
        public Builder optFlushInterval(Duration interval) {
            this.flushInterval = interval;
            return this;
        }

        /** Wait between creating a pipeline's parent run and the search that settles concurrent creates; 500 ms. */
        public Builder optCreateSettleTime(Duration settle) {
            this.createSettleTime = settle;
            return this;
        }

        /**
         * Reads credentials the way Python's client does, which the Java client does not: {@code
         * MLFLOW_TRACKING_USERNAME}/{@code MLFLOW_TRACKING_PASSWORD}, {@code MLFLOW_TRACKING_TOKEN}, {@code
         * MLFLOW_TRACKING_INSECURE_TLS=true}. Values set explicitly on this builder win.
         */
        public Builder optFromEnvironment() {
            return optFromEnvironment(System.getenv());
        }

        Builder optFromEnvironment(Map<String, String> env) {
            if (username == null && env.get("MLFLOW_TRACKING_USERNAME") != null) {
                username = env.get("MLFLOW_TRACKING_USERNAME");
                password = env.getOrDefault("MLFLOW_TRACKING_PASSWORD", "");
            }
            if (token == null) {
                token = env.get("MLFLOW_TRACKING_TOKEN");
            }
            if (!insecureTls) {
                insecureTls = Boolean.parseBoolean(env.getOrDefault("MLFLOW_TRACKING_INSECURE_TLS", "false"));
            }
            return this;
        }

        /** Builds the tracker (no request is made yet). */
        public MlflowTracker build() {
            if (trackingUri == null) {
                throw new IllegalStateException("MlflowTracker needs setTrackingUri(...)");
            }
            return new MlflowTracker(this);
        }
    }
}
