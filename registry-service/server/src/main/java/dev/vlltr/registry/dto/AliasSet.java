package dev.vlltr.registry.dto;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** Body of {@code PUT /api/v1/models/{name}/aliases/{alias}}; {@code force} (admin only) skips the gate. */
public record AliasSet(@NotNull @Positive Integer version, Boolean force, @Size(max = 500) String reason) {}
