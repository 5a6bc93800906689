package dev.vlltr.registry.dto;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** A model version as returned by the API. */
public record Version(
        String model,
        int version,
        String stage,
        String description,
        Lineage lineage,
        List<ArtifactRef> artifacts,
        Metrics metrics,
        Map<String, String> tags,
        List<String> aliases,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        String createdBy,
        Mirror mirror,
        @JsonIgnore long id,
        @JsonIgnore long modelId,
        @JsonIgnore long rowVersion) {}
