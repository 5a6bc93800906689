package dev.vlltr.registry.dto;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/** Body of {@code POST /api/v1/models}. */
public record ModelCreate(
        @NotNull @Pattern(regexp = Patterns.MODEL_NAME, message = "must match " + Patterns.MODEL_NAME) String name,
        @Size(max = 5000) String description,
        @Size(max = 100) Map<@Pattern(regexp = Patterns.TAG_KEY) String, @NotNull @Size(max = 5000) String> tags) {}
