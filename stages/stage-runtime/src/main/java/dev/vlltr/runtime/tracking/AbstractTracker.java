package dev.vlltr.runtime.tracking;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The pipeline semantics (experiment per pipeline, parent run per pipeline run id, nested stage runs) and run
 * buffering, on top of a few storage primitives that {@link MlflowTracker} and {@link LocalMlflowStore} implement.
 */
public abstract class AbstractTracker implements Tracker {

    /** A run as returned by a tag search. */
    protected record RunSummary(String runId, long startTime, Map<String, String> tags) {
    }

    /** Earliest-created run first; ties broken by run id, so every process picks the same one. */
    private static final Comparator<RunSummary> CANONICAL_ORDER =
            Comparator.comparingLong(RunSummary::startTime).thenComparing(RunSummary::runId);

    private final String user;
    private final String sourceName;
    private final Set<BufferedTrackedRun> openRuns = ConcurrentHashMap.newKeySet();
    private volatile Duration flushInterval = DEFAULT_FLUSH_INTERVAL;

    /** Buffered data older than this is sent with the next logging call, so the UI shows a live run. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(5);

    /**
     * @param sourceName value of {@value TrackingTags#SOURCE_NAME}; null for the Java main class
     */
    protected AbstractTracker(String sourceName) {
        this.user = System.getProperty("user.name", "");
        this.sourceName = sourceName != null ? sourceName : defaultSourceName();
    }

    private static String defaultSourceName() {
        String command = System.getProperty("sun.java.command", "");
        String first = command.isBlank() ? "" : command.trim().split("\\s+")[0];
        return first.isEmpty() ? "java" : first;
    }

    // ---- storage primitives ------------------------------------------------------------------------------------

    /** Active runs of an experiment that carry tag {@code key=value}, with all their tags. */
    protected abstract List<RunSummary> findActiveRuns(String experimentId, String tagKey, String tagValue);

    /** Creates a RUNNING run with exactly these tags (which include the run name tag); returns its id. */
    protected abstract String createRun(String experimentId, String runName, long startTime, Map<String, String> tags);

    /** Marks a run deleted (MLflow soft delete). */
    protected abstract void deleteRun(String runId);

    /** Sends one batch that is already within {@link MlflowLimits}. */
    protected abstract void logBatch(String runId, MlflowLimits.Batch batch);

    /** Stores one file under the run's artifact root. {@code artifactDir} is validated and normalized ("" = root). */
    protected abstract void logArtifact(String runId, Path file, String artifactDir);

    /** Sets the terminal status and end time. */
    protected abstract void terminate(String runId, RunStatus status, long endTime);

    /**
     * Runs a find-or-create step so that concurrent callers cannot both create; the local store holds a file lock,
     * the server tracker has no such primitive and converges afterwards instead (see {@link #startPipelineRun}).
     */
    protected <T> T underCreateLock(String experimentId, Supplier<T> action) {
        return action.get();
    }

    /**
     * Whether a create call may have created more than one run (the MLflow Java client retries failed requests, even
     * ones the server carried out); if so, created runs carry a {@value TrackingTags#CREATE_TOKEN} and duplicates are
     * deleted.
     */
    protected boolean createMayDuplicate() {
        return false;
    }

    /**
     * How long to wait after creating a parent run before the search that settles concurrent creates, so that a
     * create still in flight elsewhere becomes visible; zero where {@link #underCreateLock} is a real lock.
     */
    protected Duration createSettleTime() {
        return Duration.ZERO;
    }

    // ---- pipeline semantics --------------------------------------------------------------------------------------

    @Override
    public boolean isEnabled() {
        return true;
    }

    @Override
    public TrackedRun startPipelineRun(String experimentName, String pipelineRunId) {
        requireText("pipeline run id", pipelineRunId);
        String experimentId = getOrCreateExperiment(experimentName);
        return open(findOrCreateParent(experimentId, pipelineRunId), experimentId);
    }

