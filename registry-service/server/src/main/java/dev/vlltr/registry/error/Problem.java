package dev.vlltr.registry.error;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The shape of every error body (RFC 9457 problem+json), for the OpenAPI document; {@link Problems} writes it.
 * Members after {@code detail} appear only where they apply.
 */
@Schema(name = "Problem", description = "RFC 9457 problem details (media type application/problem+json)")
public record Problem(
        @Schema(description = "always about:blank") String type,
        @Schema(description = "the HTTP reason phrase") String title,
        @Schema(description = "the HTTP status") int status,
        @Schema(description = "what went wrong, naming the field, filter position or resource") String detail,
        @Schema(description = "400 from validation: one entry per invalid field") List<Map<String, String>> errors,
        @Schema(description = "409 Promotion Blocked: every failed rule of the policy") List<String> reasons,
        @Schema(description = "409 Promotion Blocked: the version that was refused") Integer candidate,
        @Schema(description = "409 Promotion Blocked: the version holding the alias or stage") Integer current,
        @Schema(description = "412: the ETag to read again") String currentEtag,
        @Schema(description = "413: the body limit in bytes") Long maxBytes,
        @Schema(description = "503: when to try again") Integer retryAfterSeconds) {}
