package dev.vlltr.registry.dto;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** Body of {@code POST /api/v1/api-keys}. */
public record ApiKeyCreate(
        @NotNull @Pattern(regexp = Patterns.KEY_NAME) String name,
        @NotNull @Pattern(regexp = Patterns.ROLE, message = "must be reader, writer or admin") String role) {}
