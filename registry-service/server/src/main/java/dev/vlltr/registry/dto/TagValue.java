package dev.vlltr.registry.dto;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Body of the tag PUT endpoints. */
public record TagValue(@NotNull @Size(max = 5000) String value) {}
