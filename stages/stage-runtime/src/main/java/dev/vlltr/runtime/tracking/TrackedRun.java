package dev.vlltr.runtime.tracking;

import java.nio.file.Path;
import java.util.Map;

/**
 * An MLflow run being logged to. Metrics, params and tags are buffered and sent in batches within MLflow's limits
 * ({@link MlflowLimits}): when a buffer fills, on {@link #flush()}, before an artifact, and on {@link #end}. Keys are
 * validated when logged, so a bad key fails at the call that used it. Thread-safe.
 *
 * <p>{@link #close()} ends a run that was not ended explicitly as {@link RunStatus#FAILED}: a stage that never said
 * it finished did not finish (this is what Python's {@code with mlflow.start_run()} does on an exception).
 */
public interface TrackedRun extends AutoCloseable {

    /** The MLflow run id (32 hex characters); empty for the disabled tracker. */
    String runId();

    /** The id of the run's experiment; empty for the disabled tracker. */
    String experimentId();

    /** Logs params; MLflow params are write-once, so re-logging a key with another value fails at flush. */
    TrackedRun logParams(Map<String, String> params);

    /** Logs one param. */
    default TrackedRun logParam(String key, String value) {
        return logParams(Map.of(key, value));
    }

    /** Logs a metric value at a step with the current time. */
    TrackedRun logMetric(String key, double value, long step);

    /** Logs a metric value at a step with an explicit timestamp (ms since the epoch). */
    TrackedRun logMetric(String key, double value, long step, long timestampMillis);

    /** Sets (or overwrites) tags. */
    TrackedRun setTags(Map<String, String> tags);

    /** Sets one tag. */
    default TrackedRun setTag(String key, String value) {
        return setTags(Map.of(key, value));
    }

    /**
     * Stores a file as an artifact of this run under {@code artifactDir} (relative, {@code /}-separated; empty or
     * null for the artifact root), keeping its file name.
     */
    TrackedRun logArtifact(Path file, String artifactDir);

    /** Sends everything buffered. */
    void flush();

    /** Flushes and marks the run terminated with this status (FINISHED, FAILED or KILLED). Idempotent. */
    void end(RunStatus status);

    /** Whether {@link #end} was called. */
    boolean isEnded();

    /** Ends the run as FAILED unless it was ended explicitly. */
    @Override
    void close();
}
