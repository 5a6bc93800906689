package dev.vlltr.registry.dto;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Body of {@code PATCH /api/v1/models/{name}/versions/{version}}. */
public record VersionPatch(@NotNull @Size(max = 5000) String description) {}
