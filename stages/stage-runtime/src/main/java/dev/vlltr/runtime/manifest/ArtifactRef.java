package dev.vlltr.runtime.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;

/**
 * An input or output of a stage as recorded in its manifest.
 *
 * @param uri    where it is
 * @param sha256 lower-case hex SHA-256 of the bytes (for a folder input: of its sorted listing of names and digests)
 * @param size   bytes (outputs; null for inputs)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArtifactRef(URI uri, String sha256, Long size) {}