    @Override
    public TrackedRun startStageRun(String experimentName, String pipelineRunId, String stage, String runName) {
        requireText("pipeline run id", pipelineRunId);
        requireText("stage", stage);
        requireText("run name", runName);
        String experimentId = getOrCreateExperiment(experimentName);
        String parentId = findOrCreateParent(experimentId, pipelineRunId);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TrackingTags.PARENT_RUN_ID, parentId);
        tags.put(TrackingTags.STAGE, stage);
        tags.put(TrackingTags.RUN_ID, pipelineRunId);
        return open(createDeduplicated(experimentId, runName, tags), experimentId);
    }

    @Override
    public TrackedRun startRun(String experimentName, String runName, Map<String, String> tags) {
        requireText("run name", runName);
        String experimentId = getOrCreateExperiment(experimentName);
        return open(createDeduplicated(experimentId, runName, new LinkedHashMap<>(tags)), experimentId);
    }

    /**
     * The parent run of a pipeline run: the earliest-created active run tagged {@value TrackingTags#PIPELINE_RUN_ID}.
     * When none exists one is created; if a concurrent caller (another stage, a retry) created one too, every caller
     * settles on the earliest and deletes the ones it created itself.
     */
    private String findOrCreateParent(String experimentId, String pipelineRunId) {
        return underCreateLock(experimentId, () -> {
            List<RunSummary> found = findActiveRuns(experimentId, TrackingTags.PIPELINE_RUN_ID, pipelineRunId);
            if (!found.isEmpty()) {
                return found.stream().min(CANONICAL_ORDER).orElseThrow().runId();
            }
            String token = UUID.randomUUID().toString();
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put(TrackingTags.PIPELINE_RUN_ID, pipelineRunId);
            if (createMayDuplicate()) {
                tags.put(TrackingTags.CREATE_TOKEN, token);
            }
            String created = createRun(experimentId, pipelineRunId, System.currentTimeMillis(), withSystemTags(pipelineRunId, tags));
            if (!createMayDuplicate()) {
                return created;
            }
            sleep(createSettleTime());
            found = findActiveRuns(experimentId, TrackingTags.PIPELINE_RUN_ID, pipelineRunId);
            RunSummary canonical = found.stream().min(CANONICAL_ORDER).orElseThrow(() -> new IllegalStateException(
                    "created parent run " + created + " for pipeline run '" + pipelineRunId + "' but a search by tag "
                            + TrackingTags.PIPELINE_RUN_ID + " does not find it in experiment " + experimentId));
            for (RunSummary r : found) {
                if (!r.runId().equals(canonical.runId()) && token.equals(r.tags().get(TrackingTags.CREATE_TOKEN))) {
                    deleteRun(r.runId());
                }
            }
            return canonical.runId();
        });
    }

    private String createDeduplicated(String experimentId, String runName, Map<String, String> tags) {
        String token = UUID.randomUUID().toString();
        if (createMayDuplicate()) {
            tags.put(TrackingTags.CREATE_TOKEN, token);
        }
        String created = createRun(experimentId, runName, System.currentTimeMillis(), withSystemTags(runName, tags));
        if (createMayDuplicate()) {
            for (RunSummary r : findActiveRuns(experimentId, TrackingTags.CREATE_TOKEN, token)) {
                if (!r.runId().equals(created)) {
                    deleteRun(r.runId());
                }
            }
        }
        return created;
    }

    private Map<String, String> withSystemTags(String runName, Map<String, String> tags) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(TrackingTags.RUN_NAME, runName);
        all.put(TrackingTags.USER, user);
        all.put(TrackingTags.SOURCE_NAME, sourceName);
        all.put(TrackingTags.SOURCE_TYPE, "LOCAL");
        all.putAll(tags);
        all.put(TrackingTags.RUN_NAME, runName); // the server refuses a run_name that differs from this tag
        all.forEach(MlflowLimits::checkTag);
        return all;
    }

    /** How old buffered data may get before the next logging call sends it; zero sends on every call. */
    protected void setFlushInterval(Duration interval) {
        if (interval == null || interval.isNegative()) {
            throw new IllegalArgumentException("flush interval must be zero or positive, got " + interval);
        }
        this.flushInterval = interval;
    }

    Duration flushInterval() {
        return flushInterval;
    }

    /** The user recorded on runs ({@code user.name}). */
    protected String user() {
        return user;
    }

    private TrackedRun open(String runId, String experimentId) {
        BufferedTrackedRun run = new BufferedTrackedRun(this, runId, experimentId);
        openRuns.add(run);
        return run;
    }

    void runEnded(BufferedTrackedRun run) {
        openRuns.remove(run);
    }

    /** Flushes the runs still open, then {@link #closeStorage()}. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (BufferedTrackedRun run : List.copyOf(openRuns)) {
            try {
                run.flush();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        openRuns.clear();
        closeStorage();
        if (first != null) {
            throw first;
        }
    }

    /** Releases connections or locks; called once by {@link #close()}. */
    protected abstract void closeStorage();

    private static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating a pipeline parent run", e);
        }
    }

    static void requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }

    /**
     * Normalizes an artifact directory: null or blank is the root; otherwise a relative path with {@code /}
     * separators, no {@code .}/{@code ..} segments.
     */
    static String normalizeArtifactDir(String artifactDir) {
        if (artifactDir == null || artifactDir.isBlank()) {
            return "";
        }
        String dir = artifactDir.replace('\\', '/');
        while (dir.endsWith("/")) {
            dir = dir.substring(0, dir.length() - 1);
        }
        if (dir.startsWith("/")) {
            throw new IllegalArgumentException("artifact dir '" + artifactDir + "' must be relative to the run's"
                    + " artifact root");
        }
        for (String segment : dir.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("artifact dir '" + artifactDir + "' must not contain empty, '.'"
                        + " or '..' segments");
            }
        }
        return dir;
    }

    static String artifactPath(String dir, Path file) {
        String name = Objects.requireNonNull(file.getFileName(), "artifact file has no name: " + file).toString();
        return dir.isEmpty() ? name : dir + "/" + name;
    }
}
