package dev.vlltr.registry.dto;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.OffsetDateTime;
import java.util.Map;

/** A registered model as returned by the API; {@code id} and {@code rowVersion} make its ETag. */
public record Model(
        String name,
        String description,
        Map<String, String> tags,
        Map<String, Integer> aliases,
        Integer latestVersion,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        String createdBy,
        @JsonIgnore long id,
        @JsonIgnore long rowVersion) {}
