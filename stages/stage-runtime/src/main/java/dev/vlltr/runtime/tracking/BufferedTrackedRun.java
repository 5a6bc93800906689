package dev.vlltr.runtime.tracking;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A run of an {@link AbstractTracker}: buffers metrics, params and tags and sends them in planned batches. */
final class BufferedTrackedRun implements TrackedRun {
    private final AbstractTracker tracker;
    private final String runId;
    private final String experimentId;
    private final List<MetricPoint> metrics = new ArrayList<>();
    private final Map<String, String> params = new LinkedHashMap<>();
    private final Map<String, String> tags = new LinkedHashMap<>();
    /** Every param this object logged, to refuse a changed value at the call rather than at flush. */
    private final Map<String, String> loggedParams = new HashMap<>();
    private boolean ended;
    private long lastFlushNanos = System.nanoTime();

    BufferedTrackedRun(AbstractTracker tracker, String runId, String experimentId) {
        this.tracker = tracker;
        this.runId = runId;
        this.experimentId = experimentId;
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public String experimentId() {
        return experimentId;
    }

    @Override
    public synchronized TrackedRun logParams(Map<String, String> newParams) {
        checkOpen();
        newParams.forEach((k, v) -> {
            MlflowLimits.checkParam(k, v);
            String previous = loggedParams.get(k);
            if (previous != null && !previous.equals(v)) {
                throw new IllegalArgumentException("param '" + k + "' of run " + runId + " was already logged as '"
                        + previous + "', cannot change it to '" + v + "' (MLflow params are write-once)");
            }
        });
        newParams.forEach((k, v) -> {
            if (loggedParams.put(k, v) == null) {
                params.put(k, v);
            }
        });
        flushIfDue();
        return this;
    }

    @Override
    public TrackedRun logMetric(String key, double value, long step) {
        return logMetric(key, value, step, System.currentTimeMillis());
    }

    @Override
    public synchronized TrackedRun logMetric(String key, double value, long step, long timestampMillis) {
        checkOpen();
        MlflowLimits.checkKey("metric", key);
        metrics.add(new MetricPoint(key, value, timestampMillis, step));
        flushIfDue();
        return this;
    }

    @Override
    public synchronized TrackedRun setTags(Map<String, String> newTags) {
        checkOpen();
        newTags.forEach(MlflowLimits::checkTag);
        tags.putAll(newTags);
        flushIfDue();
        return this;
    }

    @Override
    public synchronized TrackedRun logArtifact(Path file, String artifactDir) {
        checkOpen();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("artifact '" + file + "' is not a readable regular file");
        }
        String dir = AbstractTracker.normalizeArtifactDir(artifactDir);
        flush();
        tracker.logArtifact(runId, file, dir);
        return this;
    }

    /** Sends when a batch is full or the oldest buffered data is older than the tracker's flush interval. */
    private void flushIfDue() {
        boolean full = metrics.size() >= MlflowLimits.MAX_METRICS_PER_BATCH
                || params.size() + tags.size() >= MlflowLimits.MAX_PARAMS_TAGS_PER_BATCH;
        if (full || System.nanoTime() - lastFlushNanos >= tracker.flushInterval().toNanos()) {
            flush();
        }
    }

    @Override
    public synchronized void flush() {
        lastFlushNanos = System.nanoTime();
        if (metrics.isEmpty() && params.isEmpty() && tags.isEmpty()) {
            return;
        }
        List<MlflowLimits.Batch> batches = MlflowLimits.plan(metrics, params, tags);
        // Clear first: a failed batch is not re-sent by a later flush (it would duplicate metric points).
        metrics.clear();
        params.clear();
        tags.clear();
        for (MlflowLimits.Batch batch : batches) {
            tracker.logBatch(runId, batch);
        }
    }

    @Override
    public synchronized void end(RunStatus status) {
        if (ended) {
            return;
        }
        if (!status.isTerminal()) {
            throw new IllegalArgumentException("a run ends as FINISHED, FAILED or KILLED, not " + status);
        }
        try {
            flush();
        } finally {
            ended = true;
            tracker.runEnded(this);
            tracker.terminate(runId, status, System.currentTimeMillis());
        }
    }

    @Override
    public synchronized boolean isEnded() {
        return ended;
    }

    @Override
    public void close() {
        end(RunStatus.FAILED);
    }

    private void checkOpen() {
        if (ended) {
            throw new IllegalStateException("run " + runId + " has ended; nothing more can be logged to it");
        }
    }

    @Override
    public String toString() {
        return "run " + runId + " (experiment " + experimentId + ")";
    }
}
