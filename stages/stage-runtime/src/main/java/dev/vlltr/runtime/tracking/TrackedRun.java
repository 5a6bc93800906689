package dev.vlltr.runtime.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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

    /**
     * Logs params. MLflow params are write-once: re-logging a key with another value fails at this call (when this
     * object logged it) or at flush (when another process did).
     */
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

    /**
     * Stores every regular file under {@code dir} as artifacts under {@code artifactDir}, keeping the relative layout
     * (files in name order, so repeated runs upload in the same order).
     */
    default TrackedRun logArtifacts(Path dir, String artifactDir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("artifact directory '" + dir + "' is not a directory");
        }
        String base = artifactDir == null ? "" : artifactDir.replace('\\', '/').replaceAll("/+$", "");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing artifact directory " + dir, e);
        }
        for (Path f : files) {
            Path parent = dir.relativize(f).getParent();
            String rel = parent == null ? "" : parent.toString().replace('\\', '/');
            logArtifact(f, base.isEmpty() ? rel : rel.isEmpty() ? base : base + "/" + rel);
        }
        return this;
    }

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
