package dev.vlltr.registry.dto;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;

/** One audit-log row: who did what to which entity, when, with the state before and after. */
public record AuditEntry(long id, OffsetDateTime at, String actor, String action, String entityType,
                         String entityKey, JsonNode before, JsonNode after, String requestId) {}
