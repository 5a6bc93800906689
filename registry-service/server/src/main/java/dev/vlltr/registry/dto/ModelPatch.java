package dev.vlltr.registry.dto;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code PATCH /api/v1/models/{name}}: a new name (rename) and/or a new description. */
public record ModelPatch(
        @Pattern(regexp = Patterns.MODEL_NAME, message = "must match " + Patterns.MODEL_NAME) String name,
        @Size(max = 5000) String description) {}
