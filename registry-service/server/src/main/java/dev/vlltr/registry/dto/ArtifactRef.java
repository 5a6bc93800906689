package dev.vlltr.registry.dto;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** One artifact of a version: a name, where it lives and its SHA-256 (lower-case hex). */
public record ArtifactRef(
        @NotNull @Pattern(regexp = Patterns.ARTIFACT_NAME) String name,
        @NotBlank @Size(max = 2048) String uri,
        @NotNull @Pattern(regexp = Patterns.SHA256, message = "must be 64 lower-case hex digits (SHA-256)")
        String sha256) {}
