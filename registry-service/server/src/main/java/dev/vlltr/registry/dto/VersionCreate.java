package dev.vlltr.registry.dto;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/** Body of {@code POST /api/v1/models/{name}/versions}. */
public record VersionCreate(
        @Size(max = 5000) String description,
        @Valid Lineage lineage,
        @Size(max = 100) List<@Valid @NotNull ArtifactRef> artifacts,
        @Valid Metrics metrics,
        @Size(max = 100) Map<@Pattern(regexp = Patterns.TAG_KEY) String, @NotNull @Size(max = 5000) String> tags) {}
