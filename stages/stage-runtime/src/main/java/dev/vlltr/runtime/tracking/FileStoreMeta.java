package dev.vlltr.runtime.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code meta.yaml} files of MLflow's file store ({@code mlflow/store/tracking/file_store.py}): the experiment's
 * and the run's, with every field Python's {@code FileStore} writes, keys sorted as PyYAML sorts them. Strings are
 * written as JSON string literals, which YAML reads as double-quoted scalars: ids stay strings even when all digits.
 */
final class FileStoreMeta {
    static final String FILE_NAME = "meta.yaml";
    static final String ACTIVE = "active";
    static final String DELETED = "deleted";
    /** {@code mlflow.entities.SourceType.LOCAL}. */
    static final int SOURCE_TYPE_LOCAL = 4;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private FileStoreMeta() {
    }

    /** An experiment's {@code meta.yaml}. */
    record ExperimentMeta(String artifactLocation, long creationTime, String experimentId, long lastUpdateTime,
            String lifecycleStage, String name) {

        String render() {
            Map<String, Object> m = new TreeMap<>();
            m.put("artifact_location", artifactLocation);
            m.put("creation_time", creationTime);
            m.put("experiment_id", experimentId);
            m.put("last_update_time", lastUpdateTime);
            m.put("lifecycle_stage", lifecycleStage);
            m.put("name", name);
            return FileStoreMeta.render(m);
        }

        static ExperimentMeta parse(Map<String, Object> m, Path file) {
            return new ExperimentMeta(string(m, "artifact_location", file), number(m, "creation_time", 0L),
                    string(m, "experiment_id", file), number(m, "last_update_time", 0L),
                    m.getOrDefault("lifecycle_stage", ACTIVE).toString(), string(m, "name", file));
        }
    }

    /** A run's {@code meta.yaml}; {@code status} is MLflow's integer code ({@link RunStatus#fileStoreCode()}). */
    record RunMeta(String artifactUri, Long deletedTime, Long endTime, String experimentId, String lifecycleStage,
            String runId, String runName, long startTime, int status, String userId) {

        String render() {
            Map<String, Object> m = new TreeMap<>();
            m.put("artifact_uri", artifactUri);
            m.put("deleted_time", deletedTime);
            m.put("end_time", endTime);
            m.put("entry_point_name", "");
            m.put("experiment_id", experimentId);
            m.put("lifecycle_stage", lifecycleStage);
            m.put("run_id", runId);
            m.put("run_name", runName);
            m.put("run_uuid", runId);
            m.put("source_name", "");
            m.put("source_type", SOURCE_TYPE_LOCAL);
            m.put("source_version", "");
            m.put("start_time", startTime);
            m.put("status", status);
            m.put("tags", List.of());
            m.put("user_id", userId);
            return FileStoreMeta.render(m);
        }

        static RunMeta parse(Map<String, Object> m, Path file) {
            Object id = m.containsKey("run_id") ? m.get("run_id") : m.get("run_uuid");
            if (id == null) {
                throw new IllegalStateException(file + ": run meta.yaml has neither run_id nor run_uuid");
            }
            return new RunMeta(string(m, "artifact_uri", file), nullableNumber(m, "deleted_time"),
                    nullableNumber(m, "end_time"), string(m, "experiment_id", file),
                    m.getOrDefault("lifecycle_stage", ACTIVE).toString(), id.toString(),
                    m.get("run_name") == null ? "" : m.get("run_name").toString(), number(m, "start_time", 0L),
                    (int) number(m, "status", (long) RunStatus.RUNNING.fileStoreCode()),
                    m.get("user_id") == null ? "" : m.get("user_id").toString());
        }

        RunMeta withStatus(RunStatus s, long end) {
            return new RunMeta(artifactUri, deletedTime, end, experimentId, lifecycleStage, runId, runName, startTime,
                    s.fileStoreCode(), userId);
        }

        RunMeta deleted(long when) {
            return new RunMeta(artifactUri, when, endTime, experimentId, DELETED, runId, runName, startTime, status,
                    userId);
        }
    }

    static String render(Map<String, Object> sorted) {
        StringBuilder sb = new StringBuilder();
        sorted.forEach((k, v) -> sb.append(k).append(": ").append(scalar(v)).append('\n'));
        return sb.toString();
    }

    private static String scalar(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof List<?> list && list.isEmpty()) {
            return "[]";
        }
        if (v instanceof Number) {
            return v.toString();
        }
        try {
            return JSON.writeValueAsString(v.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a {@code meta.yaml}; empty if the file does not exist (a run being created, or not a run). */
    static Optional<Map<String, Object>> read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = YAML.readValue(new String(bytes, StandardCharsets.UTF_8), Map.class);
        if (m == null) {
            throw new IllegalStateException(file + " is empty; expected MLflow meta.yaml fields");
        }
        return Optional.of(m);
    }

    private static String string(Map<String, Object> m, String key, Path file) {
        Object v = m.get(key);
        if (v == null) {
            throw new IllegalStateException(file + ": field '" + key + "' is missing");
        }
        return v.toString();
    }

    private static long number(Map<String, Object> m, String key, long dflt) {
        Object v = m.get(key);
        return v == null ? dflt : ((Number) v).longValue();
    }

    private static Long nullableNumber(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? null : ((Number) v).longValue();
    }
}
