package dev.vlltr.runtime.store;

import java.net.URI;
import java.util.Objects;

/**
 * A published artifact: where it is, its SHA-256 (lower-case hex) and its size in bytes.
 *
 * @param uri    absolute {@code file://} or {@code s3://} URI
 * @param sha256 lower-case hex SHA-256 of the content, or {@code null} when the store does not know it without reading
 * @param size   size in bytes
 */
public record ArtifactInfo(URI uri, String sha256, long size) {

    public ArtifactInfo {
        Objects.requireNonNull(uri, "uri");
        if (size < 0) {
            throw new IllegalArgumentException("negative size for " + uri);
        }
    }
}
