package dev.vlltr.registry.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;

/** An API key's metadata; {@code key} (the secret) is present only in the answer that created it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyInfo(String name, String role, OffsetDateTime createdAt, String createdBy,
                         OffsetDateTime revokedAt, String key) {}
