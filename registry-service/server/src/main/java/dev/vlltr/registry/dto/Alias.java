package dev.vlltr.registry.dto;

import java.time.OffsetDateTime;

/** An alias of a model pointing at one version. */
public record Alias(String model, String alias, int version, OffsetDateTime updatedAt, String updatedBy) {}
