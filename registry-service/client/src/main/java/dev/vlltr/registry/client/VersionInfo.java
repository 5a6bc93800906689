package dev.vlltr.registry.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** A model version as the registry returns it; metrics, lineage and mirror state are kept as JSON. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VersionInfo(String model, int version, String stage, String description, JsonNode lineage,
                          JsonNode artifacts, JsonNode metrics, Map<String, String> tags, List<String> aliases,
                          JsonNode mirror, String etag) {
    VersionInfo withEtag(String e) {
        return new VersionInfo(model, version, stage, description, lineage, artifacts, metrics, tags, aliases, mirror, e);
    }

    /** An overall metric, or a shot-split one as {@code few_acc}; NaN when absent. */
    public double metric(String key) {
        for (String split : List.of("many", "medium", "few")) {
            if (key.startsWith(split + "_")) {
                return metrics.path("shots").path(split).path(key.substring(split.length() + 1)).asDouble(Double.NaN);
            }
        }
        return metrics.path("overall").path(key).asDouble(Double.NaN);
    }
}
