package dev.vlltr.registry.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the evaluation stage registers: lineage, artifacts with SHA-256, metrics overall / per shot split /
 * per class, tags. Build with {@link #builder()}; every field is optional.
 */
public final class VersionRequest {
    private final Map<String, Object> body;
    private final String idempotencyKey;

    private VersionRequest(Map<String, Object> body, String idempotencyKey) {
        this.body = body;
        this.idempotencyKey = idempotencyKey;
    }

    Map<String, Object> body() {
        return body;
    }

    String idempotencyKey() {
        return idempotencyKey;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder in DJL style: {@code opt*} setters, then {@link #build()}. */
    public static final class Builder {
        private final Map<String, Object> lineage = new LinkedHashMap<>();
        private final List<Map<String, String>> artifacts = new ArrayList<>();
        private final Map<String, Double> overall = new LinkedHashMap<>();
        private final Map<String, Map<String, Double>> shots = new LinkedHashMap<>();
        private final Map<String, Map<String, Double>> perClass = new LinkedHashMap<>();
        private final Map<String, String> tags = new LinkedHashMap<>();
        private String description;
        private String idempotencyKey;

        public Builder optDescription(String d) { this.description = d; return this; }
        public Builder optPipelineRunId(String id) { lineage.put("pipelineRunId", id); return this; }
        public Builder optMlflowRunId(String id) { lineage.put("mlflowRunId", id); return this; }
        public Builder optCodeVersion(String v) { lineage.put("codeVersion", v); return this; }
        public Builder optDatasetId(String id) { lineage.put("datasetId", id); return this; }
        public Builder optCorpusId(String id) { lineage.put("corpusId", id); return this; }

        /** An artifact; {@code sha256} is 64 lower-case hex digits. */
        public Builder addArtifact(String name, String uri, String sha256) {
            artifacts.add(Map.of("name", name, "uri", uri, "sha256", sha256));
            return this;
        }

        public Builder addMetric(String key, double value) { overall.put(key, value); return this; }

        /** A metric of one shot split: {@code many}, {@code medium} or {@code few}. */
        public Builder addShotMetric(String split, String key, double value) {
            shots.computeIfAbsent(split, k -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        public Builder addClassMetric(String className, String key, double value) {
            perClass.computeIfAbsent(className, k -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        public Builder addTag(String key, String value) { tags.put(key, value); return this; }

        /** Makes a retried registration (e.g. an Airflow retry) return the version created the first time. */
        public Builder optIdempotencyKey(String key) { this.idempotencyKey = key; return this; }

        public VersionRequest build() {
            Map<String, Object> b = new LinkedHashMap<>();
            if (description != null) {
                b.put("description", description);
            }
            if (!lineage.isEmpty()) {
                b.put("lineage", lineage);
            }
            if (!artifacts.isEmpty()) {
                b.put("artifacts", artifacts);
            }
            Map<String, Object> metrics = new LinkedHashMap<>();
            if (!overall.isEmpty()) {
                metrics.put("overall", overall);
            }
            if (!shots.isEmpty()) {
                metrics.put("shots", shots);
            }
            if (!perClass.isEmpty()) {
                metrics.put("perClass", perClass);
            }
            if (!metrics.isEmpty()) {
                b.put("metrics", metrics);
            }
            if (!tags.isEmpty()) {
                b.put("tags", tags);
            }
            return new VersionRequest(b, idempotencyKey);
        }
    }
}
