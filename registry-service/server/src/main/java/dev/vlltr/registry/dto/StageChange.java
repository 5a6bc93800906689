package dev.vlltr.registry.dto;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/models/{name}/versions/{version}/stage}. */
public record StageChange(
        @NotNull @Pattern(regexp = Patterns.STAGE, message = "must be None, Staging, Production or Archived")
        String stage,
        Boolean archiveExisting,
        Boolean force,
        @Size(max = 500) String reason) {}
